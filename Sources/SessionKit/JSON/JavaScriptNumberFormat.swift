/// Formats doubles as JavaScript's `Number.prototype.toString()` does (ECMA-262 Number::toString).
///
/// Swift's `description` already yields the shortest digit string that round-trips; this type only
/// re-lays those digits out with JavaScript's rules: plain notation for exponents from -6 to 20,
/// exponent notation (`1.5e+21`, `1e-7`) outside, no trailing `.0`.
enum JavaScriptNumberFormat {
    /// The JavaScript text of `number`; `nonFiniteAs` replaces NaN and infinities (JSON writes `null`).
    static func string(_ number: Double, nonFiniteAs nonFinite: String? = nil) -> String {
        guard number.isFinite else {
            if let nonFinite { return nonFinite }
            return number.isNaN ? "NaN" : (number < 0 ? "-Infinity" : "Infinity")
        }
        if number == 0 { return "0" }
        let (digits, pointPosition) = shortestDigits(abs(number))
        let sign = number < 0 ? "-" : ""
        let k = digits.count
        let n = pointPosition
        if k <= n && n <= 21 {
            return sign + digits + String(repeating: "0", count: n - k)
        }
        if 0 < n && n <= 21 {
            let split = digits.index(digits.startIndex, offsetBy: n)
            return sign + digits[..<split] + "." + digits[split...]
        }
        if -6 < n && n <= 0 {
            return sign + "0." + String(repeating: "0", count: -n) + digits
        }
        let exponent = n - 1
        let exponentText = (exponent < 0 ? "e-" : "e+") + String(abs(exponent))
        if k == 1 { return sign + digits + exponentText }
        return sign + String(digits.first!) + "." + digits.dropFirst() + exponentText
    }

    /// The significant digits of a positive finite `value` (no leading or trailing zeros) and `n`
    /// such that value = 0.digits × 10^n.
    static func shortestDigits(_ value: Double) -> (digits: String, pointPosition: Int) {
        let text = value.description
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...])!
        }
        var integerPart = mantissa
        var fractionPart: Substring = ""
        if let dot = mantissa.firstIndex(of: ".") {
            integerPart = mantissa[..<dot]
            fractionPart = mantissa[mantissa.index(after: dot)...]
        }
        var digits = String(integerPart) + fractionPart
        var pointPosition = integerPart.count + exponent
        while digits.first == "0" {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.last == "0" {
            digits.removeLast()
        }
        return (digits, pointPosition)
    }
}
