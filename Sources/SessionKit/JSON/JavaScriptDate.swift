import Foundation

/// JavaScript's date text formats, computed without locale or formatter state:
/// `toISOString()` (`2026-11-27T11:55:18.602Z`, what a session cookie's `expires` is stored as) and
/// `toUTCString()` (`Fri, 27 Nov 2026 11:55:18 GMT`, what a `Set-Cookie` `Expires` attribute holds).
/// JavaScript dates have millisecond resolution, so dates are truncated to whole milliseconds.
public enum JavaScriptDate {
    /// Whole milliseconds since 1970 of `date` (rounded toward negative infinity, like `Date.now()`).
    /// Values within a few floating-point steps of a whole millisecond count as that millisecond, so
    /// a date made from whole milliseconds converts back exactly despite `Date`'s 2001-based doubles.
    public static func milliseconds(_ date: Date) -> Int64 {
        let seconds = date.timeIntervalSince1970
        let exact = seconds * 1000
        let nearest = exact.rounded()
        let tolerance = max(0.001, 8 * 1000 * max(seconds.ulp, date.timeIntervalSinceReferenceDate.ulp))
        return Int64(abs(exact - nearest) < tolerance ? nearest : exact.rounded(.down))
    }

    /// The date at `milliseconds` since 1970.
    public static func date(milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    /// `date` truncated to whole milliseconds, as a JavaScript `Date` would hold it.
    public static func truncated(_ date: Date) -> Date {
        self.date(milliseconds: milliseconds(date))
    }

    /// `Date.prototype.toISOString()`: `YYYY-MM-DDTHH:mm:ss.sssZ`.
    public static func isoString(_ date: Date) -> String {
        let parts = Parts(milliseconds: milliseconds(date))
        let year: String
        if (0...9999).contains(parts.year) {
            year = pad(parts.year, 4)
        } else {
            year = (parts.year < 0 ? "-" : "+") + pad(abs(parts.year), 6)
        }
        return "\(year)-\(pad(parts.month, 2))-\(pad(parts.day, 2))T\(pad(parts.hour, 2)):\(pad(parts.minute, 2))"
            + ":\(pad(parts.second, 2)).\(pad(parts.millisecond, 3))Z"
    }

    /// `Date.prototype.toUTCString()`: `Www, DD Mmm YYYY HH:mm:ss GMT`.
    public static func utcString(_ date: Date) -> String {
        let parts = Parts(milliseconds: milliseconds(date))
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let year = parts.year < 0 ? "-" + pad(-parts.year, 4) : pad(parts.year, 4)
        return "\(weekdays[parts.weekday]), \(pad(parts.day, 2)) \(months[Int(parts.month) - 1]) \(year) "
            + "\(pad(parts.hour, 2)):\(pad(parts.minute, 2)):\(pad(parts.second, 2)) GMT"
    }

    /// Parses the UTC forms of ISO-8601 that `toISOString()` writes: `YYYY-MM-DDTHH:mm[:ss[.sss]]Z`
    /// (also with a `+HH:mm`/`-HH:mm` offset). Returns nil for anything else.
    public static func parseISO(_ text: String) -> Date? {
        var scanner = DigitScanner(Array(text.utf8))
        var sign: Int64 = 1
        var yearDigits = 4
        if scanner.accept(UInt8(ascii: "+")) {
            yearDigits = 6
        } else if scanner.accept(UInt8(ascii: "-")) {
            sign = -1
            yearDigits = 6
        }
        guard let year = scanner.number(digits: yearDigits), scanner.accept(UInt8(ascii: "-")),
            let month = scanner.number(digits: 2), (1...12).contains(month), scanner.accept(UInt8(ascii: "-")),
            let day = scanner.number(digits: 2), (1...31).contains(day), scanner.accept(UInt8(ascii: "T")),
            let hour = scanner.number(digits: 2), hour <= 24, scanner.accept(UInt8(ascii: ":")),
            let minute = scanner.number(digits: 2), minute <= 59
        else { return nil }
        var second: Int64 = 0
        var millisecond: Int64 = 0
        if scanner.accept(UInt8(ascii: ":")) {
            guard let value = scanner.number(digits: 2), value <= 59 else { return nil }
            second = value
            if scanner.accept(UInt8(ascii: ".")) {
                guard let fraction = scanner.fraction() else { return nil }
                millisecond = fraction
            }
        }
        var offsetMinutes: Int64 = 0
        if scanner.accept(UInt8(ascii: "Z")) {
            offsetMinutes = 0
        } else if let offsetSign = scanner.acceptSign() {
            guard let offsetHour = scanner.number(digits: 2), scanner.accept(UInt8(ascii: ":")),
                let offsetMinute = scanner.number(digits: 2)
            else { return nil }
            offsetMinutes = offsetSign * (offsetHour * 60 + offsetMinute)
        } else {
            return nil
        }
        guard scanner.atEnd else { return nil }
        let days = daysFromCivil(year: sign * year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60
        return date(milliseconds: seconds * 1000 + millisecond)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private struct Parts {
        var year: Int64, month: Int64, day: Int64, weekday: Int
        var hour: Int64, minute: Int64, second: Int64, millisecond: Int64

        init(milliseconds: Int64) {
            let msPerDay: Int64 = 86_400_000
            var days = milliseconds / msPerDay
            var msOfDay = milliseconds % msPerDay
            if msOfDay < 0 {
                msOfDay += msPerDay
                days -= 1
            }
            hour = msOfDay / 3_600_000
            minute = msOfDay / 60_000 % 60
            second = msOfDay / 1000 % 60
            millisecond = msOfDay % 1000
            weekday = Int(((days % 7) + 11) % 7)  // 1970-01-01 was a Thursday (4).
            let z = days + 719_468
            let era = (z >= 0 ? z : z - 146_096) / 146_097
            let dayOfEra = z - era * 146_097
            let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
            let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
            let mp = (5 * dayOfYear + 2) / 153
            day = dayOfYear - (153 * mp + 2) / 5 + 1
            month = mp < 10 ? mp + 3 : mp - 9
            year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        }
    }

    private struct DigitScanner {
        let bytes: [UInt8]
        var position = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { position == bytes.count }

        mutating func accept(_ byte: UInt8) -> Bool {
            guard position < bytes.count, bytes[position] == byte else { return false }
            position += 1
            return true
        }

        mutating func acceptSign() -> Int64? {
            if accept(UInt8(ascii: "+")) { return 1 }
            if accept(UInt8(ascii: "-")) { return -1 }
            return nil
        }

        mutating func number(digits: Int) -> Int64? {
            guard position + digits <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[position..<position + digits] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            position += digits
            return value
        }

        /// One or more fraction digits, as milliseconds (digits past the third are dropped).
        mutating func fraction() -> Int64? {
            var value: Int64 = 0
            var count = 0
            while position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
                if count < 3 { value = value * 10 + Int64(bytes[position] - UInt8(ascii: "0")) }
                count += 1
                position += 1
            }
            guard count > 0 else { return nil }
            for _ in count..<max(count, 3) { value *= 10 }
            return value
        }
    }
}
