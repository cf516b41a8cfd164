import NIOCore

extension EngineIOSession {
    // MARK: - Polling

    /// A polling GET arrived. It is answered at once when packets are buffered (or with a noop
    /// during an upgrade), otherwise held until something is sent. A second GET while one is
    /// held is refused with 400 and closes the session (`"transport error"`). After a close by
    /// the client, the one GET a lingering session waits for is answered `6`; others are 400.
    public mutating func handlePoll(now: NIODeadline) -> [EngineIOSessionAction] {
        switch phase {
        case .closed:
            guard let lingerDeadline else { return [.refuseRequest(.unknownSession)] }
            self.lingerDeadline = nil
            guard now < lingerDeadline else { return [.refuseRequest(.unknownSession), .forget] }
            return [.answerPoll([EngineIOPacket(.noop)]), .forget]
        case .open(.websocket), .upgraded:
            return [.refuseRequest(.badRequest)]
        case .closing:
            pollPending = true
            return finish(.forcedClose)
        case .upgrading(probed: true):
            if pollPending { return [.refuseRequest(.badRequest)] + finish(.transportError) }
            return [.answerPoll([EngineIOPacket(.noop)])]
        case .open(.polling), .upgrading(probed: false):
            if pollPending { return [.refuseRequest(.badRequest)] + finish(.transportError) }
            pollPending = true
            var actions: [EngineIOSessionAction] = []
            flushPoll(into: &actions)
            return actions
        }
    }

    /// The client of the held GET went away before it was answered (its connection closed):
    /// `"transport close"`, at once. (engine.io reports `"transport error"`, "poll connection
    /// closed prematurely"; SESIOR names it as Socket.IO documents a lost connection.)
    public mutating func pollAborted() -> [EngineIOSessionAction] {
        guard pollPending else { return [] }
        pollPending = false
        return finish(.transportClose)
    }

    /// A polling POST's head arrived. Refuses a POST while another is in flight (400) or one
    /// whose Content-Length exceeds maxPayload (413); both close the session.
    public mutating func beginPost(contentLength: Int?) -> [EngineIOSessionAction] {
        switch phase {
        case .closed: return [.refuseRequest(.unknownSession)]
        case .open(.websocket), .upgraded: return [.refuseRequest(.badRequest)]
        case .open(.polling), .upgrading, .closing: break
        }
        if postInFlight { return [.refuseRequest(.badRequest)] + finish(.transportError) }
        if let contentLength, contentLength > configuration.maxPayload {
            return [.refusePayloadTooLarge] + finish(.transportError)
        }
        postInFlight = true
        return []
    }

    /// A polling POST's whole body arrived (after `beginPost`). Its packets are processed in
    /// order and the POST is answered `ok`; a malformed payload closes with `"parse error"`.
    public mutating func finishPost(body: ByteBuffer, now: NIODeadline) -> [EngineIOSessionAction] {
        postInFlight = false
        if isClosed { return [.refuseRequest(.unknownSession)] }
        if body.readableBytes > configuration.maxPayload {
            return [.refusePayloadTooLarge] + finish(.transportError)
        }
        var actions: [EngineIOSessionAction] = [.acknowledgePost]
        do {
            for packet in try format.packets(inPostBody: body) {
                receive(packet, now: now, into: &actions)
            }
        } catch {
            actions += finish(.parseError)
        }
        return actions
    }

    // MARK: - WebSocket

    /// A message arrived on the session's WebSocket (opened by websocket, or upgraded).
    public mutating func handleWebSocketFrame(_ frame: EngineIOFrame, now: NIODeadline) -> [EngineIOSessionAction] {
        guard !isClosed else { return [] }
        if frame.size > configuration.maxPayload { return finish(.transportError) }
        var actions: [EngineIOSessionAction] = []
        do {
            receive(try format.packet(in: frame), now: now, into: &actions)
        } catch {
            return finish(.parseError)
        }
        return actions
    }

    /// The session's WebSocket closed (cleanly: `"transport close"`; on error: `"transport error"`).
    public mutating func webSocketClosed(error: Bool = false) -> [EngineIOSessionAction] {
        switch phase {
        case .open(.websocket), .upgraded: return finish(error ? .transportError : .transportClose)
        default: return []
        }
    }

    // MARK: - Upgrade

    /// A WebSocket handshake named this session's sid. On polling it starts a probe (refused,
    /// 400 code 3, when upgrades are not allowed). A session that is already upgrading, upgraded,
    /// on WebSocket from the start or closing lets the handshake complete and closes the new
    /// WebSocket at once (`closeNewWebSocket`), leaving its own transports as they are; a closed
    /// one is 400 "Session ID unknown".
    public mutating func beginUpgrade(now: NIODeadline) -> [EngineIOSessionAction] {
        switch phase {
        case .closed: return [.refuseRequest(.unknownSession)]
        case .open(.websocket), .upgraded, .upgrading, .closing: return [.closeNewWebSocket]
        case .open(.polling): break
        }
        guard configuration.allowUpgrades else { return [.refuseRequest(.badRequest)] }
        phase = .upgrading(probed: false)
        upgradeDeadline = now + configuration.upgradeTimeout
        var actions: [EngineIOSessionAction] = []
        rescheduleTimer(into: &actions)
        return actions
    }

    /// A message arrived on the probing WebSocket: `2probe` is answered `3probe` (and the held
    /// GET gets a noop); then `5` switches the transport and flushes the buffer on it. Anything
    /// else aborts the upgrade.
    public mutating func handleProbeFrame(_ frame: EngineIOFrame, now: NIODeadline) -> [EngineIOSessionAction] {
        guard case .upgrading(let probed) = phase else { return [.closeProbe] }
        let packet = frame.size <= configuration.maxPayload ? try? format.packet(in: frame) : nil
        var actions: [EngineIOSessionAction] = []
        if !probed, packet == .probePing {
            phase = .upgrading(probed: true)
            actions.append(.sendProbeFrames([EngineIOFrame(.probePong)]))
            if pollPending {
                pollPending = false
                actions.append(.answerPoll([EngineIOPacket(.noop)]))
            }
            return actions
        }
        if probed, packet?.type == .upgrade {
            phase = .upgraded
            upgradeDeadline = nil
            actions.append(.upgraded)
            if !outbox.isEmpty {
                actions.append(.sendFrames(outbox.map(format.frame)))
                outbox.removeAll()
            }
            rescheduleTimer(into: &actions)
            return actions
        }
        abortUpgrade(into: &actions)
        return actions
    }

    /// The probing WebSocket closed before the upgrade finished; the session stays on polling.
    public mutating func probeClosed() -> [EngineIOSessionAction] {
        guard case .upgrading = phase else { return [] }
        var actions: [EngineIOSessionAction] = []
        upgradeDeadline = nil
        phase = .open(.polling)
        flushPoll(into: &actions)
        return actions
    }

    private mutating func abortUpgrade(into actions: inout [EngineIOSessionAction]) {
        upgradeDeadline = nil
        phase = .open(.polling)
        actions.append(.closeProbe)
        flushPoll(into: &actions)
    }
}

extension EngineIOFrame {
    /// The message size counted against maxPayload, in bytes.
    var size: Int {
        switch self {
        case .text(let text): return text.utf8.count
        case .binary(let bytes): return bytes.readableBytes
        }
    }
}
