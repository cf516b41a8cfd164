import HTTPCore
import NIOCore
import NIOConcurrencyHelpers
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

    /// The answer to a WebSocket handshake naming this session. `accept` validates the handshake
    /// and makes the 101 answer whose WebSocket goes to the opener it is given (or the refusal of
    /// a malformed handshake, returned as it is); the session then decides: a probe, a refusal,
    /// or a WebSocket that completes its handshake and is closed at once, as engine.io closes a
    /// second WebSocket for a session that is upgrading or upgraded.
    func upgradeResponse(
        accept: (@escaping @Sendable (WebSocketWriter) -> WebSocketCallbacks) -> Response
    ) -> Response {
        let probeID = NIOLockedValueBox<Int?>(nil)
        let response = accept { [self] webSocket in
            guard let id = probeID.withLockedValue({ $0 }) else { return Self.closeAtOnce(webSocket) }
            return openProbe(webSocket, id: id)
        }
        guard response.status == .switchingProtocols else { return response }
        switch beginUpgrade() {
        case .refuse(let refusal): return refusal
        case .closeNewWebSocket: return response
        case .probe(let id):
            probeID.withLockedValue { $0 = id }  // before the 101 is written, so before the socket opens
            return response
        }
    }

    /// Attaches the probing WebSocket of the upgrade accepted as `id` and returns the callbacks
    /// that feed it to the session. If that upgrade was abandoned meanwhile (probe timeout), the
    /// socket is closed at once.
    private func openProbe(_ webSocket: WebSocketWriter, id: Int) -> WebSocketCallbacks {
        let attached: Bool = withState { state in
            guard case .upgrading = state.session.phase, state.probe == nil, state.expectedProbeID == id else {
                return false
            }
            state.expectedProbeID = nil
            state.probe = Outbound(id: id, webSocket: webSocket)
            return true
        }
        return attached ? callbacks(forWebSocket: id) : Self.closeAtOnce(webSocket)
    }

    private static func closeAtOnce(_ webSocket: WebSocketWriter) -> WebSocketCallbacks {
        webSocket.enqueueClose()
        return WebSocketCallbacks(onMessage: { _ in }, onClose: { _ in })
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
            onClose: { [self] frame in webSocketEnded(id: id, failed: Self.failedCodes.contains(frame.code)) })
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

    /// Close codes of a WebSocket that failed (a protocol error, invalid UTF-8, a message over
    /// maxPayload): the session ends with `"transport error"`, as engine.io reports the `ws`
    /// library's error for them; any other end is `"transport close"`.
    static let failedCodes: Set<WebSocketCloseCode?> = [.protocolError, .invalidPayloadData, .messageTooBig]

    private func webSocketEnded(id: Int, failed: Bool) {
        withState { state in
            if state.probe?.id == id {
                state.probe = nil
                _ = perform(state.session.probeClosed(), in: &state)
            } else if state.webSocket?.id == id {
                _ = perform(state.session.webSocketClosed(error: failed), in: &state)
            }
        }
    }
}
