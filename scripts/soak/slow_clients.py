"""Scenario c: slow clients, each closed at its timeout, with sesior's memory bounded meanwhile.

sesior runs with short timeouts: --header-read-timeout 2 --idle-timeout 2 --ping-interval 2
--ping-timeout 2. Three kinds of slow clients, one after the other, COUNT connections each:

1. slowloris: sends part of a request head, then one more header byte every 0.5 s, never the end.
   Expected: 408 then close, 2 s after the first byte (the header-read timeout), whatever trickles.
2. never-reading HTTP client: a small receive buffer, pipelines `GET /socketio-client.js` (18 KB
   answers to 50-byte requests) after an Engine.IO polling handshake, without ever reading.
   Expected: sesior stops reading when its answers cannot be written (the client's sends stall),
   and closes the connection at the idle timeout, or — when a pipelined request is already
   buffered — answers 408 at the header-read timeout and closes after the 2 s linger; memory does
   not grow with what the client keeps sending.
3. never-reading WebSocket client: a Socket.IO client (registered session) with a small receive
   buffer that stops reading after its connect, while a normal client makes the server broadcast
   `user:joined` to it in a loop. Expected: dropped by the Engine.IO ping timeout (it never answers
   the pings), so closed within ping interval + ping timeout + the WebSocket close timeout (10 s).

For each: when sesior closed the connections (from the client side: EOF, reset, or a close frame),
sesior's open descriptors back to the baseline, and its peak RSS growth (bounded: < MAX_GROWTH_MIB).
"""
import os
import selectors
import socket
import threading
import time

import common
from common import log, verdict

COUNT = int(100 * common.SCALE)
HEADER_TIMEOUT = 2.0
IDLE_TIMEOUT = 2.0
PING_INTERVAL = 2.0
PING_TIMEOUT = 2.0
WS_CLOSE_TIMEOUT = 10.0
LINGER = 2.0  # HTTPCore waits this long for the client's close after shutting its output
MAX_GROWTH_MIB = 64


