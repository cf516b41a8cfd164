// SocketIO
//
// An Engine.IO v4 / Socket.IO v5 server: namespaces, rooms, acknowledgements and adapters.
