import Synchronization
import Testing

@testable import HTTPCore

@Suite("Date header")
struct SerializerDateTests {
    @Test(arguments: [
        (Int64(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT"),
        (Int64(0), "Thu, 01 Jan 1970 00:00:00 GMT"),
        (Int64(951_782_400), "Tue, 29 Feb 2000 00:00:00 GMT"),
        (Int64(1_795_779_599), "Fri, 27 Nov 2026 11:39:59 GMT"),
        (Int64(4_102_444_799), "Thu, 31 Dec 2099 23:59:59 GMT"),
        (Int64(-1), "Wed, 31 Dec 1969 23:59:59 GMT"),
    ])
    func imfFixdate(seconds: Int64, expected: String) {
        #expect(IMFFixdate.format(secondsSince1970: seconds) == expected)
    }

    @Test func cacheRecomputesOnlyWhenTheSecondChanges() {
        let clock = Mutex<(now: Int64, reads: Int)>((0, 0))
        var cache = HTTPDateCache(now: {
            clock.withLock {
                $0.reads += 1
                return $0.now
            }
        })
        let first = cache.value()
        #expect(first == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(cache.value() == first)
        clock.withLock { $0.now = 1 }
        #expect(cache.value() == "Thu, 01 Jan 1970 00:00:01 GMT")
        clock.withLock { $0.now = 86_400 }
        #expect(cache.value() == "Fri, 02 Jan 1970 00:00:00 GMT")
        #expect(clock.withLock { $0.reads } == 4)
    }
}
