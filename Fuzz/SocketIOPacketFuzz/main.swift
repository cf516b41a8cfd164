// Fuzzes the Socket.IO packet decoder, including binary attachment reassembly.
//
// The input is split at 0x00 bytes into messages; a message starting with 0x01 is binary (the
// rest of it), any other is text. Every decoded packet must encode to text that decodes again,
// and that second encoding must be identical (JSON numbers like `1e400` legitimately change
// on the first pass, exactly as in JavaScript).
import FuzzDriver
import NIOCore
import SocketIO

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var decoder = SocketIOPacketDecoder(maximumAttachments: 8)
    for message in UnsafeBufferPointer(start: data, count: size).split(separator: 0, omittingEmptySubsequences: false) {
        let decoded: SocketIOPacket?
        do {
            if message.first == 1 {
                decoded = try decoder.decode(binary: ByteBuffer(bytes: message.dropFirst()))
            } else {
                decoded = try decoder.decode(text: String(decoding: message, as: UTF8.self))
            }
        } catch {
            return 0
        }
        if let decoded { checkRoundTrip(decoded) }
    }
    return 0
}

func checkRoundTrip(_ packet: SocketIOPacket) {
    let first = SocketIOPacketEncoder.encode(packet)
    let second = SocketIOPacketEncoder.encode(reparse(first))
    guard first == second else { fatalError("re-encoding changed: \(first.text) → \(second.text)") }
}

func reparse(_ encoded: SocketIOEncodedPacket) -> SocketIOPacket {
    var decoder = SocketIOPacketDecoder(maximumAttachments: .max)
    do {
        var packet = try decoder.decode(text: encoded.text)
        for attachment in encoded.attachments { packet = try decoder.decode(binary: attachment) }
        guard let packet else { fatalError("encoded packet is incomplete: \(encoded.text)") }
        return packet
    } catch {
        fatalError("encoded packet does not decode: \(encoded.text): \(error)")
    }
}

runFuzzer(fuzzOneInput)
