import Logging
import SessionKit
import SocketIO
import Synchronization
import SesiorUsers

/// The original SESIOR socket events, for one socket at a time:
///
/// - `user:connected`(userName, ack) → `user:joined`({userName}) to everyone else; ack
///   `(null, {name: {userName}})` with every registered user (from the registry, so every instance's).
/// - `user:rename`(newName, ack) → the `/register` name rules, the name claimed in the registry and
///   written to the session atomically; `user:renamed` ({oldUserName, user}) to everyone else;
///   ack `(null, {oldUserName, user})` or `(reason)`.
/// - disconnect → `user:left`(userName) to everyone else, only when it was the session's last socket
///   on any instance (asked across instances through the adapter) and the session still exists (a
///   logout has already announced it).
///
/// The session is the source of truth for the user's name (another tab may have renamed it), so it
/// is read from the store when needed rather than kept on the socket.
struct ShowcaseSocketEvents: Sendable {
    static let userConnected = "user:connected"
    static let userRename = "user:rename"
    static let userJoined = "user:joined"
    static let userRenamed = "user:renamed"
    static let userLeft = "user:left"

    let services: SesiorServices
    let io: SocketIOServer

    /// Joins the socket to its session's room and installs its handlers.
    func connected(_ socket: SocketIOSocket) async {
        guard let sessionID = socket.data[SocketHandshakeCheck.sessionIDKey]?.stringValue else {
            socket.disconnect()
            return
        }
        await socket.join(sessionID)
        socket.on(Self.userConnected) { _, ack in
            await userConnected(socket, sessionID: sessionID, ack: ack)
        }
        socket.on(Self.userRename) { arguments, ack in
            let reply = await rename(socket, sessionID: sessionID, to: arguments.first)
            ack?(arguments: reply)
        }
        socket.onDisconnect { _ in await disconnected(socket, sessionID: sessionID) }
    }

    private func userConnected(_ socket: SocketIOSocket, sessionID: String, ack: SocketIOAck?) async {
        do {
            if let name = try await currentName(of: sessionID) {
                await socket.broadcast.emit(Self.userJoined, Self.user(name))
            }
            let users = SocketIOObject(try await services.users.userNames().map { ($0, Self.user($0)) })
            ack?(.null, .object(users))
        } catch {
            services.logger.warning("user:connected failed", metadata: ["error": "\(error)"])
            ack?("Service unavailable")
        }
    }

    /// The ack arguments of `user:rename`.
    private func rename(_ socket: SocketIOSocket, sessionID: String, to argument: SocketIOValue?) async
        -> [SocketIOValue]
    {
        guard let raw = argument?.stringValue else { return ["userName must be a string"] }
        let name: UserName
        do {
            name = try UserName(validating: raw)
        } catch {
            return [.string(error.reason)]
        }
        do {
            guard try await services.claim(name, for: sessionID) else { return ["User already exists"] }
            let previous = PreviousName()
            let written = try await services.lifecycle.modify(sessionID: sessionID) { data in
                let old = data.values[SessionKeys.userName].flatMap { value -> String? in
                    if case .string(let string) = value { return string }
                    return nil
                }
                previous.value.withLock { $0 = old }
                data.values[SessionKeys.userName] = .string(name.value)
            }
            guard written != nil else {
                try await services.users.release(name, ownedBy: sessionID)
                return [.string(SocketHandshakeCheck.notAuthorized)]
            }
            let oldName = previous.value.withLock { $0 }
            if let oldName, oldName != name.value, let old = try? UserName(validating: oldName) {
                try await services.users.release(old, ownedBy: sessionID)
            }
            let renamed: SocketIOValue = [
                "oldUserName": oldName.map { .string($0) } ?? .null, "user": Self.user(name.value),
            ]
            await socket.broadcast.emit(Self.userRenamed, renamed)
            services.logger.info("user renamed", metadata: ["from": "\(oldName ?? "")", "to": "\(name)"])
            return [.null, renamed]
        } catch {
            services.logger.warning("user:rename failed", metadata: ["error": "\(error)"])
            return ["Service unavailable"]
        }
    }

    private func disconnected(_ socket: SocketIOSocket, sessionID: String) async {
        guard await !hasOtherSockets(sessionID: sessionID, than: socket.id) else { return }
        guard let name = try? await currentName(of: sessionID) else { return }
        await socket.broadcast.emit(Self.userLeft, .string(name))
    }

    /// Broadcasts `user:left` for session `sessionID` when no instance has a socket of it and it
    /// still holds a user name: for the sessions of an instance that ended without running its
    /// disconnect handlers (`InstancePresence`). Nothing when the instances cannot be asked.
    func announceLeft(sessionID: String) async {
        guard let sockets = try? await io.to(sessionID).socketIDs(), sockets.isEmpty,
            let name = try? await currentName(of: sessionID)
        else { return }
        await io.emit(Self.userLeft, .string(name))
    }

    /// Whether session `sessionID` still has a socket other than `socketID` on any instance; when
    /// another instance does not answer in time, on this instance only (with a warning).
    private func hasOtherSockets(sessionID: String, than socketID: String) async -> Bool {
        do {
            return try await io.to(sessionID).socketIDs().contains { $0 != socketID }
        } catch {
            services.logger.warning("user:left: asking the other instances failed", metadata: ["error": "\(error)"])
            return ((try? await io.to(sessionID).local.socketIDs()) ?? []).contains { $0 != socketID }
        }
    }

    /// The user name stored in session `sessionID`, or nil when the session is gone or has none.
    private func currentName(of sessionID: String) async throws -> String? {
        guard let data = try await services.sessionStore.get(sessionID),
            case .string(let name) = data.values[SessionKeys.userName]
        else { return nil }
        return name
    }

    /// `{"userName": name}`.
    static func user(_ name: String) -> SocketIOValue { ["userName": .string(name)] }
}

/// The name a session held before `user:rename`'s atomic update, captured by the update closure
/// (which may run more than once when a concurrent write forces a retry; the last run wins).
private final class PreviousName: Sendable {
    let value = Mutex<String?>(nil)
}
