"""Scenario d: oversize input at every layer, while a normal client keeps getting answers.

Against sesior (default limits, see Docs/RELIABILITY.md):
- request line over 8 KiB → 414; header section over 32 KiB → 431; more than 100 fields → 431;
  Content-Length over 1 MiB → 413; a JSON body over the API's 16 KiB → 413;
- Engine.IO polling POST over maxPayload (1,000,000 bytes) but under 1 MiB → 413 from Engine.IO
  (and the Engine.IO session ends, a poll on it answers 400); over 1 MiB the HTTP layer answers 413;
- Engine.IO WebSocket: one frame announcing more than maxPayload → close 1009; a message
  fragmented into frames each under the limit but over it in total → close 1009.
Against websocket-echo-server (permessage-deflate on, 16 MiB message limit), since the Engine.IO
WebSocket does not negotiate permessage-deflate: a 16 KiB compressed message that inflates to
32 MiB → close 1009.

Meanwhile a normal client asks GET /health on sesior every 20 ms; every answer must be 200.
"""
import json
import os
import socket
import threading
import time

import common
from common import log, verdict


class Bystander(threading.Thread):
    """A normal client: GET /health every 20 ms on a keep-alive connection; counts answers."""

    def __init__(self, port: int):
        super().__init__(daemon=True)
        self.port, self.ok, self.failed, self.slowest = port, 0, 0, 0.0
        self.stopped = threading.Event()

    def run(self):
        import http.client
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        while not self.stopped.is_set():
            started = time.monotonic()
            try:
                conn.request("GET", "/health")
                response = conn.getresponse()
                response.read()
                if response.status == 200:
                    self.ok += 1
                else:
                    self.failed += 1
            except (OSError, http.client.HTTPException):
                self.failed += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            self.slowest = max(self.slowest, time.monotonic() - started)
            time.sleep(0.02)
        conn.close()


