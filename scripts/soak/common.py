"""Shared helpers of the soak scenarios (scripts/soak/*.py): processes, /proc figures, raw HTTP
and WebSocket primitives, and the verdict line each scenario prints.

Everything talks to 127.0.0.1 only. Every process a scenario starts is recorded in `Processes`
and stopped (TERM, then KILL) when the scenario ends, whatever happens.
"""
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "Benchmarks", "peers"))

SECRET = "sesior soak secret"
SCALE = float(os.environ.get("SOAK_SCALE", "1"))


def log(message: str) -> None:
    print(f"[soak {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def verdict(scenario: str, check: str, passed: bool, figures: dict) -> bool:
    """Prints `PASS|FAIL scenario/check: figures` and appends it to $SOAK_RESULTS (JSON lines)."""
    shown = ", ".join(f"{k}={v}" for k, v in figures.items())
    print(f"{'PASS' if passed else 'FAIL'} {scenario}/{check}: {shown}", flush=True)
    path = os.environ.get("SOAK_RESULTS")
    if path:
        with open(path, "a") as out:
            out.write(json.dumps({"scenario": scenario, "check": check, "pass": passed, "figures": figures}) + "\n")
    return passed


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Processes:
    """Starts processes with their output in a log file and stops all of them on exit."""

    def __init__(self, name: str):
        self.dir = tempfile.mkdtemp(prefix=f"sesior-soak-{name}-")
        self.procs = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for proc in reversed(self.procs):
            stop(proc)
        if os.environ.get("SOAK_KEEP_LOGS") != "1":
            shutil.rmtree(self.dir, ignore_errors=True)

    def start(self, name: str, args: list, **kwargs) -> subprocess.Popen:
        out = open(os.path.join(self.dir, f"{name}.log"), "ab")
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, **kwargs)
        self.procs.append(proc)
        return proc

    def log_tail(self, name: str, lines: int = 20) -> str:
        try:
            with open(os.path.join(self.dir, f"{name}.log"), "rb") as f:
                return b"\n".join(f.read().splitlines()[-lines:]).decode(errors="replace")
        except OSError:
            return ""

    def sesior(self, port: int, *extra: str, name: str = "sesior") -> subprocess.Popen:
        binary = os.environ.get("SESIOR_BIN") or os.path.join(ROOT, ".build", "release", "sesior")
        proc = self.start(name, [binary, "--port", str(port), "--secret", SECRET, "--log-level", "error",
                                 "--run-dir", os.path.join(self.dir, "run"), *extra])
        wait_port(port, 30, proc)
        return proc

    def redis(self, port: int, name: str = "redis") -> subprocess.Popen:
        """redis-server on `port` with the AOF fsynced before every reply (appendfsync always), so
        every write Redis acknowledged survives a kill -9. Same data folder on every start."""
        data = os.path.join(self.dir, "redis-data")
        os.makedirs(data, exist_ok=True)
        proc = self.start(name, ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--dir", data,
                                 "--appendonly", "yes", "--appendfsync", "always", "--save", "",
                                 "--protected-mode", "no"])
        wait_port(port, 15, proc)
        return proc


