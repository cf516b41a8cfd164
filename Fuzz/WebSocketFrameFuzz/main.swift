// WebSocketFrameFuzz: drives the pure frame decoder and message assembler with arbitrary bytes.
//
// Input layout: byte 0 picks the setup (bit 0: permessage-deflate on, bit 1: client_no_context_takeover,
// bits 2-7: chunk size for feeding the decoder, 1-64 bytes); the rest is the byte stream a client
// sends. Checked invariants: no crash or sanitizer report; decoding never returns a frame over the
// limit; every decoded frame re-encodes and decodes to itself.
//
// Build and run (see scripts in the Makefile):
//   swift build --scratch-path .build-fuzz --product WebSocketFrameFuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING
//   SWIFT_BACKTRACE=enable=no .build-fuzz/debug/WebSocketFrameFuzz -max_total_time=60 Fuzz/WebSocketFrameFuzz/corpus
// Without -DFUZZING the executable replays the input files named on the command line.
import Foundation
import NIOCore
import WebSocketCore

let maxFrameSize = 1 << 16

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let setup = data[0]
    let input = UnsafeBufferPointer(start: data + 1, count: size - 1)
    let compression: PerMessageDeflateParameters? = setup & 1 == 0 ? nil : PerMessageDeflateParameters.negotiate(
        offers: WebSocketExtensionOffer.parse([setup & 2 == 0 ? "permessage-deflate" : "permessage-deflate; client_no_context_takeover"]),
        configuration: PerMessageDeflateConfiguration())
    let chunkSize = Int(setup >> 2) + 1
    var decoder = WebSocketFrameDecoder(maxFrameSize: maxFrameSize)
    var assembler = WebSocketMessageAssembler(maxMessageSize: 4 * maxFrameSize, compression: compression)
    var offset = 0
    do {
        while offset < input.count {
            let end = min(input.count, offset + chunkSize)
            decoder.append(ByteBuffer(bytes: input[offset..<end]))
            offset = end
            while let frame = try decoder.nextFrame() {
                precondition(frame.payload.readableBytes <= maxFrameSize, "frame over the limit")
                checkRoundTrip(frame)
                if case .close = try assembler.receive(frame) { return 0 }
            }
        }
    } catch {
        precondition([1002, 1007, 1009].contains(error.closeCode.rawValue), "unexpected close code \(error.closeCode)")
    }
    return 0
}

func checkRoundTrip(_ frame: WebSocketFrame) {
    var decoder = WebSocketFrameDecoder(maxFrameSize: maxFrameSize)
    decoder.append(WebSocketFrameEncoder.encode(frame, maskingKey: WebSocketMaskingKey(1, 2, 3, 4)))
    let again = try? decoder.nextFrame()
    precondition(again == frame, "frame does not round trip")
}

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput))
#else
for path in CommandLine.arguments.dropFirst() {
    guard let bytes = FileManager.default.contents(atPath: path).map(Array.init) else {
        print("cannot read \(path)")
        continue
    }
    _ = bytes.withUnsafeBufferPointer { fuzzOneInput($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, $0.count) }
    print("ok \(path)")
}
#endif
