// Fuzzes the Engine.IO v3 codec: polling payloads in both framings, JSONP forms, binary
// WebSocket messages, and a v3 session driven by the input.
//
// Whatever decodes must re-encode, in the text and in the binary framing, to something that
// decodes to the same packets. Nothing may trap.
import FuzzDriver
import NIOCore
import SocketIO

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    checkPayloadRoundTrip(bytes)
    checkJSONPAndFrames(ByteBuffer(bytes: bytes))
    driveSession(bytes)
    return 0
}

func checkPayloadRoundTrip(_ bytes: [UInt8]) {
    guard let packets = try? EngineIOPayloadV3.decode(bytes) else { return }
    guard let text = try? EngineIOPayloadV3.decode(EngineIOPayloadV3.encodeText(packets)),
        packets.isEmpty ? text.isEmpty : text == packets
    else { fatalError("text framing does not round-trip") }
    guard !packets.isEmpty else { return }
    guard let binary = try? EngineIOPayloadV3.decode(EngineIOPayloadV3.encodeBinary(packets)), binary == packets
    else { fatalError("binary framing does not round-trip") }
}

func checkJSONPAndFrames(_ bytes: ByteBuffer) {
    let jsonp = EngineIOWireFormat(protocolVersion: .v3, base64Binary: true, jsonpIndex: "0")
    _ = try? jsonp.packets(inPostBody: bytes)
    let format = EngineIOWireFormat(protocolVersion: .v3)
    if let packet = try? format.packet(in: .binary(bytes)) {
        guard format.frame(packet) == .binary(bytes) else { fatalError("v3 binary frame does not round-trip") }
    }
}

/// Interprets the input as events on a v3 polling session: the low 2 bits pick the event.
func driveSession(_ script: [UInt8]) {
    var now = NIODeadline.uptimeNanoseconds(0)
    let configuration = EngineIOConfiguration(
        pingInterval: .milliseconds(300), pingTimeout: .milliseconds(200), maxPayload: 64, allowEIO3: true)
    var (session, _) = EngineIOSession.open(
        sid: "fuzz", transport: .polling, configuration: configuration,
        format: EngineIOWireFormat(protocolVersion: .v3), now: now)
    var index = 0
    while index < script.count {
        let op = script[index]
        let length = Int(op >> 2) % 16
        let chunk = ByteBuffer(bytes: script[(index + 1)..<min(script.count, index + 1 + length)])
        index += 1 + length
        now = now + .milliseconds(Int64(op >> 2) * 10)
        switch op & 3 {
        case 0: _ = session.handlePoll(now: now)
        case 1:
            _ = session.beginPost(contentLength: chunk.readableBytes)
            _ = session.finishPost(body: chunk, now: now)
        case 2: _ = session.handleTimer(now: now)
        default: _ = session.send([.binaryMessage(chunk), EngineIOPacket(.message, String(buffer: chunk))])
        }
    }
}

runFuzzer(fuzzOneInput)
