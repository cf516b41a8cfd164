#!/usr/bin/env python3
"""python-socketio peer for the Socket.IO broadcast fan-out benchmark (scripts/bench.sh).

A python-socketio AsyncServer on aiohttp, path /socket.io/ (Engine.IO v4, Socket.IO v5).
Protocol of the benchmark, which the sesior side must implement the same way:
  - any client may connect to the namespace "/" (no auth);
  - a client emits the event `fanout` with one JSON argument; the server emits `fanout` with that
    same argument to every socket connected to "/" (the sender included).
`GET /health` answers {"status":"ok"} so the bench script can tell when the server is up.

Usage: python_socketio_server.py [--host 127.0.0.1] [--port 3002]
"""
import argparse
import resource

import socketio
from aiohttp import web


def raise_fd_limit() -> None:
    """Lifts the soft open-file limit to the hard one: 1,000+ sockets need more than 1,024."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def make_app() -> web.Application:
    sio = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins="*",
                               logger=False, engineio_logger=False)
    app = web.Application()
    sio.attach(app)

    @sio.on("fanout")
    async def fanout(sid, data):
        await sio.emit("fanout", data)

    async def health(request):
        return web.json_response({"status": "ok"})

    app.router.add_get("/health", health)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=3002)
    args = parser.parse_args()
    raise_fd_limit()
    web.run_app(make_app(), host=args.host, port=args.port, backlog=2048,
                print=None, access_log=None)


if __name__ == "__main__":
    main()
