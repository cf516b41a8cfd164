import JavaScriptFormats

/// Everything a store keeps for one session: the `cookie` object plus the user data, exactly the
/// JSON object express-session hands its store (the session id is not part of it).
///
/// User data is an ordered JSON object, so keys written by another application survive a
/// read-modify-write, and the serialized form is byte-identical to `JSON.stringify`'s.
public struct SessionData: Sendable, Hashable {
    /// The session cookie's settings and expiry.
    public var cookie: SessionCookie
    /// The user data: every top-level key except `cookie`, in order (a `cookie` key put here is not written).
    public var values: JSONObject<JSONValue>
    /// Where `cookie` sits among the top-level keys (express-session writes it first).
    private var cookiePosition: Int

    /// A session with the given cookie and user data (the cookie is written first).
    public init(cookie: SessionCookie = SessionCookie(), values: JSONObject<JSONValue> = [:]) {
        self.cookie = cookie
        self.values = values
        self.cookiePosition = 0
    }

    /// The user value stored under `key`; setting nil removes it. `cookie` is reserved for the
    /// session cookie: it reads as nil and writes to it are ignored.
    public subscript(key: String) -> JSONValue? {
        get { key == "cookie" ? nil : values[key] }
        set {
            guard key != "cookie" else { return }
            values[key] = newValue
        }
    }

    /// The whole session as the JSON object a store keeps.
    public var jsonValue: JSONValue {
        var object = JSONObject<JSONValue>()
        object.reserveCapacity(values.count + 1)
        let position = min(cookiePosition, values.count)
        for (index, element) in values.enumerated() {
            if index == position { object["cookie"] = cookie.jsonValue }
            if element.key != "cookie" { object[element.key] = element.value }
        }
        if position == values.count { object["cookie"] = cookie.jsonValue }
        return .object(object)
    }

    /// The session JSON as express-session would write it, byte for byte.
    public var jsonString: String { jsonValue.jsonString }

    /// The user data alone, serialized; two sessions hold the same data exactly when these match.
    /// express-session decides "modified" by comparing this form.
    public var valuesJSONString: String { JSONValue.object(values).jsonString }

    /// Reads a stored session object. A missing or malformed `cookie` member yields default cookie settings.
    ///
    /// - Throws: `JSONParsingError` when `jsonValue` is not an object.
    public init(jsonValue: JSONValue) throws(JSONParsingError) {
        guard case .object(let object) = jsonValue else {
            throw JSONParsingError(reason: "a session must be a JSON object", offset: 0)
        }
        self.init(object: object)
    }

    /// Reads a stored session object (taking ownership of `object`, so that removing the `cookie`
    /// member does not copy the others when the caller holds no other reference).
    private init(object: consuming JSONObject<JSONValue>) {
        var object = object
        let position = object.index(forKey: "cookie")
        if let position, case .object = object[position].value {
            cookie = SessionCookie(jsonValue: object[position].value)
        } else {
            cookie = SessionCookie()
        }
        if let position { object.remove(at: position) }
        cookiePosition = position ?? 0
        values = object
    }

    /// Parses a stored session JSON text.
    ///
    /// - Throws: `JSONParsingError` when the text is not JSON or not an object.
    public init(jsonString: String) throws(JSONParsingError) {
        try self.init(jsonValue: JSONValue(parsing: jsonString))
    }

    /// Parses a stored session JSON given as UTF-8 bytes.
    ///
    /// - Throws: `JSONParsingError` when the bytes are not JSON or not an object.
    public init(jsonBytes: some Collection<UInt8>) throws(JSONParsingError) {
        // Parsed through a concrete buffer: handing the generic collection on to
        // `JSONValue(parsing:)` would run the parser unspecialized in this unspecialized function.
        let parsed: Result<JSONValue, JSONParsingError>? = jsonBytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(JSONParsingError) -> JSONValue in try JSONValue(parsing: UnsafeRawBufferPointer(buffer)) }
        }
        // The parse result is consumed once its object is taken: the object is then the only
        // reference to its storage, and removing `cookie` needs no copy.
        let value: JSONValue
        if let parsed { value = try parsed.get() } else { value = try JSONValue(parsing: Array(jsonBytes)) }
        var object: JSONObject<JSONValue>
        if case .object(let parsed) = value {
            object = parsed
        } else {
            throw JSONParsingError(reason: "a session must be a JSON object", offset: 0)
        }
        _ = consume value
        self.init(object: consume object)
    }
}
