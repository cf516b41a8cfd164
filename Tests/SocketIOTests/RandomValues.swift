import JavaScriptFormats
import NIOCore
import SesiorTesting

@testable import SocketIO

/// Random `SocketIOValue`s for round-trip properties: `RandomJSON`'s trees with binary leaves.
enum RandomValues {
    static func bytes(using generator: inout SeededGenerator) -> ByteBuffer {
        ByteBuffer(
            bytes: (0..<Int.random(in: 0...6, using: &generator)).map { _ in
                UInt8.random(in: 0...255, using: &generator)
            })
    }

    /// A JSON value (binary values only when `binary`); `depth` bounds nesting.
    static func json(depth: Int, binary: Bool = false, using generator: inout SeededGenerator) -> SocketIOValue {
        RandomJSON.value(depth: depth, using: &generator, attachment: binary ? { bytes(using: &$0) } : nil)
    }
}
