"""Stock python-socketio clients against a running SESIOR server, for the end-to-end tests.

Usage: sesior_client.py SCENARIO JSON-ARGUMENTS
Prints one JSON object with what happened; exits non-zero on an unexpected failure.
"""
import json
import sys
import threading
import time

import requests
import socketio

TIMEOUT = 30


def client(url, cookie, transports=None):
    """A connected client of `url` sending `cookie`, with a list of the events it received."""
    sio = socketio.Client(reconnection=False, request_timeout=TIMEOUT)
    sio.received = []
    sio.got = threading.Condition()
    sio.disconnected = threading.Event()

    def record(name):
        def handler(*args):
            with sio.got:
                sio.received.append([name, list(args)])
                sio.got.notify_all()
        return handler

    for name in ("user:joined", "user:renamed", "user:left"):
        sio.on(name, record(name))
    sio.on("disconnect", lambda *args: sio.disconnected.set())
    headers = {"Cookie": cookie} if cookie else {}
    sio.connect(url, headers=headers, transports=transports or ["websocket"], wait_timeout=TIMEOUT)
    return sio


def disconnect(sio):
    """`sio.disconnect()` after the packets queued so far are sent: over polling, python-engineio
    drops a DISCONNECT queued behind a POST still in flight (the server then sees a ping timeout)."""
    deadline = time.time() + TIMEOUT
    while sio.eio.state == "connected" and sio.eio.queue.unfinished_tasks and time.time() < deadline:
        time.sleep(0.01)
    sio.disconnect()


def wait_for(sio, predicate):
    """Waits until one received event satisfies `predicate`; returns it or None."""
    with sio.got:
        sio.got.wait_for(lambda: any(predicate(e) for e in sio.received), timeout=TIMEOUT)
        return next((e for e in sio.received if predicate(e)), None)


def as_list(reply):
    if reply is None:
        return []
    return list(reply) if isinstance(reply, tuple) else [reply]


def rename(args):
    """Client `other` (if any) watches; client `me` connects, announces itself and renames."""
    other = client(args["otherURL"], args["otherCookie"]) if args.get("otherCookie") else None
    if other:
        as_list(other.call("user:connected", args.get("otherName"), timeout=TIMEOUT))
    me = client(args["url"], args["cookie"], args.get("transports"))
    connected = as_list(me.call("user:connected", args["name"], timeout=TIMEOUT))
    result = {"connectedAck": connected}
    if other:
        result["joined"] = wait_for(other, lambda e: e[0] == "user:joined")
    result["renameAck"] = as_list(me.call("user:rename", args["newName"], timeout=TIMEOUT))
    if args.get("badName") is not None:
        result["badRenameAck"] = as_list(me.call("user:rename", args["badName"], timeout=TIMEOUT))
    if other:
        result["renamed"] = wait_for(other, lambda e: e[0] == "user:renamed")
        disconnect(other)
    disconnect(me)
    return result


def refused(args):
    """Connects with `cookie` (or none) and reports the connect_error payload."""
    sio = socketio.Client(reconnection=False)
    errors = []
    sio.on("connect_error", lambda data: errors.append(data))
    headers = {"Cookie": args["cookie"]} if args.get("cookie") else {}
    if args.get("origin"):
        headers["Origin"] = args["origin"]
    try:
        sio.connect(args["url"], headers=headers, transports=["polling"], wait_timeout=TIMEOUT)
    except socketio.exceptions.ConnectionError as error:
        return {"connected": False, "errors": errors, "exception": str(error)}
    disconnect(sio)
    return {"connected": True, "errors": errors}


def logout(args):
    """Two sockets of one session and a watcher; `POST /logout` must disconnect both sockets."""
    watcher = client(args["url"], args["otherCookie"])
    first = client(args["url"], args["cookie"])
    second = client(args["url"], args["cookie"], ["polling"])
    response = requests.post(args["url"] + "/logout", data="{}", timeout=TIMEOUT,
                             headers={"Cookie": args["cookie"], "Content-Type": "application/json"})
    result = {
        "status": response.status_code,
        "firstDisconnected": first.disconnected.wait(TIMEOUT),
        "secondDisconnected": second.disconnected.wait(TIMEOUT),
        "left": wait_for(watcher, lambda e: e[0] == "user:left"),
    }
    later = socketio.Client(reconnection=False)
    try:
        later.connect(args["url"], headers={"Cookie": args["cookie"]}, transports=["polling"],
                      wait_timeout=TIMEOUT)
        result["reconnected"] = True
        disconnect(later)
    except socketio.exceptions.ConnectionError:
        result["reconnected"] = False
    disconnect(watcher)
    return result


def renames(args):
    """`count` renames in a row (each waiting for its ack) on one socket."""
    me = client(args["url"], args["cookie"])
    acks = [as_list(me.call("user:rename", f'{args["prefix"]}{i}', timeout=TIMEOUT)) for i in range(args["count"])]
    disconnect(me)
    failures = [ack for ack in acks if not ack or ack[0] is not None]
    return {"count": len(acks), "failures": failures[:5]}


