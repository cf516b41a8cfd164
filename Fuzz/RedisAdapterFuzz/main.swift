// libFuzzer target for the messages of both Redis adapters (the classic `@socket.io/redis-adapter`
// broadcasts, requests and responses, and the sharded adapter's cluster messages), which any
// instance on a shared Redis can publish. Each input is read as every kind; hostile input must
// be refused, never crash. A message that decodes is published again (first pass: JSON numbers
// such as 1e400 and unknown members legitimately change); that publication must read back as
// the same message, and publishing that one again must give the very same bytes.
// Built by scripts/fuzz.sh with `-sanitize=fuzzer,address -DFUZZING`; without FUZZING it replays
// the files it is given.
import FuzzDriver
@_spi(Fuzzing) import SocketIO

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    for kind in RedisAdapterWireFuzzing.Kind.allCases {
        guard let first = RedisAdapterWireFuzzing.reencoded(input, as: kind) else { continue }
        guard let second = RedisAdapterWireFuzzing.reencoded(first, as: kind) else {
            preconditionFailure("\(kind): a published message does not read back")
        }
        // Equal bytes are the same message (a NaN number is not equal to itself).
        precondition(
            first == second || RedisAdapterWireFuzzing.decodesEqually(first, second, as: kind),
            "\(kind): a published message reads back different")
        precondition(RedisAdapterWireFuzzing.reencoded(second, as: kind) == second, "\(kind): publishing is not a fixed point")
    }
    return 0
}

runFuzzer(fuzzOneInput)
