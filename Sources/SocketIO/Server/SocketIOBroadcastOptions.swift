/// Which sockets of a namespace a broadcast or a room operation targets.
public struct SocketIOBroadcastOptions: Hashable, Sendable {
    /// Target only members of these rooms (any of them); empty means every socket.
    public var rooms: Set<String>
    /// Skip members of these rooms (a socket's own id is a room, so this also excludes a sender).
    public var except: Set<String>
    /// Only this server instance: adapters that span instances (Redis) do not forward.
    public var local: Bool

    /// Options targeting `rooms` (default: everyone) minus `except` (default: nobody).
    public init(rooms: Set<String> = [], except: Set<String> = [], local: Bool = false) {
        self.rooms = rooms
        self.except = except
        self.local = local
    }
}
