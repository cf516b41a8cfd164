// Placeholder fuzz entry; the issue that owns the decoder replaces it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt { 0 }
