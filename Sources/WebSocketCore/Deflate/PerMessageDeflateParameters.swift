/// The permessage-deflate parameters agreed for one connection (RFC 7692 §7.1), from the
/// client's offers and the server's `PerMessageDeflateConfiguration`.
public struct PerMessageDeflateParameters: Sendable, Equatable {
    /// The server resets its compressor after each message.
    public var serverNoContextTakeover: Bool
    /// The client resets its compressor after each message (so the server resets its
    /// decompressor too).
    public var clientNoContextTakeover: Bool
    /// The window the server compresses with (8–15; zlib uses 9 when 8 is agreed).
    public var serverMaxWindowBits: Int
    /// The window agreed for the client's compressor, when it offered `client_max_window_bits`.
    public var clientMaxWindowBits: Int?
    /// Whether `server_max_window_bits` goes into the response.
    var announcesServerWindow: Bool

    /// The `Sec-WebSocket-Extensions` response value that accepts the offer.
    public var responseHeaderValue: String {
        var value = "permessage-deflate"
        if serverNoContextTakeover { value += "; server_no_context_takeover" }
        if clientNoContextTakeover { value += "; client_no_context_takeover" }
        if announcesServerWindow { value += "; server_max_window_bits=\(serverMaxWindowBits)" }
        if let clientMaxWindowBits { value += "; client_max_window_bits=\(clientMaxWindowBits)" }
        return value
    }

    /// The parameters of the first permessage-deflate offer the server can honour, or nil.
    /// Offers with unknown or repeated parameters, or invalid values, are declined (RFC 7692
    /// §5.1, §7.1).
    public static func negotiate(
        offers: [WebSocketExtensionOffer], configuration: PerMessageDeflateConfiguration
    ) -> PerMessageDeflateParameters? {
        for offer in offers where offer.name == "permessage-deflate" {
            if let accepted = accept(offer, configuration: configuration) { return accepted }
        }
        return nil
    }

    private static func accept(
        _ offer: WebSocketExtensionOffer, configuration: PerMessageDeflateConfiguration
    ) -> PerMessageDeflateParameters? {
        var seen: Set<String> = []
        var serverNoContextTakeover = false
        var clientNoContextTakeover = false
        var serverWindow: Int?
        var clientWindowOffered = false
        var clientWindow: Int?
        for (name, value) in offer.parameters {
            guard seen.insert(name).inserted else { return nil }
            switch name {
            case "server_no_context_takeover":
                guard value == nil else { return nil }
                serverNoContextTakeover = true
            case "client_no_context_takeover":
                guard value == nil else { return nil }
                clientNoContextTakeover = true
            case "server_max_window_bits":
                guard let value, let bits = windowBits(value) else { return nil }
                serverWindow = bits
            case "client_max_window_bits":
                clientWindowOffered = true
                if let value {
                    guard let bits = windowBits(value) else { return nil }
                    clientWindow = bits
                }
            default:
                return nil
            }
        }
        let serverLimit = max(8, min(15, configuration.serverMaxWindowBits))
        let clientLimit = max(8, min(15, configuration.clientMaxWindowBits))
        let agreedServerWindow = min(serverWindow ?? 15, serverLimit)
        var agreedClientWindow: Int?
        if clientWindowOffered {
            let bits = min(clientWindow ?? 15, clientLimit)
            agreedClientWindow = clientWindow != nil || bits < 15 ? bits : nil
        }
        return PerMessageDeflateParameters(
            serverNoContextTakeover: serverNoContextTakeover || configuration.serverNoContextTakeover,
            clientNoContextTakeover: clientNoContextTakeover || configuration.clientNoContextTakeover,
            serverMaxWindowBits: agreedServerWindow,
            clientMaxWindowBits: agreedClientWindow,
            announcesServerWindow: serverWindow != nil || agreedServerWindow < 15
        )
    }

    /// 8...15 written as plain decimal digits without a leading zero.
    private static func windowBits(_ text: String) -> Int? {
        guard let first = text.first, first != "0", text.allSatisfy({ $0.isASCII && $0.isNumber }),
              let bits = Int(text), (8...15).contains(bits)
        else { return nil }
        return bits
    }
}