def stop(proc: subprocess.Popen, sig=signal.SIGTERM, timeout=5.0) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(sig)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def wait_port(port: int, seconds: float, proc=None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before listening on {port}")
        try:
            socket.create_connection(("127.0.0.1", port), 0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port} after {seconds}s")


# /proc figures

def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def fd_count(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


# HTTP over a raw socket (so oversize and malformed requests go out exactly as written)

def read_response(sock: socket.socket, timeout: float = 5.0):
    """Reads one HTTP response; returns (status, headers dict lower-cased, body bytes)."""
    sock.settimeout(timeout)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    if not head:
        return 0, {}, b""
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.setdefault(name.strip().lower(), value.strip())
    length = int(headers.get("content-length", "0") or 0)
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return status, headers, body


def request(port: int, method: str, path: str, body: bytes = b"", headers=None, timeout: float = 5.0):
    """One request on a new connection; returns (status, headers, body); status 0 when nothing came."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close"]
    for name, value in (headers or {}).items():
        lines.append(f"{name}: {value}")
    if body or method in ("POST", "PUT"):
        lines.append(f"Content-Length: {len(body)}")
    raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
    with socket.create_connection(("127.0.0.1", port), timeout) as sock:
        sock.sendall(raw)
        return read_response(sock, timeout)


def session_cookie(headers: dict):
    """The `connect.sid=…` pair of a Set-Cookie header, or None."""
    value = headers.get("set-cookie")
    return value.split(";", 1)[0] if value else None


def register(port: int, name: str, cookie=None):
    """POST /register; returns (status, body, cookie to use next)."""
    headers = {"Content-Type": "application/json"}
    if cookie:
        headers["Cookie"] = cookie
    status, response_headers, body = request(port, "POST", "/register",
                                             json.dumps({"userName": name}).encode(), headers)
    return status, body, session_cookie(response_headers) or cookie


def sid_of(cookie: str) -> str:
    """The session id inside a signed `connect.sid=s%3A<id>.<signature>` cookie."""
    from urllib.parse import unquote
    value = unquote(cookie.split("=", 1)[1])
    return value[2:].rsplit(".", 1)[0]


# WebSocket primitives (RFC 6455 client side)

def ws_frame(payload: bytes, opcode: int = 1, fin: bool = True, rsv1: bool = False, length=None) -> bytes:
    """A masked client frame; `length` overrides the announced payload length."""
    n = len(payload) if length is None else length
    first = (0x80 if fin else 0) | (0x40 if rsv1 else 0) | opcode
    if n < 126:
        header = bytes((first, 0x80 | n))
    elif n < 65536:
        header = bytes((first, 0x80 | 126)) + struct.pack("!H", n)
    else:
        header = bytes((first, 0x80 | 127)) + struct.pack("!Q", n)
    mask = os.urandom(4)
    if not payload:
        return header + mask
    keystream = (mask * (len(payload) // 4 + 1))[: len(payload)]
    masked = (int.from_bytes(payload, "big") ^ int.from_bytes(keystream, "big")).to_bytes(len(payload), "big")
    return header + mask + masked


def ws_connect(port: int, path: str, cookie=None, extensions=None, timeout=5.0) -> socket.socket:
    """Opens a WebSocket; returns the socket after the 101 (leftover bytes are pushed back)."""
    import base64
    sock = socket.create_connection(("127.0.0.1", port), timeout)
    lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Upgrade: websocket", "Connection: Upgrade",
             "Sec-WebSocket-Version: 13", f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}"]
    if cookie:
        lines.append(f"Cookie: {cookie}")
    if extensions:
        lines.append(f"Sec-WebSocket-Extensions: {extensions}")
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            raise RuntimeError("connection closed during the WebSocket handshake")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 101"):
        raise RuntimeError(f"upgrade refused: {head[:80]!r}")
    return WSReader(sock, rest)


class WSReader:
    """A WebSocket client socket with a frame reader (server frames are unmasked)."""

    def __init__(self, sock: socket.socket, pending: bytes):
        self.sock, self.buffer = sock, pending

    def _need(self, n: int) -> bool:
        while len(self.buffer) < n:
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                return False
            self.buffer += chunk
        return True

    def frame(self):
        """(opcode, payload) of the next frame, or None at end of stream."""
        if not self._need(2):
            return None
        first, second = self.buffer[0], self.buffer[1]
        n, offset = second & 0x7F, 2
        if n == 126:
            if not self._need(4):
                return None
            n, offset = struct.unpack("!H", self.buffer[2:4])[0], 4
        elif n == 127:
            if not self._need(10):
                return None
            n, offset = struct.unpack("!Q", self.buffer[2:10])[0], 10
        if not self._need(offset + n):
            return None
        payload = self.buffer[offset: offset + n]
        self.buffer = self.buffer[offset + n:]
        return first & 0x0F, payload

    def close_code(self, timeout=10.0):
        """Reads frames until a close frame; returns its code (None for none, 'eof' when the TCP
        connection ended without one)."""
        self.sock.settimeout(timeout)
        try:
            while True:
                frame = self.frame()
                if frame is None:
                    return "eof"
                opcode, payload = frame
                if opcode == 8:
                    return struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else None
        except (ConnectionResetError, BrokenPipeError):
            return "reset"
        except socket.timeout:
            return "timeout"

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass


def deflate_raw(data: bytes) -> bytes:
    """permessage-deflate payload (RFC 7692 §7.2.1): raw DEFLATE, the trailing 00 00 ff ff removed."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    out = compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)
    return out[:-4] if out.endswith(b"\x00\x00\xff\xff") else out