class Sampler(threading.Thread):
    """Samples sesior's RSS and descriptors every 0.1 s."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak_rss, self.stopped = pid, common.rss_kib(pid), threading.Event()

    def run(self):
        while not self.stopped.is_set():
            try:
                self.peak_rss = max(self.peak_rss, common.rss_kib(self.pid))
            except OSError:
                return
            time.sleep(0.1)


def wait_closed(socks: dict, deadline: float, on_tick=None) -> dict:
    """Waits until each socket (sock → start time) sees EOF or a reset; returns sock → seconds
    from its start to the close. Data received is discarded (a close frame counts as closed)."""
    closed = {}
    selector = selectors.DefaultSelector()
    for sock in socks:
        sock.setblocking(False)
        selector.register(sock, selectors.EVENT_READ)
    while len(closed) < len(socks) and time.monotonic() < deadline:
        if on_tick:
            on_tick()
        for key, _ in selector.select(0.1):
            sock = key.fileobj
            try:
                data = sock.recv(1 << 20)
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            if not data or data[:2] == b"\x88\x02" or b"\x88\x02" in data[-64:]:
                closed[sock] = time.monotonic() - socks[sock]
                selector.unregister(sock)
    selector.close()
    return closed


def wait_fds(pid: int, target: int, start: float, deadline: float, on_tick=None) -> dict:
    """For clients that must not read: waits until sesior's descriptor count is back to `target`
    (its connections closed on the server side); returns one close time (seconds from `start`)
    per descriptor that went away, read from samples every 50 ms."""
    times = {}
    highest = common.fd_count(pid)
    while time.monotonic() < deadline:
        if on_tick:
            on_tick()
        fds = common.fd_count(pid)
        highest = max(highest, fds)
        for k in range(fds, highest):
            times.setdefault(k, time.monotonic() - start)
        if fds <= target:
            break
        time.sleep(0.05)
    return times


def small_buffer_socket(port: int) -> socket.socket:
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    return sock


def settle_fds(pid: int, target: int, seconds: float = 5.0) -> int:
    deadline = time.monotonic() + seconds
    fds = common.fd_count(pid)
    while fds > target and time.monotonic() < deadline:
        time.sleep(0.1)
        fds = common.fd_count(pid)
    return fds


def report(check: str, pid: int, base_fds: int, base_rss: int, sampler: Sampler, closed: dict, count: int,
           low: float, high: float, extra=None) -> bool:
    fds = settle_fds(pid, base_fds)
    sampler.stopped.set()
    times = sorted(closed.values())
    growth_mib = (sampler.peak_rss - base_rss) / 1024
    figures = {"connections": count, "closed": len(times),
               "close_s_min": round(times[0], 2) if times else "-",
               "close_s_median": round(times[len(times) // 2], 2) if times else "-",
               "close_s_max": round(times[-1], 2) if times else "-",
               "expected_s": f"{low}-{high}", "peak_rss_growth_mib": round(growth_mib, 1),
               "fds_before": base_fds, "fds_after": fds}
    figures.update(extra or {})
    passed = (len(times) == count and low - 0.1 <= times[0] and times[-1] <= high
              and growth_mib < MAX_GROWTH_MIB and fds <= base_fds)
    return verdict("slow", check, passed, figures)


def slowloris(port: int, pid: int) -> bool:
    base_fds, base_rss = common.fd_count(pid), common.rss_kib(pid)
    sampler = Sampler(pid)
    sampler.start()
    socks = {}
    for i in range(COUNT):
        sock = socket.create_connection(("127.0.0.1", port), 5)
        socks[sock] = time.monotonic()
        sock.sendall(f"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow-{i}: ".encode())
    last = [time.monotonic()]

    def trickle():
        if time.monotonic() - last[0] >= 0.5:
            last[0] = time.monotonic()
            for sock in socks:
                try:
                    sock.send(b"a")
                except OSError:
                    pass

    closed = wait_closed(socks, time.monotonic() + HEADER_TIMEOUT + 10, trickle)
    answered_408 = 0  # the 408 arrived before the close: checked on a separate connection below
    probe = socket.create_connection(("127.0.0.1", port), 5)
    probe.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
    status, _, _ = common.read_response(probe, HEADER_TIMEOUT + 5)
    answered_408 = status
    probe.close()
    sampler.stopped.set()
    for sock in socks:
        sock.close()
    return report("header-read-timeout", pid, base_fds, base_rss, sampler, closed, COUNT,
                  HEADER_TIMEOUT, HEADER_TIMEOUT + 1.5, {"probe_status": answered_408}) and answered_408 == 408


def never_reading_http(port: int, pid: int) -> bool:
    # Serve the file once first: the first static-file read starts the server's file I/O thread
    # pool, whose descriptor would otherwise stay above the baseline and hide the closes.
    common.request(port, "GET", "/socketio-client.js")
    base_fds, base_rss = common.fd_count(pid), common.rss_kib(pid)
    sampler = Sampler(pid)
    sampler.start()
    request = b"GET /socketio-client.js HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    burst = request * 64
    handshake = b"GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    socks, sent = {}, {}
    for _ in range(COUNT):
        sock = small_buffer_socket(port)
        sock.sendall(handshake)
        sock.setblocking(False)
        socks[sock], sent[sock] = time.monotonic(), 0
    # Keep sending for as long as the server accepts bytes (it should stop reading), at most 8 s.
    # A client's close time runs from the start of its longest stall (the server stopped reading
    # from it for good: its answers do not drain) until the server's close shows as a reset on a
    # later send (during the close's linger the server reads and discards, so sends move again);
    # closes that happen after the send phase are caught from the descriptor count.
    stop_at = time.monotonic() + 8
    stalled_since, longest_stall, reset_after = {}, {}, {}

    def note_stall_end(sock, now):
        began = stalled_since.pop(sock, None)
        if began is not None and now - began > longest_stall.get(sock, (0.0, now))[0]:
            longest_stall[sock] = (now - began, began)

    while time.monotonic() < stop_at and len(reset_after) < len(socks):
        progressed = False
        for sock in socks:
            if sock in reset_after:
                continue
            try:
                n = sock.send(burst)
                sent[sock] += n
                progressed = progressed or n > 0
                note_stall_end(sock, time.monotonic())
            except BlockingIOError:
                stalled_since.setdefault(sock, time.monotonic())
            except OSError:
                now = time.monotonic()
                note_stall_end(sock, now)
                reset_after[sock] = now - longest_stall.get(sock, (0.0, now))[1]
        if not progressed:
            time.sleep(0.01)
    requests_sent = sum(sent.values()) // len(request)
    if len(reset_after) == len(socks):
        closed = dict(enumerate(reset_after.values()))
    else:
        # The timeout counts from when the clients stopped sending (they cannot: sesior stopped
        # reading), i.e. the last client's stall, or the end of the 8 s send phase.
        start = max(stalled_since.values()) if len(stalled_since) == len(socks) else stop_at
        closed = wait_fds(pid, base_fds, start, time.monotonic() + IDLE_TIMEOUT + 15)
    sampler.stopped.set()
    for sock in socks:
        sock.close()
    return report("never-reading-http", pid, base_fds, base_rss, sampler, closed, COUNT, 0.0,
                  max(IDLE_TIMEOUT, HEADER_TIMEOUT + LINGER) + 1.5,
                  {"requests_sent": requests_sent, "stalled_clients": len(longest_stall),
                   "reset_during_send": len(reset_after)})


def never_reading_websocket(port: int, pid: int) -> bool:
    status, _, cookie = common.register(port, "soak-slow-ws")
    _, _, driver_cookie = common.register(port, "soak-slow-driver")
    base_fds, base_rss = common.fd_count(pid), common.rss_kib(pid)
    sampler = Sampler(pid)
    sampler.start()
    socks = {}
    path = "/socket.io/?EIO=4&transport=websocket"
    for _ in range(COUNT):
        ws = common.ws_connect(port, path, cookie)
        ws.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        ws.sock.settimeout(5)
        ws.frame()  # Engine.IO open
        ws.send(common.ws_frame(b"40"))
        ws.frame()  # Socket.IO connect answer
        socks[ws.sock] = time.monotonic()  # from here on, never read
    driver = common.ws_connect(port, path, driver_cookie)
    driver.sock.settimeout(5)
    driver.frame()
    driver.send(common.ws_frame(b"40"))
    broadcasts = [0]

    def drive():
        try:
            driver.send(common.ws_frame(b'42["user:connected","soak-slow-driver"]'))
            broadcasts[0] += 1
            driver.sock.setblocking(False)
            try:
                while True:
                    frame_data = driver.sock.recv(1 << 20)
                    if not frame_data:
                        break
                    if b"\x012" in frame_data:  # answer pings so the driver stays
                        driver.send(common.ws_frame(b"3"))
            except BlockingIOError:
                pass
        except OSError:
            pass

    deadline = time.monotonic() + PING_INTERVAL + PING_TIMEOUT + WS_CLOSE_TIMEOUT + 5
    start = min(socks.values())
    closed = wait_fds(pid, base_fds + 1, start, deadline, drive)  # + 1: the driver stays
    sampler.stopped.set()
    for sock in socks:
        sock.close()
    driver.close()
    return report("never-reading-websocket", pid, base_fds, base_rss, sampler, closed, COUNT,
                  PING_INTERVAL + PING_TIMEOUT, PING_INTERVAL + PING_TIMEOUT + WS_CLOSE_TIMEOUT + 1.5,
                  {"broadcast_rounds": broadcasts[0]})


def main() -> bool:
    with common.Processes("slow") as procs:
        port = common.free_port()
        sesior = procs.sesior(port, "--header-read-timeout", str(HEADER_TIMEOUT), "--idle-timeout",
                              str(IDLE_TIMEOUT), "--ping-interval", str(PING_INTERVAL),
                              "--ping-timeout", str(PING_TIMEOUT))
        ok = True
        for scenario in (slowloris, never_reading_http, never_reading_websocket):
            started = time.monotonic()
            try:
                ok &= scenario(port, sesior.pid)
            except Exception as error:  # noqa: BLE001 — a scenario that could not run fails
                ok &= verdict("slow", scenario.__name__, False, {"error": repr(error)})
            log(f"{scenario.__name__} took {time.monotonic() - started:.1f}s")
        status, _, _ = common.request(port, "GET", "/health")
        alive = sesior.poll() is None and status == 200
        ok &= verdict("slow", "still-serving", alive, {"health_status": status})
        return ok


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)
