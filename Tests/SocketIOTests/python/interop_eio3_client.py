"""python-socketio 4.x / python-engineio 3.x (Engine.IO v3, Socket.IO protocol 4: the socket.io
2.x generation) against an in-process SocketIOServer with allowEIO3, for EngineIOV3InteropTests.

Usage: interop_eio3_client.py URL SCENARIO. Prints one JSON object with what it observed.
Runs with the interpreter of .venv-eio3 (scripts/install-deps.sh), not the one of .venv.
"""
import json
import sys
import threading
import time

import engineio
import requests
import socketio

URL = sys.argv[1]
SCENARIO = sys.argv[2]
TIMEOUT = 10


def client(namespaces=()):
    """A client that records the namespaces it connected to and the connect_errors it got."""
    sio = socketio.Client(reconnection=False)
    sio.joined = set()
    sio.errors = {}
    sio.changed = threading.Condition()

    def on_connect(namespace):
        def handler():
            with sio.changed:
                sio.joined.add(namespace)
                sio.changed.notify_all()
        return handler

    def on_error(namespace):
        def handler(*data):
            with sio.changed:
                sio.errors.setdefault(namespace, []).append(list(data))
                sio.changed.notify_all()
        return handler

    for namespace in ("/",) + tuple(namespaces):
        sio.on("connect", on_connect(namespace), namespace=namespace)
        sio.on("connect_error", on_error(namespace), namespace=namespace)
    return sio


def wait(sio, predicate):
    with sio.changed:
        return sio.changed.wait_for(predicate, timeout=TIMEOUT)


def disconnect(sio):
    """Disconnects once every packet queued so far has been sent (python-engineio drops packets
    queued behind a POST still in flight when it disconnects)."""
    deadline = time.time() + TIMEOUT
    while sio.eio.state == "connected" and sio.eio.queue.unfinished_tasks and time.time() < deadline:
        time.sleep(0.01)
    sio.disconnect()


def session(transports):
    """Connect, welcome, echo with ack, binary both ways, a few heartbeats, echo again."""
    sio = client()
    got = threading.Event()
    pushed = threading.Event()
    result = {}

    @sio.on("welcome")
    def on_welcome(data):
        result["welcome"] = data
        got.set()

    @sio.on("bytes")
    def on_bytes(data, text):
        result["pushed"] = [list(data), text]
        pushed.set()

    sio.connect(URL, transports=transports)
    result["connected"] = wait(sio, lambda: "/" in sio.joined)
    result["welcomed"] = got.wait(TIMEOUT)
    if transports is None:
        deadline = time.time() + TIMEOUT
        while sio.transport() != "websocket" and time.time() < deadline:
            time.sleep(0.05)
    result["transport"] = sio.transport()
    result["echo"] = sio.call("echo", {"n": 1, "s": "é"}, timeout=TIMEOUT)
    ack = sio.call("binary", [b"\x00\x01\xff", b"abc"], timeout=TIMEOUT)
    # python-socketio 4 hands back a single ack argument as it is: here the list of two bytes
    values = ack[0] if isinstance(ack, tuple) else ack
    result["binary_ack"] = [list(value) for value in values] if isinstance(values, list) else repr(ack)
    sio.emit("push-bytes")
    result["pushed_ok"] = pushed.wait(TIMEOUT)
    # The client pings every pingInterval (1 s here) and gives up when a pong is missing.
    time.sleep(2.5)
    result["still_connected"] = sio.eio.state == "connected"
    result["echo_after_heartbeats"] = sio.call("echo", "later", timeout=TIMEOUT)
    result["sid"] = sio.sid
    disconnect(sio)
    return result


def acks():
    sio = client()

    @sio.on("question")
    def on_question(value):
        return value * 2

    sio.connect(URL, transports=["websocket"])
    wait(sio, lambda: "/" in sio.joined)
    result = {"asked": sio.call("ask", 21, timeout=TIMEOUT)}
    disconnect(sio)
    return result


def rooms():
    names = ["a", "b", "c"]
    clients = {}
    heard = {name: [] for name in names}
    for name in names:
        sio = client()

        def make_handler(who):
            def on_shouted(data):
                heard[who].append(data)
            return on_shouted

        sio.on("shouted", make_handler(name))
        sio.connect(URL, transports=["polling"] if name == "b" else ["websocket"])
        wait(sio, lambda: "/" in sio.joined)
        clients[name] = sio
    clients["a"].call("join", "red", timeout=TIMEOUT)
    clients["b"].call("join", "red", timeout=TIMEOUT)
    clients["a"].call("shout", {"room": "red", "text": "hi red"}, timeout=TIMEOUT)
    clients["c"].call("shout-all", "hi all but me", timeout=TIMEOUT)
    deadline = time.monotonic() + TIMEOUT
    while (len(heard["a"]) < 1 or len(heard["b"]) < 2) and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.5)
    for sio in clients.values():
        disconnect(sio)
    return {"heard": heard}


def refused():
    """/locked refuses with a message, /admin with data: v3 gets the string, or the data."""
    sio = client(namespaces=("/locked", "/admin"))
    sio.connect(URL, namespaces=["/locked", "/admin"], transports=["polling"])
    wait(sio, lambda: "/locked" in sio.errors and "/admin" in sio.errors)
    result = {"joined": sorted(sio.joined), "errors": sio.errors}
    disconnect(sio)
    return result


def refused_without_eio3():
    """Against a server without allowEIO3: the stock client fails, a raw handshake gets error 5."""
    raw = requests.get(URL + "/socket.io/?EIO=3&transport=polling", timeout=TIMEOUT)
    sio = socketio.Client(reconnection=False)
    raised = None
    try:
        sio.connect(URL, transports=["polling"])
    except socketio.exceptions.ConnectionError as error:
        raised = str(error)
    return {"status": raw.status_code, "body": raw.json(), "raised": raised}


def raw_polling():
    """The v3 wire by hand: open packet, the implicit `0`, JSONP, a `b64=1` binary event."""
    base = URL + "/socket.io/?EIO=3&transport=polling"
    first = requests.get(base, timeout=TIMEOUT)
    result = {"open": first.text, "open_type": first.headers.get("Content-Type")}
    sid = json.loads(first.text[first.text.index("{"):])["sid"]
    result["connect"] = requests.get(base + "&sid=" + sid, timeout=TIMEOUT).text
    # JSONP session: the answer is a script calling ___eio[7] with the text payload.
    jsonp = base + "&j=7"
    opened = requests.get(jsonp, timeout=TIMEOUT).text
    result["jsonp_open"] = opened[:20]
    jsonp_sid = json.loads(json.loads(opened[len("___eio[7]("):-2]).split(":", 1)[1][1:])["sid"]
    with_sid = jsonp + "&sid=" + jsonp_sid
    result["jsonp_connect"] = requests.get(with_sid, timeout=TIMEOUT).text
    posted = requests.post(with_sid, data={"d": '16:42["push-bytes"]'}, timeout=TIMEOUT)
    result["jsonp_post"] = posted.text
    result["jsonp_pushed"] = requests.get(with_sid, timeout=TIMEOUT).text
    return result


SCENARIOS = {
    "polling": lambda: session(["polling"]),
    "websocket": lambda: session(["websocket"]),
    "upgrade": lambda: session(None),
    "acks": acks,
    "rooms": rooms,
    "refused": refused,
    "refused-without-eio3": refused_without_eio3,
    "raw-polling": raw_polling,
}

if __name__ == "__main__":
    print(json.dumps(SCENARIOS[SCENARIO]()))
