import Logging
import RedisStore
import SocketIO

/// Which sessions have sockets on which instance, kept in Redis, so that the instances still
/// running announce `user:left` for the users of an instance that ended without running its
/// disconnect handlers (`SIGKILL`, a crash, a lost machine).
///
/// Every `interval` an instance renews its heartbeat key `<prefix>:heartbeat:<instance>` (it
/// expires `deadAfter` later unless renewed), rewrites the set `<prefix>:sessions:<instance>` of
/// the session ids with a socket on it, and lists itself in the set `<prefix>:instances`. It then
/// looks at the other listed instances: one whose heartbeat has expired is gone. One script takes
/// the gone instance's session set and unlists it atomically, so exactly one live instance reaps
/// it; for each of those sessions that has no socket on any live instance (asked through the
/// adapter) and still holds a user name, that instance broadcasts `user:left`, as the gone
/// instance's disconnect handler would have. A graceful stop removes the instance's keys itself
/// (its disconnect handlers have announced its users).
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
    private let io: SocketIOServer
    private let events: ShowcaseSocketEvents
    private let logger: Logger
    private let loop: Task<Void, Never>?

    /// Starts beating for `instanceID` on the Redis behind `client`; `events` announces the users
    /// of reaped instances.
    init(client: any RedisClient, instanceID: String, io: SocketIOServer, events: ShowcaseSocketEvents, logger: Logger)
    {
        self.client = client
        self.instanceID = instanceID
        self.io = io
        self.events = events
        self.logger = logger
        let beat = Beat(client: client, instanceID: instanceID, io: io, events: events, logger: logger)
        loop = Task {
            while !Task.isCancelled {
                await beat.run()
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

    /// Stops beating and removes this instance's keys.
    func stop() async {
        loop?.cancel()
        // A beat under way finishes first, so it cannot write the keys again after they are gone.
        await loop?.value
        do {
            _ = try await client.send(
                "EVAL", Beat.leaveScript, "3", Self.heartbeatKey(instanceID), Self.sessionsKey(instanceID),
                Self.instancesKey, instanceID)
        } catch {
            logger.debug("presence: leaving failed", metadata: ["error": "\(error)"])
        }
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

        /// KEYS: heartbeat, sessions, instances; ARGV: time to live (ms), instance id, session ids.
        static let beatScript = """
            redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
            redis.call('DEL', KEYS[2])
            for i = 3, #ARGV, 1000 do
              redis.call('SADD', KEYS[2], unpack(ARGV, i, math.min(i + 999, #ARGV)))
            end
            redis.call('SADD', KEYS[3], ARGV[2])
            return redis.call('SMEMBERS', KEYS[3])
            """

        /// KEYS: heartbeat, sessions, instances of the gone instance; ARGV: its id. Its session
        /// ids, or false when it beat again meanwhile.
        static let reapScript = """
            if redis.call('EXISTS', KEYS[1]) == 1 then return false end
            local sessions = redis.call('SMEMBERS', KEYS[2])
            redis.call('DEL', KEYS[2])
            redis.call('SREM', KEYS[3], ARGV[1])
            return sessions
            """

        /// KEYS: heartbeat, sessions, instances; ARGV: the instance id.
        static let leaveScript = """
            redis.call('DEL', KEYS[1], KEYS[2])
            redis.call('SREM', KEYS[3], ARGV[1])
            return 1
            """

        func run() async {
            do {
                let sessions = Set(io.main.sockets.compactMap { $0.data[SocketHandshakeCheck.sessionIDKey]?.stringValue })
                let ttl = String(InstancePresence.deadAfter.components.seconds * 1000)
                let reply = try await client.send(RedisCommand(
                    ["EVAL", Self.beatScript, "3", InstancePresence.heartbeatKey(instanceID),
                     InstancePresence.sessionsKey(instanceID), InstancePresence.instancesKey, ttl, instanceID]
                        + sessions.sorted()))
                for other in (reply.array ?? []).compactMap(\.string) where other != instanceID {
                    let exists = try await client.send("EXISTS", InstancePresence.heartbeatKey(other))
                    if exists.int == 0 { try await reap(other) }
                }
            } catch {
                logger.debug("presence: beat failed", metadata: ["error": "\(error)"])
            }
        }

        private func reap(_ gone: String) async throws {
            let reply = try await client.send(
                "EVAL", Self.reapScript, "3", InstancePresence.heartbeatKey(gone), InstancePresence.sessionsKey(gone),
                InstancePresence.instancesKey, gone)
            guard let sessions = reply.array?.compactMap(\.string) else { return }
            logger.notice(
                "instance \(gone) stopped beating: announcing the users it had", metadata: ["sessions": "\(sessions.count)"])
            for sessionID in sessions { await events.announceLeft(sessionID: sessionID) }
        }
    }
}
