import NIOCore

/// Automatic pings that keep a connection alive and detect a dead peer: after `interval` with a
/// ping unanswered (no pong, nor any other frame, arrived since it was sent) for `timeout`, the
/// connection is closed with 1001 (going away). A struct wrapping an enum so it can grow, like
/// swift-websocket's `AutoPingSetup`.
public struct AutoPing: Sendable, Equatable {
    enum Kind: Equatable {
        case disabled
        case enabled(interval: TimeAmount, timeout: TimeAmount)
    }

    let kind: Kind

    /// No automatic pings; an idle connection stays open until either side closes it.
    public static var disabled: AutoPing { .init(kind: .disabled) }

    /// A ping every `interval` of silence from the peer; the connection is closed when nothing
    /// arrives within `timeout` of a ping.
    public static func enabled(interval: TimeAmount, timeout: TimeAmount) -> AutoPing {
        .init(kind: .enabled(interval: interval, timeout: timeout))
    }
}
