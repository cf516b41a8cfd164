import Foundation
import SessionKit
import Synchronization

/// A clock the test moves by hand.
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = JavaScriptDate.parseISO("2026-11-27T10:55:18.602Z")!) {
        current = Mutex(start)
    }

    var now: Date { current.withLock { $0 } }

    func advance(seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    var sessionClock: SessionClock { SessionClock { [self] in self.now } }
}