def raw_status(port: int, raw: bytes, timeout=10.0) -> int:
    """Sends `raw` (as much as the server takes) and returns the status of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout) as sock:
        try:
            sock.sendall(raw)
        except (BrokenPipeError, ConnectionResetError):
            pass
        try:
            status, _, _ = common.read_response(sock, timeout)
        except (ConnectionResetError, socket.timeout):
            status = 0
        return status


def http_limits(port: int) -> list:
    host = b"Host: 127.0.0.1\r\n"
    cases = [
        ("request-line", 414, b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\n" + host + b"\r\n"),
        ("header-section", 431, b"GET /health HTTP/1.1\r\n" + host + b"X-Big: " + b"b" * 33000 + b"\r\n\r\n"),
        ("header-count", 431, b"GET /health HTTP/1.1\r\n" + host
         + b"".join(b"X-F%d: v\r\n" % i for i in range(101)) + b"\r\n"),
        ("body", 413, b"POST /register HTTP/1.1\r\n" + host + b"Content-Type: application/json\r\n"
         b"Content-Length: 2000000\r\n\r\n" + b"{" * 65536),
        ("json-body", 413, b"POST /register HTTP/1.1\r\n" + host + b"Content-Type: application/json\r\n"
         + b"Content-Length: 20011\r\n\r\n" + b'{"userName":"' + b"x" * 19996 + b'"}'),
    ]
    results = []
    for name, expected, raw in cases:
        status = raw_status(port, raw)
        results.append(verdict("oversize", f"http-{name}", status == expected,
                               {"status": status, "expected": expected, "bytes_sent": len(raw)}))
    return results


def eio_handshake(port: int) -> str:
    status, _, body = common.request(port, "GET", "/socket.io/?EIO=4&transport=polling")
    if status != 200:
        raise RuntimeError(f"Engine.IO handshake answered {status}")
    return json.loads(body[1:])["sid"]


def polling_payload(port: int) -> bool:
    sid = eio_handshake(port)
    path = f"/socket.io/?EIO=4&transport=polling&sid={sid}"
    # Over maxPayload but under the HTTP body limit, so Engine.IO itself refuses it.
    body = b"4" + b"x" * 1_000_500
    status, _, answer = common.request(port, "POST", path, body, {"Content-Type": "text/plain;charset=UTF-8"},
                                       timeout=10)
    # The session is closed afterwards: a poll on it answers 400 (unknown sid).
    after, _, _ = common.request(port, "GET", path)
    return verdict("oversize", "engineio-polling-payload", status == 413 and after == 400,
                   {"status": status, "expected": 413, "bytes_sent": len(body), "session_after": after})


def websocket_limits(port: int) -> list:
    path = "/socket.io/?EIO=4&transport=websocket"
    results = []
    ws = common.ws_connect(port, path)
    ws.frame()  # Engine.IO open
    ws.send(common.ws_frame(b"4" + b"y" * 1_500_000))
    code = ws.close_code()
    ws.close()
    results.append(verdict("oversize", "websocket-frame", code == 1009,
                           {"close_code": code, "expected": 1009, "frame_bytes": 1_500_001}))

    ws = common.ws_connect(port, path)
    ws.frame()
    chunk = b"z" * 400_000
    try:
        ws.send(common.ws_frame(b"4" + chunk, opcode=1, fin=False))
        ws.send(common.ws_frame(chunk, opcode=0, fin=False))
        ws.send(common.ws_frame(chunk, opcode=0, fin=True))
    except (BrokenPipeError, ConnectionResetError):
        pass
    code = ws.close_code()
    ws.close()
    results.append(verdict("oversize", "websocket-message", code == 1009,
                           {"close_code": code, "expected": 1009, "frames": 3, "message_bytes": 1_200_001}))
    return results


def deflate_bomb(echo_port: int) -> bool:
    ws = common.ws_connect(echo_port, "/", extensions="permessage-deflate; client_max_window_bits")
    bomb = common.deflate_raw(b"\0" * (32 << 20))
    try:
        ws.send(common.ws_frame(bomb, opcode=2, rsv1=True))
    except (BrokenPipeError, ConnectionResetError):
        pass
    code = ws.close_code()
    ws.close()
    # The echo server still echoes a normal compressed message on a new connection.
    ws = common.ws_connect(echo_port, "/", extensions="permessage-deflate")
    ws.send(common.ws_frame(common.deflate_raw(b"hello"), opcode=1, rsv1=True))
    ws.sock.settimeout(5)
    echoed = ws.frame()
    ws.close()
    return verdict("oversize", "permessage-deflate-inflated", code == 1009 and echoed is not None,
                   {"close_code": code, "expected": 1009, "compressed_bytes": len(bomb),
                    "inflated_bytes": 32 << 20, "echo_after": "ok" if echoed else "none"})


def main() -> bool:
    with common.Processes("oversize") as procs:
        port, echo_port = common.free_port(), common.free_port()
        sesior = procs.sesior(port)
        echo_bin = os.environ.get("ECHO_BIN") or os.path.join(common.ROOT, ".build", "release", "websocket-echo-server")
        procs.start("echo", [echo_bin, "--port", str(echo_port)])
        common.wait_port(echo_port, 30)
        bystander = Bystander(port)
        bystander.start()
        rss_before = common.rss_kib(sesior.pid)
        ok = True
        for step in (http_limits, polling_payload, websocket_limits):
            try:
                result = step(port)
                ok &= all(result) if isinstance(result, list) else result
            except Exception as error:  # noqa: BLE001 — a check that could not run fails
                ok &= verdict("oversize", step.__name__, False, {"error": repr(error)})
        try:
            ok &= deflate_bomb(echo_port)
        except Exception as error:  # noqa: BLE001
            ok &= verdict("oversize", "permessage-deflate-inflated", False, {"error": repr(error)})
        time.sleep(0.5)
        bystander.stopped.set()
        bystander.join(10)
        alive = sesior.poll() is None
        ok &= verdict("oversize", "others-served", bystander.failed == 0 and bystander.ok > 0 and alive,
                      {"health_200": bystander.ok, "health_failed": bystander.failed,
                       "slowest_s": round(bystander.slowest, 3),
                       "rss_growth_mib": round((common.rss_kib(sesior.pid) - rss_before) / 1024, 1)})
        return ok


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)
