import Logging
import RedisStore
import SocketIO

/// Which sessions have sockets on which instance, kept in Redis, so that the instances still
/// running announce `user:left` for the users of an instance that ended without running its
/// disconnect handlers (`SIGKILL`, a crash, a lost machine).
///
/// Every `interval` an instance renews its heartbeat key `<prefix>:heartbeat:<instance>` (it
/// expires `deadAfter` later unless renewed), brings the set `<prefix>:sessions:<instance>` of
/// the session ids with a socket on it up to date, and lists itself in the set
/// `<prefix>:instances`. It then looks at the other listed instances: one whose heartbeat has
/// expired is gone. One script takes the gone instance's session set and unlists it atomically,
/// so exactly one live instance reaps it; for each of those sessions that has no socket on any
/// live instance (asked through the adapter) and still holds a user name, that instance broadcasts
/// `user:left`, as the gone instance's disconnect handler would have.
///
/// An instance reaps only after it has beaten without a failure for `deadAfter` plus one
/// `interval`: after a Redis outage (or a Sentinel failover) every heartbeat has expired, and the
/// others need that long to beat and subscribe again. A session whose last local socket
/// disconnected is removed from the set by the disconnect handler (`disconnected(sessionID:)`), so
/// a reaper does not announce it a second time. A graceful stop just stops beating: its users are
/// announced by its disconnect handlers, and whatever they did not finish is reaped by the others.
///
/// Instance ids must be unique per running process: an instance restarted with the id of a dead
/// one takes its place (its first beat rewrites the set) and nobody reaps the old entries.
final class InstancePresence: Sendable {
    /// How often an instance beats and looks for gone instances.
    static let interval: Duration = .seconds(2)
    /// How long after its last beat an instance counts as gone.
    static let deadAfter: Duration = .seconds(6)
    static let prefix = "sesior:presence"

    private let client: any RedisClient
    private let instanceID: String
    private let logger: Logger
    private let loop: Task<Void, Never>

    /// Starts beating for `instanceID` on the Redis behind `client`; `events` announces the users
    /// of reaped instances.
    init(client: any RedisClient, instanceID: String, io: SocketIOServer, events: ShowcaseSocketEvents, logger: Logger)
    {
        self.client = client
        self.instanceID = instanceID
        self.logger = logger
        let beat = Beat(client: client, instanceID: instanceID, io: io, events: events, logger: logger)
        loop = Task {
            var listed: Set<String>?
            var healthySince: ContinuousClock.Instant?
            while !Task.isCancelled {
                let now = ContinuousClock.now
                let mayReap = healthySince.map { now - $0 >= Self.deadAfter + Self.interval } ?? false
                if let sessions = await beat.run(listed: listed, reaping: mayReap) {
                    listed = sessions
                    healthySince = healthySince ?? now
                } else {
                    healthySince = nil
                }
                try? await Task.sleep(for: Self.interval)
            }
        }
    }

    /// Adds `sessionID` to this instance's set at once (the next beat would, `interval` later).
    func connected(sessionID: String) async {
        do {
            _ = try await client.send("SADD", Self.sessionsKey(instanceID), sessionID)
        } catch {
            logger.debug("presence: SADD failed", metadata: ["error": "\(error)"])
        }
    }

    /// Removes `sessionID` from this instance's set: its last local socket is gone (and
    /// `user:left` was announced if it was the last anywhere).
    func disconnected(sessionID: String) async {
        do {
            _ = try await client.send("SREM", Self.sessionsKey(instanceID), sessionID)
        } catch {
            logger.debug("presence: SREM failed", metadata: ["error": "\(error)"])
        }
    }

    /// Stops beating; a beat under way finishes first. The keys stay until another instance
    /// reaps them (see the type's notes).
    func stop() async {
        loop.cancel()
        await loop.value
    }

    static func heartbeatKey(_ instance: String) -> String { "\(prefix):heartbeat:\(instance)" }
    static func sessionsKey(_ instance: String) -> String { "\(prefix):sessions:\(instance)" }
    static let instancesKey = "\(prefix):instances"

