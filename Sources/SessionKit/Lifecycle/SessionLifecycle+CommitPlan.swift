import JavaScriptFormats

extension SessionLifecycle {
    /// What `commit` does: the store call it makes and the `Set-Cookie` value it returns.
    struct CommitPlan {
        enum StoreWork {
            case none
            case destroy(String)
            case save
            case touch(String, SessionData)
        }

        var storeWork: StoreWork
        var setCookie: String?
    }

    /// `commit`'s decisions, made synchronously (out of its async frame, which is allocated for
    /// every request): restarts the cookie's expiry unless already touched, then decides as
    /// express-session does whether to save, touch or destroy, and whether to send the cookie.
    @inline(never)
    func commitPlan(_ session: Session) -> CommitPlan {
        let now = configuration.clock.now()
        let snapshot = session.state.withLock { state in
            if !state.isUnset && !state.isDestroyed && !state.touched {
                state.data.cookie.resetMaxAge(now: now)
                state.touched = true
            }
            return state
        }
        if snapshot.isUnset || snapshot.isDestroyed {
            if snapshot.isUnset && !snapshot.isDestroyed && configuration.unset.destroysSession {
                return CommitPlan(storeWork: .destroy(snapshot.id), setCookie: nil)
            }
            return CommitPlan(storeWork: .none, setCookie: nil)
        }
        let values = snapshot.data.values
        let isNew = snapshot.cookieID != snapshot.id
        let isModified = snapshot.originalID != snapshot.id
            || !snapshot.originalValues.serializesIdentically(to: values)
        let isSaved = snapshot.originalID == snapshot.id
            && snapshot.savedValues.map { $0.serializesIdentically(to: values) } ?? false
        let shouldSave = !configuration.saveUninitialized && snapshot.savedValues == nil && isNew ? isModified : !isSaved
        var plan = CommitPlan(storeWork: .none, setCookie: nil)
        if shouldSave {
            plan.storeWork = .save
        } else if !isNew && !touchedAtLoad(snapshot) {
            plan.storeWork = .touch(snapshot.id, snapshot.data)
        }
        let shouldSetCookie = isNew
            ? configuration.saveUninitialized || isModified
            : configuration.rolling || (snapshot.data.cookie.expires != nil && isModified)
        guard shouldSetCookie else { return plan }
        if snapshot.data.cookie.secure == true && !snapshot.isSecureConnection { return plan }
        plan.setCookie = setCookieHeaderValue(id: snapshot.id, cookie: snapshot.data.cookie)
        return plan
    }
}
