// SessionKit
//
// express-session compatible signed sessions: cookie signing, the session model, the SessionStore protocol and an in-memory store. Depends on no server framework.
