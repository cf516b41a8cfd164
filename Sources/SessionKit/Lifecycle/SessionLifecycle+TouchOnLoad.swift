extension SessionLifecycle {
    /// Empty user data with a new cookie from the configured options.
    func freshData(isSecureConnection: Bool) -> SessionData {
        SessionData(cookie: configuration.cookie.makeCookie(now: configuration.clock.now(), isSecureConnection: isSecureConnection))
    }

    /// Whether loading already set the expiry that `touch` would set now for `snapshot`, so the
    /// touch can be left out: same id as loaded, and the store computes the same expiry.
    func touchedAtLoad(_ snapshot: Session.State) -> Bool {
        guard let expiry = snapshot.expirySetAtLoad, snapshot.id == snapshot.originalID, let touchOnLoadStore else {
            return false
        }
        return touchOnLoadStore.touchExpiry(for: snapshot.data) == expiry
    }
}
