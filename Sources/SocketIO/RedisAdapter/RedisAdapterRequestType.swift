/// The `RequestType` numbers of `@socket.io/redis-adapter`, carried in the `type` member of
/// requests and of some responses.
enum RedisAdapterRequestType: UInt8, Hashable, Sendable, CaseIterable {
    /// `sockets(rooms)`: the ids in rooms (answered; Node 8.x no longer asks).
    case sockets = 0
    /// `allRooms()`.
    case allRooms = 1
    /// `socketsJoin`.
    case remoteJoin = 2
    /// `socketsLeave`.
    case remoteLeave = 3
    /// `disconnectSockets`.
    case remoteDisconnect = 4
    /// `fetchSockets`.
    case remoteFetch = 5
    /// `serverSideEmit`, and the type of its acknowledgements.
    case serverSideEmit = 6
    /// A broadcast expecting client acknowledgements.
    case broadcast = 7
    /// How many clients an instance sent a `broadcast` request to.
    case broadcastClientCount = 8
    /// One client's acknowledgement of a `broadcast` request.
    case broadcastAck = 9
}
