import NIOCore

/// Acknowledgement ids of one socket, both ways.
///
/// Outgoing: ids the server allocated for its own emits, each with an optional deadline.
/// Incoming: ids of client events still waiting for the server's single answer. A client may
/// use one id for several events (socket.io answers each of them once), so each id is counted.
struct SocketIOAckTracker: Sendable {
    private var nextID: UInt64 = 0
    private(set) var outgoing: [UInt64: NIODeadline?] = [:]
    private var incoming: [UInt64: Int] = [:]

    /// Allocates the next id for an emit expecting an ack (optionally timing out at `deadline`).
    mutating func allocate(deadline: NIODeadline?) -> UInt64 {
        let id = nextID
        nextID += 1
        outgoing[id] = deadline
        return id
    }

    /// Consumes an outgoing id answered by the client; false when unknown or already answered.
    mutating func resolve(_ id: UInt64) -> Bool { outgoing.removeValue(forKey: id) != nil }

    /// Remembers a client event's id until the server answers it.
    mutating func expectAnswer(_ id: UInt64) { incoming[id, default: 0] += 1 }

    /// Consumes one use of an incoming id; false when not awaited (unknown, or every event
    /// that used it was answered).
    mutating func answer(_ id: UInt64) -> Bool {
        guard let uses = incoming[id] else { return false }
        incoming[id] = uses > 1 ? uses - 1 : nil
        return true
    }

    /// Removes and returns the outgoing ids whose deadline is at or before `now`, in id order.
    mutating func expire(now: NIODeadline) -> [UInt64] {
        let expired = outgoing.compactMap { id, deadline in deadline.map { $0 <= now } == true ? id : nil }.sorted()
        for id in expired { outgoing[id] = nil }
        return expired
    }

    /// The earliest outgoing deadline.
    var earliestDeadline: NIODeadline? { outgoing.values.compactMap { $0 }.min() }

    /// Every outgoing id still waiting, in id order.
    var pendingIDs: [UInt64] { outgoing.keys.sorted() }
}
