"""python-socketio client for SocketIOTests' interop tests.

Usage: interop_client.py URL SCENARIO. Prints one JSON object with what it observed.
The Swift test (InteropTests.swift) runs it against an in-process SocketIOServer.
"""
import json
import sys
import threading
import time

import socketio

URL = sys.argv[1]
SCENARIO = sys.argv[2]
TIMEOUT = 10


def client():
    return socketio.Client(reconnection=False, request_timeout=TIMEOUT)


def disconnect(sio):
    """Disconnects once every packet queued so far has been sent. python-engineio's polling write
    loop stops as soon as the client is disconnecting: a DISCONNECT queued while the POST before it
    is still waiting for its answer would never be sent, and the server would see a ping timeout."""
    deadline = time.time() + TIMEOUT
    while sio.eio.state == "connected" and sio.eio.queue.unfinished_tasks and time.time() < deadline:
        time.sleep(0.01)
    sio.disconnect()


def welcome_after_connect(transports, headers=None, auth=None):
    sio = client()
    got = threading.Event()
    result = {}

    @sio.on("welcome")
    def on_welcome(data):
        result["welcome"] = data
        got.set()

    sio.connect(URL, transports=transports, headers=headers or {}, auth=auth, wait_timeout=TIMEOUT)
    result["connected"] = got.wait(TIMEOUT)
    # give the polling -> websocket upgrade time to finish before reading the transport
    if transports == ["polling", "websocket"]:
        deadline = time.time() + TIMEOUT
        while sio.transport() != "websocket" and time.time() < deadline:
            time.sleep(0.05)
    result["transport"] = sio.transport()
    result["sid"] = sio.get_sid()
    result["echo"] = sio.call("echo", {"n": 1, "s": "é"}, timeout=TIMEOUT)
    disconnect(sio)
    return result


def acks():
    sio = client()

    @sio.on("question")
    def on_question(value):
        return value * 2

    sio.connect(URL, transports=["websocket"], wait_timeout=TIMEOUT)
    result = {
        "echo": sio.call("echo", ["a", 2, None], timeout=TIMEOUT),
        "asked": sio.call("ask", 21, timeout=TIMEOUT),
    }
    disconnect(sio)
    return result


def binary(transports):
    sio = client()
    received = threading.Event()
    result = {}

    @sio.on("bytes")
    def on_bytes(data, text):
        result["pushed"] = [list(data), text]
        received.set()

    sio.connect(URL, transports=transports, wait_timeout=TIMEOUT)
    answer = sio.call("binary", (b"\x00\x01\xff", {"nested": b"abc"}), timeout=TIMEOUT)
    result["ack"] = [list(answer[0]), list(answer[1]["nested"])]
    sio.emit("push-bytes")
    result["pushed_ok"] = received.wait(TIMEOUT)
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
        sio.connect(URL, transports=["websocket"], wait_timeout=TIMEOUT)
        clients[name] = sio
    clients["a"].call("join", "red", timeout=TIMEOUT)
    clients["b"].call("join", "red", timeout=TIMEOUT)
    clients["a"].call("shout", {"room": "red", "text": "hi red"}, timeout=TIMEOUT)
    clients["c"].call("shout-all", "hi all but me", timeout=TIMEOUT)
    # Wait for the expected deliveries (a loaded machine may take a while), then a little longer
    # so that a delivery that must not happen (to c, or a second one) would be seen too.
    deadline = time.monotonic() + TIMEOUT
    while (len(heard["a"]) < 1 or len(heard["b"]) < 2) and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.5)
    for sio in clients.values():
        disconnect(sio)
    return {"heard": heard}


def refused():
    sio = client()
    errors = []

    @sio.on("connect_error", namespace="/admin")
    def on_error(data):
        errors.append(data)

    raised = None
    try:
        sio.connect(URL, namespaces=["/admin"], auth={"token": "wrong"}, transports=["polling"],
                    wait_timeout=TIMEOUT)
    except socketio.exceptions.ConnectionError as error:
        raised = str(error)
    time.sleep(0.2)
    try:
        disconnect(sio)
    except Exception:
        pass
    allowed = client()
    allowed.connect(URL, namespaces=["/admin"], auth={"token": "secret"}, transports=["polling"],
                    wait_timeout=TIMEOUT)
    admin_echo = allowed.call("echo", "admin", namespace="/admin", timeout=TIMEOUT)
    disconnect(allowed)
    return {"errors": errors, "raised": raised, "admin_echo": admin_echo}


def silent():
    """Opens a raw Engine.IO WebSocket, joins `/`, then never answers the server's pings."""
    import websocket
    ws_url = URL.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    ws = websocket.create_connection(ws_url, timeout=TIMEOUT)
    opened = ws.recv()
    ws.send("40")
    connected = ws.recv()
    received = []
    try:
        while True:
            message = ws.recv()
            if message == "" or message is None:
                break
            received.append(message)
    except Exception as error:
        received.append("closed: " + type(error).__name__)
    return {"open": opened, "connected": connected, "received": received}


