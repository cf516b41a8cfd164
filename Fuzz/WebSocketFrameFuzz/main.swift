// WebSocketFrameFuzz: drives the pure frame decoder and message assembler with arbitrary bytes.
//
// Input layout: byte 0 picks the setup (bit 0: permessage-deflate on, bit 1: client_no_context_takeover,
// bits 2-7: chunk size for feeding the decoder, 1-64 bytes); the rest is the byte stream a client
// sends. Checked invariants: no crash or sanitizer report; decoding never returns a frame over the
// limit; every decoded frame re-encodes and decodes to itself.
//
// Build and run: scripts/fuzz.sh SECONDS WebSocketFrameFuzz (optimised, ASan, libFuzzer). Without
// -DFUZZING the executable replays the input files named on the command line.
import FuzzDriver
import NIOCore
import WebSocketCore

let maxFrameSize = 1 << 16

/// The two negotiated permessage-deflate setups, negotiated once instead of once per input.
let compressionSetups: [PerMessageDeflateParameters?] = ["permessage-deflate", "permessage-deflate; client_no_context_takeover"].map {
    PerMessageDeflateParameters.negotiate(offers: WebSocketExtensionOffer.parse([$0]), configuration: PerMessageDeflateConfiguration())
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let setup = data[0]
    // One buffer for the stream; the chunks fed below are slices of it (no copy, no allocation).
    let input = ByteBuffer(bytes: UnsafeBufferPointer(start: data + 1, count: size - 1))
    let compression = setup & 1 == 0 ? nil : compressionSetups[Int(setup >> 1) & 1]
    let chunkSize = Int(setup >> 2) + 1
    var decoder = WebSocketFrameDecoder(maxFrameSize: maxFrameSize)
    var assembler = WebSocketMessageAssembler(maxMessageSize: 4 * maxFrameSize, compression: compression)
    var offset = 0
    do {
        while offset < input.readableBytes {
            let end = min(input.readableBytes, offset + chunkSize)
            decoder.append(input.getSlice(at: offset, length: end - offset)!)
            offset = end
            while let frame = try decoder.nextFrame() {
                precondition(frame.payload.readableBytes <= maxFrameSize, "frame over the limit")
                checkRoundTrip(frame)
                if case .close = try assembler.receive(frame) { return 0 }
            }
        }
    } catch {
        // A switch, not an array's `contains`: this runs for most inputs and must not allocate.
        switch error.closeCode.rawValue {
        case 1002, 1007, 1009: break
        default: preconditionFailure("unexpected close code \(error.closeCode)")
        }
    }
    return 0
}

func checkRoundTrip(_ frame: WebSocketFrame) {
    var decoder = WebSocketFrameDecoder(maxFrameSize: maxFrameSize)
    decoder.append(WebSocketFrameEncoder.encode(frame, maskingKey: WebSocketMaskingKey(1, 2, 3, 4)))
    let again = try? decoder.nextFrame()
    precondition(again == frame, "frame does not round trip")
}

runFuzzer(fuzzOneInput)
