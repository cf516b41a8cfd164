"""python-socketio 4.x / python-engineio 3.x (the socket.io 2.x generation: Engine.IO v3,
Socket.IO protocol 4) against a running SESIOR started with --allow-eio3.

Usage: sesior_eio3_client.py SCENARIO JSON-ARGUMENTS (run with .venv-eio3's interpreter).
Prints one JSON object with what happened; exits non-zero on an unexpected failure.
"""
import json
import sys
import threading
import time

import requests
import socketio

TIMEOUT = 30


def client(cookie, transports):
    """A client sending `cookie`; `joined` is set once `/` accepted it, `errors` collects refusals."""
    sio = socketio.Client(reconnection=False)
    sio.joined = threading.Event()
    sio.errors = []
    sio.on("connect", lambda: sio.joined.set())

    def on_error(*data):
        sio.errors.extend(data)
        sio.joined.set()

    sio.on("connect_error", on_error)
    headers = {"Cookie": cookie} if cookie else {}
    sio.connect(args_url, headers=headers, transports=transports)
    sio.joined.wait(TIMEOUT)
    return sio


def disconnect(sio):
    deadline = time.time() + TIMEOUT
    while sio.eio.state == "connected" and sio.eio.queue.unfinished_tasks and time.time() < deadline:
        time.sleep(0.01)
    sio.disconnect()


def as_list(reply):
    if reply is None:
        return []
    return list(reply) if isinstance(reply, (tuple, list)) else [reply]


def rename(args):
    """The showcase flow: announce the session's user, rename it, rename to an empty name."""
    sio = client(args["cookie"], args.get("transports"))
    result = {"errors": sio.errors}
    result["connectedAck"] = as_list(sio.call("user:connected", args["name"], timeout=TIMEOUT))
    result["renameAck"] = as_list(sio.call("user:rename", args["newName"], timeout=TIMEOUT))
    result["badRenameAck"] = as_list(sio.call("user:rename", "   ", timeout=TIMEOUT))
    disconnect(sio)
    return result


def refused(args):
    """Connects with `cookie` (or none) over polling; reports the connect_error payloads."""
    sio = client(args.get("cookie"), ["polling"])
    result = {"connected": sio.connected and not sio.errors, "errors": sio.errors}
    sio.disconnect()
    return result


def refused_without_eio3(args):
    raw = requests.get(args_url + "/socket.io/?EIO=3&transport=polling", timeout=TIMEOUT)
    return {"status": raw.status_code, "body": raw.json()}


SCENARIOS = {"rename": rename, "refused": refused, "refused-without-eio3": refused_without_eio3}

if __name__ == "__main__":
    arguments = json.loads(sys.argv[2])
    args_url = arguments["url"]
    print(json.dumps(SCENARIOS[sys.argv[1]](arguments)))
