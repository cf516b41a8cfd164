#!/usr/bin/env python3
"""A mock of the SESIOR API (aiohttp + python-socketio) serving the web client.

It mimics what the Swift `sesior` server does (protocol-facts §7 plus issue 7), so the web client
can be tested in a browser before the server exists: sessions in memory behind a `connect.sid`
cookie, `GET /verify-session`, `POST /register`, `POST /logout`, `GET /users`, `GET /health`, the
socket events with their broadcasts, a handshake refused with `Not authorized` when the session has
no registered user, a CORS allow-list with credentials, and the files of Sources/SesiorServer/Public
at `/`.

    python3 Tests/WebClient/mock_server.py --port 7331 [--cors-origin http://127.0.0.1:8000 ...]
"""

import argparse
import json
import secrets
import unicodedata
from http.cookies import SimpleCookie
from pathlib import Path

import socketio
from aiohttp import web

PUBLIC = Path(__file__).resolve().parents[2] / "Sources" / "SesiorServer" / "Public"
COOKIE = "connect.sid"
STATE_CHANGING = {"POST", "PUT", "DELETE"}


def validate_name(raw):
    """Returns (name, None) or (None, reason) with the rules of issue 7: trimmed, 1–32 printable."""
    if not isinstance(raw, str):
        return None, "userName must be a string"
    name = raw.strip()
    if not 1 <= len(name) <= 32:
        return None, "userName must be 1 to 32 characters"
    if any(unicodedata.category(c).startswith("C") for c in name):
        return None, "userName must contain printable characters only"
    return name, None


