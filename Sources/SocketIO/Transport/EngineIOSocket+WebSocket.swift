import NIOCore
import WebSocketCore

extension EngineIOSocket {
    /// Where a session writes one of its WebSockets: straight onto the connection
    /// (`WebSocketWriter.enqueue`), in order, with no task or stream per socket or message.
    struct Outbound {
        let id: Int
        let webSocket: WebSocketWriter

        func write(_ frame: EngineIOFrame) {
            switch frame {
            case .text(let text): webSocket.enqueue(.text(text))
            case .binary(let bytes): webSocket.enqueue(.binary(bytes))
            }
        }

        /// Starts the close handshake after what was already written.
        func close() { webSocket.enqueueClose() }
    }

    /// Attaches a probing WebSocket (after `beginUpgrade` accepted it) and returns the callbacks
    /// that feed it to the session. If the upgrade was abandoned meanwhile, the socket is closed
    /// at once.
    func openProbe(_ webSocket: WebSocketWriter) -> WebSocketCallbacks {
        let id: Int? = withState { state in
            guard case .upgrading = state.session.phase, state.probe == nil else { return nil }
            let id = state.nextWebSocketID
            state.nextWebSocketID += 1
            state.probe = Outbound(id: id, webSocket: webSocket)
            return id
        }
        guard let id else {
            webSocket.enqueueClose()
            return WebSocketCallbacks(onMessage: { _ in }, onClose: { _ in })
        }
        return callbacks(forWebSocket: id)
    }

    /// The callbacks that feed the messages of WebSocket `id` to the session, on the
    /// connection's event loop. (Writes do not pass through here: the session enqueues them on
    /// the connection itself.)
    func callbacks(forWebSocket id: Int) -> WebSocketCallbacks {
        WebSocketCallbacks(
            onMessage: { [self] message in
                switch message {
                case .text(let text): received(.text(text), on: id)
                case .binary(let bytes): received(.binary(bytes), on: id)
                }
            },
            onClose: { [self] _ in webSocketEnded(id: id) })
    }

    private func received(_ frame: EngineIOFrame, on id: Int) {
        withState { state in
            let now = NIODeadline.now()
            if state.probe?.id == id {
                _ = perform(state.session.handleProbeFrame(frame, now: now), in: &state)
            } else if state.webSocket?.id == id {
                _ = perform(state.session.handleWebSocketFrame(frame, now: now), in: &state)
            }
        }
    }

    private func webSocketEnded(id: Int) {
        withState { state in
            if state.probe?.id == id {
                state.probe = nil
                _ = perform(state.session.probeClosed(), in: &state)
            } else if state.webSocket?.id == id {
                _ = perform(state.session.webSocketClosed(), in: &state)
            }
        }
    }
}
