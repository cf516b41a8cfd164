import JavaScriptFormats
import NIOCore

/// How one session's packets look on the wire, fixed by its handshake: the protocol revision
/// and, for v3 polling, whether binary goes as base64 (`b64=1`) and the JSONP callback (`j=N`).
///
/// The session and its transport ask this codec instead of branching on the version themselves.
public struct EngineIOWireFormat: Hashable, Sendable {
    /// The protocol revision.
    public var protocolVersion: EngineIOProtocolVersion
    /// v3 only: the client reads no binary polling payloads (`b64=1`), so binary packets go `b4…`.
    public var base64Binary: Bool
    /// v3 only: the JSONP callback index (`j=N`, digits only), or nil for XHR polling.
    public var jsonpIndex: String?

    /// A format with explicit values.
    public init(protocolVersion: EngineIOProtocolVersion, base64Binary: Bool = false, jsonpIndex: String? = nil) {
        self.protocolVersion = protocolVersion
        self.base64Binary = base64Binary
        self.jsonpIndex = jsonpIndex
    }

    /// Engine.IO v4.
    public static let v4 = EngineIOWireFormat(protocolVersion: .v4)

    /// The format a handshake's query asks for (`EIO`, `b64`, `j`); v4 unless `EIO=3`.
    public init(query: Substring?) {
        let parameters = EngineIOQuery(query ?? "")
        guard parameters.eio == "3" else {
            self = .v4
            return
        }
        self.init(
            protocolVersion: .v3, base64Binary: !(parameters.b64 ?? "").isEmpty || parameters.j != nil,
            jsonpIndex: parameters.j.map { String($0.filter(\.isASCIIDigitCharacter)) })
    }

    // MARK: - Polling

    /// The body and `Content-Type` of a polling GET answer carrying `packets`.
    public func pollBody(_ packets: [EngineIOPacket]) -> (body: [UInt8], contentType: String) {
        switch protocolVersion {
        case .v4:
            return (EngineIOPayload.encode(packets), "text/plain; charset=UTF-8")
        case .v3:
            if let jsonpIndex {
                return (Self.jsonp(EngineIOPayloadV3.encodeText(packets), index: jsonpIndex), Self.text)
            }
            if !base64Binary && EngineIOPayloadV3.needsBinaryFraming(packets) {
                return (EngineIOPayloadV3.encodeBinary(packets), "application/octet-stream")
            }
            return (EngineIOPayloadV3.encodeText(packets), Self.text)
        }
    }

    private static let text = "text/plain; charset=UTF-8"

    /// The packets of a polling POST body (for JSONP, the form field `d`).
    public func packets(inPostBody body: ByteBuffer) throws(EngineIOError) -> [EngineIOPacket] {
        switch protocolVersion {
        case .v4: return try EngineIOPayload.decode(body)
        case .v3:
            guard jsonpIndex != nil else { return try EngineIOPayloadV3.decode(body) }
            guard let payload = Self.jsonpPayload(String(buffer: body)) else { throw .malformedPayload }
            return try EngineIOPayloadV3.decode(Array(payload.utf8))
        }
    }

    /// `___eio[N]("<payload as a JavaScript string>");`, with U+2028/U+2029 escaped as JSON.stringify
    /// leaves them raw.
    static func jsonp(_ payload: [UInt8], index: String) -> [UInt8] {
        var writer = JSONWriter(capacity: payload.count + 16)
        writer.append("___eio[\(index)](")
        writer.writeString(String(decoding: payload, as: UTF8.self))
        writer.append(");")
        let script = String(decoding: writer.bytes, as: UTF8.self)
            .replacing("\u{2028}", with: "\\u2028")
            .replacing("\u{2029}", with: "\\u2029")
        return Array(script.utf8)
    }

    /// The payload of a JSONP POST (`d=<urlencoded>`), with the client's newline escapes undone
    /// as engine.io does (`\n` → newline, `\\n` → `\n`); nil without a `d` field.
    static func jsonpPayload(_ form: String) -> String? {
        guard let value = SocketIOSocketDetails.queryPairs(form).first(where: { $0.0 == "d" })?.1 else { return nil }
        var output = ""
        var characters = value[...]
        while let character = characters.popFirst() {
            guard character == "\\" else {
                output.append(character)
                continue
            }
            if characters.first == "n" {
                characters = characters.dropFirst()
                output.append("\n")
            } else if characters.first == "\\", characters.dropFirst().first == "n" {
                characters = characters.dropFirst(2)
                output.append("\\n")
            } else {
                output.append(character)
            }
        }
        return output
    }

    // MARK: - WebSocket

    /// The WebSocket message carrying `packet`: v3 puts the type byte before binary data.
    public func frame(_ packet: EngineIOPacket) -> EngineIOFrame {
        guard protocolVersion == .v3, case .binary(let bytes) = packet.data else { return EngineIOFrame(packet) }
        return .binary(Self.prefixed(bytes, type: packet.type))
    }

    /// A message encoded for v4 (as `SocketIOEncodedPacket.frames` are), in this format.
    public func frame(fromV4 frame: EngineIOFrame) -> EngineIOFrame {
        guard protocolVersion == .v3, case .binary(let bytes) = frame else { return frame }
        return .binary(Self.prefixed(bytes, type: .message))
    }

    /// The packet a WebSocket message carries.
    public func packet(in frame: EngineIOFrame) throws(EngineIOError) -> EngineIOPacket {
        guard protocolVersion == .v3, case .binary(var bytes) = frame else { return try frame.packet() }
        guard let type = bytes.readInteger(as: UInt8.self) else { throw .emptyPacket }
        guard type == EngineIOPacketType.message.rawValue else { throw .unknownPacketType }
        return .binaryMessage(bytes)
    }

    private static func prefixed(_ bytes: ByteBuffer, type: EngineIOPacketType) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(bytes.readableBytes + 1)
        buffer.writeInteger(type.rawValue)
        buffer.writeImmutableBuffer(bytes)
        return buffer
    }
}

extension Character {
    fileprivate var isASCIIDigitCharacter: Bool { ("0"..."9").contains(self) }
}
