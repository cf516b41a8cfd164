import NIOCore
import WebSocketCore

extension EngineIOSocket {
    /// An ordered outgoing queue for one WebSocket, drained by `serve`.
    typealias FrameQueue = (stream: AsyncStream<EngineIOFrame>, sink: AsyncStream<EngineIOFrame>.Continuation)

    static func makeFrameQueue() -> FrameQueue {
        let (stream, sink) = AsyncStream.makeStream(of: EngineIOFrame.self, bufferingPolicy: .unbounded)
        return (stream, sink)
    }

    /// Attaches a probing WebSocket (after `beginUpgrade` accepted it) and serves it until it
    /// closes. If the upgrade was abandoned meanwhile, the socket is closed at once.
    func serveProbe(_ webSocket: WebSocket) async {
        let queue = Self.makeFrameQueue()
        let id: Int? = state.withLockedValue { state in
            guard case .upgrading = state.session.phase, state.probe == nil else { return nil }
            let id = state.nextWebSocketID
            state.nextWebSocketID += 1
            state.probe = Outbound(id: id, sink: queue.sink)
            return id
        }
        guard let id else {
            await webSocket.close()
            return
        }
        await serve(webSocket, id: id, queue: queue)
    }

    /// Writes the queue to `webSocket` and feeds its messages to the session until it closes.
    func serve(_ webSocket: WebSocket, id: Int, queue: FrameQueue) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await frame in queue.stream {
                    do {
                        switch frame {
                        case .text(let text): try await webSocket.send(text: text)
                        case .binary(let bytes): try await webSocket.send(binary: bytes)
                        }
                    } catch {
                        break
                    }
                }
                await webSocket.close()
            }
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
            queue.sink.finish()
        }
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
                state.probe?.sink.finish()
                state.probe = nil
                _ = perform(state.session.probeClosed(), in: &state)
            } else if state.webSocket?.id == id {
                _ = perform(state.session.webSocketClosed(error: error), in: &state)
            }
        }
    }
}