class Sesior:
    """In-memory state: sessions, registered names, online sockets."""

    def __init__(self, allowed_origins):
        self.allowed_origins = set(allowed_origins)
        self.sessions = {}  # session id -> {"user": {...} | None}
        self.names = {}  # registered user name -> session id
        self.sockets = {}  # socket sid -> session id (after user:connected or connect)
        self.sio = socketio.AsyncServer(
            async_mode="aiohttp",
            cors_allowed_origins=sorted(self.allowed_origins),
            cors_credentials=True,
            ping_interval=5,
            ping_timeout=5,
        )
        self.app = web.Application(middlewares=[self.cors])
        self.sio.attach(self.app)
        self.app.router.add_get("/verify-session", self.verify_session)
        self.app.router.add_post("/register", self.register)
        self.app.router.add_post("/logout", self.logout)
        self.app.router.add_get("/users", self.users)
        self.app.router.add_get("/health", self.health)
        self.app.router.add_get("/", self.static)
        self.app.router.add_get("/{name}", self.static)
        self.sio.on("connect", self.on_connect)
        self.sio.on("disconnect", self.on_disconnect)
        self.sio.on("user:connected", self.on_user_connected)
        self.sio.on("user:rename", self.on_user_rename)

    # --- HTTP ---------------------------------------------------------------------------------

    @web.middleware
    async def cors(self, request, handler):
        if request.path.startswith("/socket.io"):
            return await handler(request)
        origin = request.headers.get("Origin")
        allowed = origin is not None and origin in self.allowed_origins
        if request.method == "OPTIONS":
            if not allowed:
                return web.Response(status=403)
            response = web.Response(status=204)
            response.headers["Access-Control-Allow-Methods"] = "GET,PUT,POST,DELETE"
            response.headers["Access-Control-Allow-Headers"] = "Content-Type"
        elif request.method in STATE_CHANGING and origin is not None and not allowed:
            response = json_response({"error": "Origin not allowed"}, 403)
        elif request.method in STATE_CHANGING and request.content_type != "application/json":
            response = json_response({"error": "Content-Type must be application/json"}, 415)
        else:
            try:
                response = await handler(request)
            except web.HTTPException as exc:
                response = exc
        if allowed:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Allow-Credentials"] = "true"
            response.headers["Vary"] = "Origin"
        return response

    def session_of(self, cookie_header):
        cookie = SimpleCookie()
        try:
            cookie.load(cookie_header or "")
        except Exception:
            return None, None
        morsel = cookie.get(COOKIE)
        if morsel is None or morsel.value not in self.sessions:
            return None, None
        return morsel.value, self.sessions[morsel.value]

    async def verify_session(self, request):
        _, session = self.session_of(request.headers.get("Cookie"))
        if session and session["user"]:
            return json_response({"sessionVerified": True, "user": session["user"]})
        return json_response({"sessionVerified": False})

    async def register(self, request):
        try:
            body = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            return json_response({"membershipResolved": False, "error": "Invalid JSON body"}, 400)
        name, reason = validate_name(body.get("userName") if isinstance(body, dict) else None)
        if reason:
            return json_response({"membershipResolved": False, "error": reason}, 400)
        old_id, old = self.session_of(request.headers.get("Cookie"))
        if name in self.names and self.names[name] != old_id:
            return json_response({"membershipResolved": False, "error": "User already exists"}, 409)
        if old_id:  # regenerate the session id: no session fixation
            del self.sessions[old_id]
            if old["user"]:
                self.names.pop(old["user"]["userName"], None)
        session_id = secrets.token_urlsafe(24)
        user = {"userName": name}
        self.sessions[session_id] = {"user": user}
        self.names[name] = session_id
        response = json_response({"membershipResolved": True, "user": user})
        response.set_cookie(COOKIE, session_id, httponly=True, samesite="Lax", path="/")
        return response

    async def logout(self, request):
        session_id, session = self.session_of(request.headers.get("Cookie"))
        if session_id:
            user = session["user"]
            sids = [s for s, owner in self.sockets.items() if owner == session_id]
            for sid in sids:
                del self.sockets[sid]
            del self.sessions[session_id]
            if user:
                self.names.pop(user["userName"], None)
            for sid in sids:
                await self.sio.disconnect(sid)
            if user and sids:
                await self.sio.emit("user:left", user["userName"])
        response = json_response({"loggedOut": True})
        response.del_cookie(COOKIE, path="/")
        return response

    async def users(self, request):
        return json_response({"users": self.online_users()})

    async def health(self, request):
        return json_response({"ok": True, "store": "memory"})

    async def static(self, request):
        name = request.match_info.get("name", "index.html")
        path = (PUBLIC / name).resolve()
        if path.parent != PUBLIC.resolve() or not path.is_file():
            raise web.HTTPNotFound()
        return web.FileResponse(path, headers={"Cache-Control": "no-store"})

    # --- Socket.IO ----------------------------------------------------------------------------

    def online_users(self):
        users = {}
        for session_id in set(self.sockets.values()):
            user = self.sessions.get(session_id, {}).get("user")
            if user:
                users[user["userName"]] = user
        return users

    async def on_connect(self, sid, environ, auth=None):
        session_id, session = self.session_of(environ.get("HTTP_COOKIE"))
        if not session or not session["user"]:
            raise socketio.exceptions.ConnectionRefusedError("Not authorized")
        await self.sio.save_session(sid, {"session": session_id})

    async def session_user(self, sid):
        session_id = (await self.sio.get_session(sid)).get("session")
        session = self.sessions.get(session_id)
        return session_id, (session or {}).get("user")

    async def on_user_connected(self, sid, user_name=None):
        session_id, user = await self.session_user(sid)
        if not user:
            return "Not authorized", None
        already_online = session_id in self.sockets.values()
        self.sockets[sid] = session_id
        if not already_online:
            await self.sio.emit("user:joined", user, skip_sid=sid)
        return None, self.online_users()

    async def on_user_rename(self, sid, new_name=None):
        session_id, user = await self.session_user(sid)
        if not user:
            return "Not authorized", None
        name, reason = validate_name(new_name)
        if reason:
            return reason, None
        old_name = user["userName"]
        if name != old_name and name in self.names:
            return "User already exists", None
        del self.names[old_name]
        self.names[name] = session_id
        user["userName"] = name
        data = {"oldUserName": old_name, "user": user}
        await self.sio.emit("user:renamed", data, skip_sid=sid)
        return None, data

    async def on_disconnect(self, sid, reason=None):
        session_id = self.sockets.pop(sid, None)
        if session_id is None or session_id in self.sockets.values():
            return
        user = self.sessions.get(session_id, {}).get("user")
        if user is None:
            return
        await self.sio.emit("user:left", user["userName"])


def json_response(body, status=200):
    return web.json_response(body, status=status, headers={"Cache-Control": "no-store"})


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=7331)
    parser.add_argument("--cors-origin", action="append", default=[])
    args = parser.parse_args()
    own = [f"http://{args.host}:{args.port}", f"http://localhost:{args.port}", f"http://127.0.0.1:{args.port}"]
    server = Sesior(own + args.cors_origin)
    print(f"mock SESIOR listening on http://{args.host}:{args.port}", flush=True)
    web.run_app(server.app, host=args.host, port=args.port, print=None)


if __name__ == "__main__":
    main()
