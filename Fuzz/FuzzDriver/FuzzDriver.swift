// FuzzDriver
//
// The entry point shared by every fuzz target under Fuzz/. Built with `-DFUZZING` and
// `-sanitize=fuzzer` (scripts/fuzz.sh), it hands the target's one-input function to libFuzzer;
// in an ordinary build it replays the files named on the command line, so a crash input found by
// the fuzzer can be re-run in the debugger without libFuzzer.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fuzz target's one-input function, as libFuzzer calls it.
public typealias FuzzTestOneInput = @convention(c) (UnsafePointer<UInt8>, Int) -> CInt

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: FuzzTestOneInput
) -> CInt
#endif

/// Runs libFuzzer on `testOneInput` (with `-DFUZZING`), or replays each file named on the command
/// line once and prints `ok PATH`. Never returns.
public func runFuzzer(_ testOneInput: FuzzTestOneInput) -> Never {
    #if FUZZING
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, testOneInput))
    #else
    var status: CInt = 0
    for path in CommandLine.arguments.dropFirst() {
        guard let bytes = readFile(path) else {
            print("cannot read \(path)")
            status = 1
            continue
        }
        _ = bytes.withUnsafeBufferPointer { buffer in
            withUnsafePointer(to: 0 as UInt8) { empty in
                testOneInput(buffer.baseAddress ?? empty, buffer.count)
            }
        }
        print("ok \(path)")
    }
    exit(status)
    #endif
}

private func readFile(_ path: String) -> [UInt8]? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    while true {
        let count = fread(&chunk, 1, chunk.count, file)
        if count <= 0 { break }
        bytes.append(contentsOf: chunk[..<count])
    }
    return ferror(file) == 0 ? bytes : nil
}