def raw_upgrade():
    """Walks the polling -> WebSocket upgrade by hand and probes the answers around it."""
    import requests
    import websocket
    base = URL + "/socket.io/?EIO=4"
    ws_base = URL.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    opened = requests.get(base + "&transport=polling", timeout=TIMEOUT).text
    sid = json.loads(opened[1:])["sid"]
    poll_url = base + "&transport=polling&sid=" + sid
    requests.post(poll_url, data="40", timeout=TIMEOUT)
    connected = requests.get(poll_url, timeout=TIMEOUT).text
    # The server emits `welcome` from its connection handler, after the CONNECT answer: on a
    # loaded machine it can come in a later poll. Take it before holding the poll that the
    # upgrade must answer with a noop.
    seen = connected
    while '"welcome"' not in seen:
        seen += requests.get(poll_url, timeout=TIMEOUT).text
    held = {}

    def hold():
        held["body"] = requests.get(poll_url, timeout=TIMEOUT).text

    thread = threading.Thread(target=hold)
    thread.start()
    time.sleep(0.1)
    ws = websocket.create_connection(ws_base + "&sid=" + sid, timeout=TIMEOUT)
    ws.send("2probe")
    probe = ws.recv()
    thread.join(TIMEOUT)
    ws.send("5")
    time.sleep(0.1)
    after = requests.get(poll_url, timeout=TIMEOUT)
    # A second WebSocket with the sid completes its handshake and is closed at once (engine.io's
    # onWebSocket); one with an unknown sid is refused with an HTTP status.
    second = websocket.create_connection(ws_base + "&sid=" + sid, timeout=TIMEOUT)
    try:
        second_answer = "closed" if second.recv() == "" else "message"
    except websocket.WebSocketConnectionClosedException:
        second_answer = "closed"
    second.close()
    try:
        websocket.create_connection(ws_base + "&sid=unknown", timeout=TIMEOUT).close()
        unknown_status = 101
    except websocket.WebSocketBadStatusException as error:
        unknown_status = error.status_code
    ws.send('42["echo-me"]')
    ws.send('421["echo",{"over":"websocket"}]')
    answers = []
    while len(answers) < 1:
        message = ws.recv()
        if message.startswith("431"):
            answers.append(message)
        elif message == "2":
            ws.send("3")
    ws.close()
    return {"connected": connected, "probe": probe, "held": held.get("body"),
            "after_status": after.status_code, "after_body": after.json(), "second_websocket": second_answer,
            "unknown_sid_status": unknown_status,
            "answers": answers}


def recovery_websocket():
    """Connection-state recovery over WebSocket, spoken by hand as socket.io-client does it: `a`
    connects, sees a broadcast (and its offset), loses its WebSocket without a close packet,
    `b` makes the server broadcast meanwhile, `a` reconnects with its pid and last offset. The
    server (ConnectionStateRecoveryTests) broadcasts `heard` for every `shout`, `news` to room
    news for `tell`, and acks `kept` with the number of sessions its log keeps."""
    import websocket
    ws_url = URL.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"

    def connect(auth=""):
        ws = websocket.create_connection(ws_url, timeout=TIMEOUT)
        ws.recv()  # the open packet
        ws.send("40" + auth)
        return ws, json.loads(receive(ws)[2:])

    def receive(ws):
        while True:
            message = ws.recv()
            if message == "2":
                ws.send("3")
                continue
            return message

    def events(ws, until):
        """Event payloads until one named `until` (included)."""
        seen = []
        while not seen or seen[-1][0] != until:
            message = receive(ws)
            if message.startswith("42"):
                seen.append(json.loads(message[2:]))
        return seen

    a, a_connect = connect()
    b, _ = connect()
    b.send('42["shout","one"]')
    first = events(a, "heard")
    events(b, "heard")
    offset = first[-1][-1]
    a.sock.close()  # the connection is lost: no close frame, no Engine.IO close packet
    kept = 0
    for attempt in range(100):
        b.send('42%d["kept"]' % attempt)
        while True:
            message = receive(b)
            if message.startswith("43%d" % attempt):
                kept = json.loads(message[len("43%d" % attempt):])[0]
                break
        if kept >= 1:
            break
        time.sleep(0.05)
    # One at a time: the server runs each event's handler in a task of its own.
    b.send('42["shout","two"]')
    events(b, "heard")
    b.send('42["tell","three"]')
    events(b, "news")
    again, again_connect = connect(json.dumps({"pid": a_connect.get("pid"), "offset": offset}))
    missed = events(again, "news")
    b.send('42["shout","four"]')
    after = events(again, "heard")
    for ws in (again, b):
        ws.close()
    return {"first": a_connect, "again": again_connect, "kept": kept,
            "missed": [event[:2] for event in missed], "after": [event[:2] for event in after],
            "offsets": [event[-1] for event in first + missed + after]}


SCENARIOS = {
    "recovery-websocket": recovery_websocket,
    "polling": lambda: welcome_after_connect(["polling"], {"Cookie": "sid=polling-cookie"}, {"token": "p"}),
    "websocket": lambda: welcome_after_connect(["websocket"], {"Cookie": "sid=ws-cookie"}, {"token": "w"}),
    "upgrade": lambda: welcome_after_connect(["polling", "websocket"], {"Cookie": "sid=up"}, {"token": "u"}),
    "acks": acks,
    "binary-websocket": lambda: binary(["websocket"]),
    "binary-polling": lambda: binary(["polling"]),
    "rooms": rooms,
    "refused": refused,
    "silent": silent,
    "raw-upgrade": raw_upgrade,
}

print(json.dumps(SCENARIOS[SCENARIO]()))
sys.stdout.flush()
