// libFuzzer target for the MessagePack codec of JavaScriptFormats (the wire format of
// `@socket.io/redis-adapter`, read from any instance on a shared Redis). Each input is decoded;
// hostile input must fail with an error, never a crash or an allocation beyond the input's size;
// a value that decodes re-encodes to bytes that decode to a value with the very same encoding.
// Built by scripts/fuzz.sh with `-sanitize=fuzzer,address -DFUZZING`; without FUZZING it replays
// the files it is given.
import FuzzDriver
import JavaScriptFormats

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    let decoder = MessagePackDecoder(maxDepth: 64)
    guard let value = try? decoder.decode(input) else { return 0 }
    let encoded = MessagePackEncoder.encode(value)
    guard let again = try? decoder.decode(encoded) else { preconditionFailure("encoded value does not decode") }
    precondition(MessagePackEncoder.encode(again) == encoded, "encoding is not a fixed point")
    return 0
}

runFuzzer(fuzzOneInput)
