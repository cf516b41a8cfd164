#!/usr/bin/env python3
"""python-socketio as the reference server for socketio-client.js, serving the client's files.

    python3 Tests/WebClient/reference_server.py --port 7500 [--ping-interval 0.5] [--transports polling]

Behaviour (namespace "/"): a handshake whose auth has `"token": "bad"` is refused with
`Not authorized` and data `{"code": 4001}`; on connect the server emits `auth` with the client's auth;
`echo` and `message-with-ack` ack with their arguments; `message` is answered by `message-back` with the same arguments;
`ask` makes the server emit `question` with an ack id and then emit `answer` with the client's reply;
`kick` makes the server disconnect the socket. `GET /state` returns the connected socket ids and
the last reason a socket went away. With `--engineio-only` it is a bare Engine.IO server that
never answers the Socket.IO CONNECT.
"""

import argparse

import socketio
from aiohttp import web

from harness import PUBLIC


def build(ping_interval, ping_timeout, transports):
    sio = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins="*", ping_interval=ping_interval,
                               ping_timeout=ping_timeout, transports=transports)
    app = web.Application()
    sio.attach(app)
    state = {"connected": [], "left": None}

    @sio.event
    async def connect(sid, environ, auth=None):
        if isinstance(auth, dict) and auth.get("token") == "bad":
            raise socketio.exceptions.ConnectionRefusedError("Not authorized", {"code": 4001})
        state["connected"].append(sid)
        await sio.emit("auth", auth, to=sid)

    @sio.event
    async def disconnect(sid, reason=None):
        state["connected"].remove(sid)
        state["left"] = str(reason)

    @sio.event
    async def echo(sid, *args):
        return args

    @sio.event
    async def message(sid, *args):
        await sio.emit("message-back", list(args), to=sid)

    @sio.on("message-with-ack")
    async def message_with_ack(sid, *args):
        return args

    @sio.event
    async def ask(sid, question):
        reply = await sio.call("question", question, to=sid, timeout=5)
        await sio.emit("answer", reply, to=sid)

    @sio.event
    async def kick(sid):
        await sio.disconnect(sid)

    async def get_state(request):
        return web.json_response(state)

    async def static(request):
        path = (PUBLIC / request.match_info.get("name", "index.html")).resolve()
        if path.parent != PUBLIC.resolve() or not path.is_file():
            raise web.HTTPNotFound()
        return web.FileResponse(path, headers={"Cache-Control": "no-store"})

    app.router.add_get("/state", get_state)
    app.router.add_get("/", static)
    app.router.add_get("/{name}", static)
    return app


def build_engineio_only():
    """An Engine.IO server that never answers the Socket.IO CONNECT (for the client's connect timeout)."""
    import engineio

    eio = engineio.AsyncServer(async_mode="aiohttp", cors_allowed_origins="*")
    app = web.Application()
    eio.attach(app, engineio_path="socket.io")

    async def get_state(request):
        return web.json_response({"connected": [], "left": None})

    app.router.add_get("/state", get_state)
    return app


def main():
    parser = argparse.ArgumentParser(description="python-socketio reference server for socketio-client.js")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--ping-interval", type=float, default=25)
    parser.add_argument("--ping-timeout", type=float, default=20)
    parser.add_argument("--transports", default="polling,websocket")
    parser.add_argument("--engineio-only", action="store_true", help="Engine.IO only: never answers CONNECT")
    args = parser.parse_args()
    if args.engineio_only:
        app = build_engineio_only()
    else:
        app = build(args.ping_interval, args.ping_timeout, args.transports.split(","))
    web.run_app(app, host="127.0.0.1", port=args.port, print=None)


if __name__ == "__main__":
    main()