    /// One beat: what the loop task runs (a struct of its own so the task does not hold the
    /// presence object).
    private struct Beat: Sendable {
        let client: any RedisClient
        let instanceID: String
        let io: SocketIOServer
        let events: ShowcaseSocketEvents
        let logger: Logger

        /// KEYS: heartbeat, sessions, instances; ARGV: time to live (ms), instance id, the number
        /// n of sessions gone since the last beat (-1 on the first beat: the set is rewritten),
        /// those n, then the sessions now. Returns the listed instances. After the first beat
        /// sessions are added and removed, not the set rewritten, so an id a connecting socket
        /// added meanwhile stays.
        static let beatScript = """
            redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
            local gone = tonumber(ARGV[3])
            if gone < 0 then
              redis.call('DEL', KEYS[2])
              gone = 0
            end
            for i = 4, 3 + gone, 1000 do
              redis.call('SREM', KEYS[2], unpack(ARGV, i, math.min(i + 999, 3 + gone)))
            end
            for i = 4 + gone, #ARGV, 1000 do
              redis.call('SADD', KEYS[2], unpack(ARGV, i, math.min(i + 999, #ARGV)))
            end
            redis.call('SADD', KEYS[3], ARGV[2])
            return redis.call('SMEMBERS', KEYS[3])
            """

        /// KEYS: heartbeat, sessions, instances of the gone instance; ARGV: its id. Its session
        /// ids, or false when it beat again meanwhile or another instance reaped it first.
        static let reapScript = """
            if redis.call('EXISTS', KEYS[1]) == 1 then return false end
            if redis.call('SREM', KEYS[3], ARGV[1]) == 0 then return false end
            local sessions = redis.call('SMEMBERS', KEYS[2])
            redis.call('DEL', KEYS[2])
            return sessions
            """

        /// Beats (and, when `reaping`, reaps gone instances); returns the sessions now listed for
        /// this instance, or nil when Redis did not answer. `listed` is nil before the first beat.
        func run(listed: Set<String>?, reaping: Bool) async -> Set<String>? {
            let sessions = Set(io.main.sockets.compactMap { $0.data[SocketHandshakeCheck.sessionIDKey]?.stringValue })
            let gone = listed?.subtracting(sessions) ?? []
            let ttl = String(InstancePresence.deadAfter.components.seconds * 1000)
            let others: [String]
            do {
                let reply = try await client.send(RedisCommand(
                    ["EVAL", Self.beatScript, "3", InstancePresence.heartbeatKey(instanceID),
                     InstancePresence.sessionsKey(instanceID), InstancePresence.instancesKey, ttl, instanceID,
                     listed == nil ? "-1" : String(gone.count)] + gone.sorted() + sessions.sorted()))
                others = (reply.array ?? []).compactMap(\.string).filter { $0 != instanceID }
            } catch {
                logger.debug("presence: beat failed", metadata: ["error": "\(error)"])
                return nil
            }
            guard reaping else { return sessions }
            for other in others {
                do {
                    let exists = try await client.send("EXISTS", InstancePresence.heartbeatKey(other))
                    if exists.int == 0 { try await reap(other) }
                } catch {
                    logger.debug("presence: reaping \(other) failed", metadata: ["error": "\(error)"])
                }
            }
            return sessions
        }

        private func reap(_ gone: String) async throws {
            let reply = try await client.send(
                "EVAL", Self.reapScript, "3", InstancePresence.heartbeatKey(gone), InstancePresence.sessionsKey(gone),
                InstancePresence.instancesKey, gone)
            guard let sessions = reply.array?.compactMap(\.string) else { return }
            logger.notice(
                "instance \(gone) stopped beating: announcing the users it had", metadata: ["sessions": "\(sessions.count)"])
            // In a task of its own: each announcement asks every instance (up to the adapter's
            // request timeout), and the heartbeat must not wait for that.
            let events = events
            Task {
                for sessionID in sessions { await events.announceLeft(sessionID: sessionID) }
            }
        }
    }
}
