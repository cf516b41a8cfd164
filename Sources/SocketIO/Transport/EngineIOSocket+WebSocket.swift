import NIOCore
import WebSocketCore

extension EngineIOSocket {
    /// Where a session writes one of its WebSockets: straight onto the connection
    /// (`WebSocket.enqueue`), in order, with no task or stream per socket or message.
    /// A class, not a struct: a broadcast reads it once per socket under the lock, and copying
    /// a `WebSocket` value (its request, streams, channel) cost a dozen retains each time.
    final class Outbound: Sendable {
        let id: Int
        let webSocket: WebSocket

        init(id: Int, webSocket: WebSocket) {
            self.id = id
            self.webSocket = webSocket
        }

        func write(_ frame: EngineIOFrame) {
            switch frame {
            case .text(let text): webSocket.enqueue(.text(text))
            case .binary(let bytes): webSocket.enqueue(.binary(bytes))
            }
        }

        /// Writes a broadcast's prepared frame (in place: no copy of the `WebSocket` value).
        func enqueue(_ message: WebSocketPreparedMessage) { webSocket.enqueue(message) }

        /// The connection's event loop.
        var eventLoop: any EventLoop { webSocket.eventLoop }

        /// Starts the close handshake after what was already written.
        func close() { webSocket.enqueueClose() }
    }

    /// Attaches a probing WebSocket (after `beginUpgrade` accepted it) and serves it until it
    /// closes. If the upgrade was abandoned meanwhile, the socket is closed at once.
    func serveProbe(_ webSocket: WebSocket) async {
        let id: Int? = state.withLockedValue { state in
            guard case .upgrading = state.session.phase, state.probe == nil else { return nil }
            let id = state.nextWebSocketID
            state.nextWebSocketID += 1
            state.probe = Outbound(id: id, webSocket: webSocket)
            return id
        }
        guard let id else {
            await webSocket.close()
            return
        }
        await serve(webSocket, id: id)
    }

    /// Feeds the messages of `webSocket` to the session until it closes. (Writes do not pass
    /// through here: the session enqueues them on the connection itself.)
    func serve(_ webSocket: WebSocket, id: Int) async {
        var failed = false
        do {
            for try await message in webSocket.messages {
                switch message {
                case .text(let text): received(.text(text), on: id)
                case .binary(let bytes): received(.binary(bytes), on: id)
                }
            }
        } catch {
            failed = true
        }
        webSocketEnded(id: id, error: failed)
    }

    private func received(_ frame: EngineIOFrame, on id: Int) {
        state.withLockedValue { state in
            let now = NIODeadline.now()
            if state.probe?.id == id {
                _ = perform(state.session.handleProbeFrame(frame, now: now), in: &state)
            } else if state.webSocket?.id == id {
                _ = perform(state.session.handleWebSocketFrame(frame, now: now), in: &state)
            }
        }
    }

    private func webSocketEnded(id: Int, error: Bool) {
        state.withLockedValue { state in
            if state.probe?.id == id {
                state.probe = nil
                _ = perform(state.session.probeClosed(), in: &state)
            } else if state.webSocket?.id == id {
                _ = perform(state.session.webSocketClosed(error: error), in: &state)
            }
        }
    }
}
