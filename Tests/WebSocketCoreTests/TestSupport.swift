import NIOCore
@testable import WebSocketCore

/// Bytes of a frame as a client sends it (masked).
func clientFrame(
    _ opcode: WebSocketOpcode, _ payload: [UInt8], fin: Bool = true, rsv1: Bool = false,
    key: WebSocketMaskingKey = WebSocketMaskingKey(0x37, 0xFA, 0x21, 0x3D)
) -> [UInt8] {
    let frame = WebSocketFrame(fin: fin, rsv1: rsv1, opcode: opcode, payload: ByteBuffer(bytes: payload))
    return Array(WebSocketFrameEncoder.encode(frame, maskingKey: key).readableBytesView)
}

func clientFrame(_ opcode: WebSocketOpcode, _ text: String, fin: Bool = true) -> [UInt8] {
    clientFrame(opcode, Array(text.utf8), fin: fin)
}

/// Raw header bytes with the mask bit set, followed by a zero mask key (payload passes as is).
func rawMaskedHeader(_ first: UInt8, lengthBytes: [UInt8]) -> [UInt8] {
    var bytes = [first]
    bytes.append(lengthBytes[0] | 0x80)
    bytes += lengthBytes.dropFirst()
    return bytes + [0, 0, 0, 0]
}

/// Decodes every frame in `bytes`, feeding it in the given chunks.
func decodeAll(_ chunks: [[UInt8]], maxFrameSize: Int = 1 << 20) throws(WebSocketProtocolError) -> [WebSocketFrame] {
    var decoder = WebSocketFrameDecoder(maxFrameSize: maxFrameSize)
    var frames: [WebSocketFrame] = []
    for chunk in chunks {
        decoder.append(ByteBuffer(bytes: chunk))
        while let frame = try decoder.nextFrame() { frames.append(frame) }
    }
    return frames
}

/// Runs frames through a fresh decoder and assembler; the events, or the error.
func events(
    _ bytes: [UInt8], maxMessageSize: Int = 1 << 20, compression: PerMessageDeflateParameters? = nil
) -> Result<[WebSocketEvent], WebSocketProtocolError> {
    var decoder = WebSocketFrameDecoder()
    var assembler = WebSocketMessageAssembler(maxMessageSize: maxMessageSize, compression: compression)
    var output: [WebSocketEvent] = []
    decoder.append(ByteBuffer(bytes: bytes))
    do {
        while let frame = try decoder.nextFrame() {
            if let event = try assembler.receive(frame) { output.append(event) }
        }
        return .success(output)
    } catch {
        return .failure(error)
    }
}

extension Result {
    var failureCode: WebSocketCloseCode? {
        if case .failure(let error as WebSocketProtocolError) = self { return error.closeCode }
        return nil
    }
}
