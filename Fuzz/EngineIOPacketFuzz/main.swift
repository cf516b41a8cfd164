// Fuzzes the Engine.IO codec and session state machine.
//
// Each input is decoded as a polling payload and as a WebSocket text/binary message; whatever
// decodes must re-encode to something that decodes to the same packets. The same bytes then
// drive an `EngineIOSession` as a script of events, which must never trap.
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
    let bytes = ByteBuffer(bytes: UnsafeBufferPointer(start: data, count: size))
    checkPayloadRoundTrip(bytes)
    checkFrames(bytes)
    driveSession(UnsafeBufferPointer(start: data, count: size))
    return 0
}

func checkPayloadRoundTrip(_ bytes: ByteBuffer) {
    guard let packets = try? EngineIOPayload.decode(bytes) else { return }
    let encoded = EngineIOPayload.encode(packets)
    guard let again = try? EngineIOPayload.decode(ByteBuffer(bytes: encoded)), again == packets else {
        fatalError("polling payload does not round-trip")
    }
}

func checkFrames(_ bytes: ByteBuffer) {
    let text = String(buffer: bytes)
    if let packet = try? EngineIOFrame.text(text).packet() {
        guard EngineIOFrame(packet) == .text(text) else { fatalError("text frame does not round-trip") }
    }
    guard let binary = try? EngineIOFrame.binary(bytes).packet(), EngineIOFrame(binary) == .binary(bytes) else {
        fatalError("binary frame does not round-trip")
    }
}

/// Interprets the input as events: the low 3 bits of a byte pick the event, the rest is data.
func driveSession(_ script: UnsafeBufferPointer<UInt8>) {
    var now = NIODeadline.uptimeNanoseconds(0)
    let configuration = EngineIOConfiguration(
        pingInterval: .milliseconds(300), pingTimeout: .milliseconds(200), maxPayload: 64, upgradeTimeout: .seconds(1))
    let transport: EngineIOTransport = (script.first ?? 0) & 0x80 == 0 ? .polling : .websocket
    var (session, _) = EngineIOSession.open(sid: "fuzz", transport: transport, configuration: configuration, now: now)
    var index = 1
    while index < script.count {
        let op = script[index]
        let length = Int(op >> 3) % 12
        let chunk = ByteBuffer(bytes: script[(index + 1)..<min(script.count, index + 1 + length)])
        index += 1 + length
        now = now + .milliseconds(Int64(op >> 3) * 10)
        switch op & 7 {
        case 0: _ = session.handlePoll(now: now)
        case 1: _ = session.beginPost(contentLength: chunk.readableBytes)
        case 2: _ = session.finishPost(body: chunk, now: now)
        case 3: _ = session.handleWebSocketFrame(.text(String(buffer: chunk)), now: now)
        case 4: _ = session.beginUpgrade(now: now)
        case 5: _ = session.handleProbeFrame(op & 0x40 == 0 ? .text("2probe") : .text("5"), now: now)
        case 6: _ = session.handleTimer(now: now)
        default: _ = session.send([EngineIOPacket(.message, String(buffer: chunk))])
        }
    }
}

runFuzzer(fuzzOneInput)
