import Foundation
import JavaScriptFormats

/// Encodes `Encodable` values straight into `JSONValue`s, keeping keys in the order the value
/// encodes them (declaration order for synthesized `Codable`), as a JavaScript object would.
///
/// Dates become `toISOString()` strings, `Data` base64 strings, URLs their absolute string; integers
/// become doubles, as in JavaScript.
enum JSONValueEncoder {
    static func encode(_ value: some Encodable) throws -> JSONValue {
        let node = Node()
        try encode(value, into: node, codingPath: [])
        return node.json
    }

    static func encode<T: Encodable>(_ value: T, into node: Node, codingPath: [any CodingKey]) throws {
        switch value {
        case let json as JSONValue: node.scalar = json
        case let date as Date: node.scalar = .string(JavaScriptDate.isoString(date))
        case let data as Data: node.scalar = .string(data.base64EncodedString())
        case let url as URL: node.scalar = .string(url.absoluteString)
        default: try value.encode(to: NodeEncoder(node: node, codingPath: codingPath))
        }
    }

    /// The value being built at one position of the output.
    final class Node {
        var scalar: JSONValue?
        var members: JSONObject<Node>?
        var elements: [Node]?

        var json: JSONValue {
            if let members { return .object(members.mapValues(\.json)) }
            if let elements { return .array(elements.map(\.json)) }
            return scalar ?? .object([:])
        }

        func member(_ key: String) -> Node {
            let child = Node()
            if members == nil { members = [:] }
            members![key] = child
            return child
        }

        func appendElement() -> Node {
            let child = Node()
            if elements == nil { elements = [] }
            elements!.append(child)
            return child
        }
    }

    struct NodeEncoder: Encoder {
        let node: Node
        let codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            if node.members == nil { node.members = [:] }
            return KeyedEncodingContainer(KeyedContainer<Key>(node: node, codingPath: codingPath))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            if node.elements == nil { node.elements = [] }
            return UnkeyedContainer(node: node, codingPath: codingPath)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer {
            SingleValueContainer(node: node, codingPath: codingPath)
        }
    }

    struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let node: Node
        let codingPath: [any CodingKey]

        mutating func encodeNil(forKey key: Key) throws { node.member(key.stringValue).scalar = .null }
        mutating func encode(_ value: Bool, forKey key: Key) throws { node.member(key.stringValue).scalar = .bool(value) }
        mutating func encode(_ value: String, forKey key: Key) throws { node.member(key.stringValue).scalar = .string(value) }
        mutating func encode(_ value: Double, forKey key: Key) throws { node.member(key.stringValue).scalar = .number(value) }
        mutating func encode(_ value: Float, forKey key: Key) throws { node.member(key.stringValue).scalar = .number(Double(value)) }
        mutating func encode(_ value: Int, forKey key: Key) throws { node.member(key.stringValue).scalar = .number(Double(value)) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { node.member(key.stringValue).scalar = .number(Double(value)) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { node.member(key.stringValue).scalar = .number(Double(value)) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { node.member(key.stringValue).scalar = .number(Double(value)) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { node.member(key.stringValue).scalar = .number(Double(value)) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { node.member(key.stringValue).scalar = .number(Double(value)) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { node.member(key.stringValue).scalar = .number(Double(value)) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { node.member(key.stringValue).scalar = .number(Double(value)) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { node.member(key.stringValue).scalar = .number(Double(value)) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { node.member(key.stringValue).scalar = .number(Double(value)) }

        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            try JSONValueEncoder.encode(value, into: node.member(key.stringValue), codingPath: codingPath + [key])
        }

        mutating func nestedContainer<NestedKey: CodingKey>(
            keyedBy keyType: NestedKey.Type, forKey key: Key
        ) -> KeyedEncodingContainer<NestedKey> {
            NodeEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key]).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            NodeEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder {
            NodeEncoder(node: node.member("super"), codingPath: codingPath)
        }

        mutating func superEncoder(forKey key: Key) -> any Encoder {
            NodeEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key])
        }
    }

    struct UnkeyedContainer: UnkeyedEncodingContainer {
        let node: Node
        let codingPath: [any CodingKey]
        var count: Int { node.elements?.count ?? 0 }

        mutating func encodeNil() throws { node.appendElement().scalar = .null }
        mutating func encode(_ value: Bool) throws { node.appendElement().scalar = .bool(value) }
        mutating func encode(_ value: String) throws { node.appendElement().scalar = .string(value) }
        mutating func encode(_ value: Double) throws { node.appendElement().scalar = .number(value) }
        mutating func encode(_ value: Int) throws { node.appendElement().scalar = .number(Double(value)) }

        mutating func encode<T: Encodable>(_ value: T) throws {
            try JSONValueEncoder.encode(value, into: node.appendElement(), codingPath: codingPath)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            NodeEncoder(node: node.appendElement(), codingPath: codingPath).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            NodeEncoder(node: node.appendElement(), codingPath: codingPath).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder {
            NodeEncoder(node: node.appendElement(), codingPath: codingPath)
        }
    }

    struct SingleValueContainer: SingleValueEncodingContainer {
        let node: Node
        let codingPath: [any CodingKey]

        mutating func encodeNil() throws { node.scalar = .null }
        mutating func encode(_ value: Bool) throws { node.scalar = .bool(value) }
        mutating func encode(_ value: String) throws { node.scalar = .string(value) }
        mutating func encode(_ value: Double) throws { node.scalar = .number(value) }
        mutating func encode(_ value: Float) throws { node.scalar = .number(Double(value)) }
        mutating func encode(_ value: Int) throws { node.scalar = .number(Double(value)) }
        mutating func encode(_ value: Int8) throws { node.scalar = .number(Double(value)) }
        mutating func encode(_ value: Int16) throws { node.scalar = .number(Double(value)) }
        mutating func encode(_ value: Int32) throws { node.scalar = .number(Double(value)) }
        mutating func encode(_ value: Int64) throws { node.scalar = .number(Double(value)) }
        mutating func encode(_ value: UInt) throws { node.scalar = .number(Double(value)) }
        mutating func encode(_ value: UInt8) throws { node.scalar = .number(Double(value)) }
        mutating func encode(_ value: UInt16) throws { node.scalar = .number(Double(value)) }
        mutating func encode(_ value: UInt32) throws { node.scalar = .number(Double(value)) }
        mutating func encode(_ value: UInt64) throws { node.scalar = .number(Double(value)) }

        mutating func encode<T: Encodable>(_ value: T) throws {
            try JSONValueEncoder.encode(value, into: node, codingPath: codingPath)
        }
    }
}