def leave(args):
    """Two sockets of one session and a watcher: closing the first (a reload) must not announce
    `user:left`; the second renames, then closes, and that must announce it with the new name.
    The second socket connects to `secondURL` (another instance) when given."""
    watcher = client(args["url"], args["otherCookie"])
    first = client(args["url"], args["cookie"])
    second = client(args.get("secondURL", args["url"]), args["cookie"], ["polling"])
    disconnect(first)
    rename_ack = as_list(second.call("user:rename", args["newName"], timeout=TIMEOUT))
    wait_for(watcher, lambda e: e[0] == "user:renamed")
    disconnect(second)
    wait_for(watcher, lambda e: e[0] == "user:left")
    disconnect(watcher)
    lefts = [e[1][0] for e in watcher.received if e[0] == "user:left"]
    return {"renameAck": rename_ack, "lefts": lefts}


def killed(args):
    """A watcher on one instance, `me` on another that is then killed with SIGKILL (pid `pid`):
    the watcher must see `user:left` for `me`'s name once, with no disconnect handler having run.
    Reports the names and the seconds from the kill to the first `user:left`."""
    import os
    import signal
    watcher = client(args["url"], args["otherCookie"])
    me = client(args["killedURL"], args["cookie"])
    as_list(me.call("user:connected", "", timeout=TIMEOUT))
    wait_for(watcher, lambda e: e[0] == "user:joined")
    # Let a beat list `me`'s session even without the connect-time SADD, then kill.
    time.sleep(args.get("settle", 0))
    os.kill(args["pid"], signal.SIGKILL)
    killed_at = time.time()
    left = wait_for(watcher, lambda e: e[0] == "user:left")
    after = time.time() - killed_at
    time.sleep(args.get("linger", 0))
    disconnect(watcher)
    lefts = [e[1][0] for e in watcher.received if e[0] == "user:left"]
    return {"lefts": lefts, "seconds": after if left else None,
            "joined": [e[1][0] for e in watcher.received if e[0] == "user:joined"]}


def outage(args):
    """A watcher on one instance and `me` on another stay connected for `linger` seconds while the
    test freezes Redis for longer than a heartbeat lives, then lets it run again: nobody may be
    announced as gone. Reports the `user:left` names either socket saw and whether both are still
    connected at the end."""
    watcher = client(args["url"], args["otherCookie"])
    me = client(args["otherURL"], args["cookie"])
    as_list(me.call("user:connected", "", timeout=TIMEOUT))
    wait_for(watcher, lambda e: e[0] == "user:joined")
    time.sleep(args["linger"])
    with watcher.got, me.got:
        lefts = [e[1][0] for e in watcher.received + me.received if e[0] == "user:left"]
    connected = watcher.connected and me.connected
    disconnect(me)
    disconnect(watcher)
    return {"lefts": lefts, "connected": connected}


def reregister(args):
    """A socket of a session whose id `POST /register` regenerates is disconnected."""
    me = client(args["url"], args["cookie"])
    response = requests.post(args["url"] + "/register", data=json.dumps({"userName": args["newName"]}),
                             timeout=TIMEOUT,
                             headers={"Cookie": args["cookie"], "Content-Type": "application/json"})
    return {"status": response.status_code, "disconnected": me.disconnected.wait(TIMEOUT)}


def tls(args):
    """Over https and wss, trusting only the test's own CA file: register (the cookie must be
    Secure), connect a socket over WebSocket with that cookie and rename; reports the subject
    of the certificate the server presented."""
    import socket
    import ssl
    url, cafile = args["url"], args["cafile"]
    session = requests.Session()
    session.trust_env = False  # REQUESTS_CA_BUNDLE would otherwise replace `verify`
    session.verify = cafile
    registered = session.post(url + "/register", json={"userName": args["name"]}, timeout=TIMEOUT)
    set_cookie = registered.headers.get("Set-Cookie", "")
    cookie = set_cookie.split(";", 1)[0]
    sio = socketio.Client(reconnection=False, request_timeout=TIMEOUT, http_session=session)
    sio.connect(url, headers={"Cookie": cookie}, transports=[args.get("transport", "websocket")], wait_timeout=TIMEOUT)
    as_list(sio.call("user:connected", args["name"], timeout=TIMEOUT))
    reply = as_list(sio.call("user:rename", args["name"] + "2", timeout=TIMEOUT))
    disconnect(sio)
    host, port = url.split("//", 1)[1].rsplit(":", 1)
    context = ssl.create_default_context(cafile=cafile)
    with socket.create_connection((host, int(port)), timeout=TIMEOUT) as raw:
        with context.wrap_socket(raw, server_hostname="localhost") as wrapped:
            subject = dict(item[0] for item in wrapped.getpeercert()["subject"])
    return {"status": registered.status_code, "setCookie": set_cookie, "reply": reply,
            "subject": subject.get("organizationName", "")}


SCENARIOS = {"killed": killed, "outage": outage, "tls": tls, "leave": leave, "reregister": reregister, "rename": rename, "refused": refused, "logout": logout, "renames": renames}

if __name__ == "__main__":
    print(json.dumps(SCENARIOS[sys.argv[1]](json.loads(sys.argv[2]))))
    sys.stdout.flush()
