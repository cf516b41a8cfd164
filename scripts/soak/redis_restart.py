"""Scenario a: Redis is killed (SIGKILL) and restarted under a load of session reads and writes.

sesior runs with --redis against its own redis-server (AOF with appendfsync always: Redis fsyncs
before it replies, so a write Redis acknowledged to sesior survives kill -9; kill -9 is the harder
case than a SIGTERM shutdown, which would write everything out first). Each worker owns some
clients; a client loops: POST /register with a new unique name (a session write: the session id is
regenerated, the name claimed in the registry and saved in `sess:<id>`), then GET /verify-session
(a read, whose answer must show the last acknowledged name).

Checks: sesior never exits; while Redis is down every answer is 503 with a JSON {"error": …}
(no hang past the client timeout, no 500); within 2 s after Redis answers PING again every answer is
2xx; no read shows an older name than the last acknowledged one; afterwards `sess:<id>` of every
client's last acknowledged register holds that name.
"""
import http.client
import json
import socket
import threading
import time

import common
from common import log, verdict

UP_SECONDS = 4 * common.SCALE
DOWN_SECONDS = 4 * common.SCALE
AFTER_SECONDS = 5 * common.SCALE
WORKERS = 8
CLIENTS_PER_WORKER = 4
CLIENT_TIMEOUT = 5.0


def redis_command(port: int, *args: str):
    """One RESP command on a new connection; returns the decoded reply (bulk strings as str)."""
    with socket.create_connection(("127.0.0.1", port), 2) as sock:
        out = f"*{len(args)}\r\n" + "".join(f"${len(a.encode())}\r\n{a}\r\n" for a in args)
        sock.sendall(out.encode())
        reader = sock.makefile("rb")
        line = reader.readline().rstrip(b"\r\n")
        kind, rest = line[:1], line[1:]
        if kind == b"$":
            n = int(rest)
            return None if n < 0 else reader.read(n + 2)[:-2].decode()
        if kind in (b"+", b":"):
            return rest.decode()
        raise RuntimeError(f"redis: {line!r}")


class Client:
    """One browser-like client: its cookie, its last acknowledged name and session id."""

    def __init__(self, ident: str):
        self.ident, self.cookie, self.counter = ident, None, 0
        self.acked_name = self.acked_sid = None
        self.dirty = False  # a write failed after the last acknowledged one (its effect is unknown)


class Load:
    def __init__(self, port: int):
        self.port = port
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.events = []  # (start, end, kind, status, json_error_reason)
        self.stale_reads = []
        self.clients = []

    def _call(self, conn, method, path, client, body=None):
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if client.cookie:
            headers["Cookie"] = client.cookie
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        payload = response.read()
        return response.status, response.getheader("Set-Cookie"), payload

    def worker(self, index: int) -> None:
        clients = [Client(f"w{index}c{i}") for i in range(CLIENTS_PER_WORKER)]
        with self.lock:
            self.clients.extend(clients)
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=CLIENT_TIMEOUT)
        while not self.stop.is_set():
            for client in clients:
                for kind in ("write", "read"):
                    client.counter += 1
                    name = f"{client.ident}n{client.counter}"
                    started = time.monotonic()
                    status, reason, set_cookie, payload = 0, None, None, b""
                    try:
                        if kind == "write":
                            status, set_cookie, payload = self._call(
                                conn, "POST", "/register", client, json.dumps({"userName": name}))
                        else:
                            status, set_cookie, payload = self._call(conn, "GET", "/verify-session", client)
                    except (OSError, http.client.HTTPException):
                        conn.close()
                        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=CLIENT_TIMEOUT)
                    ended = time.monotonic()
                    document = None
                    try:
                        document = json.loads(payload) if payload else None
                    except ValueError:
                        pass
                    if status >= 400 and isinstance(document, dict):
                        reason = document.get("error")
                    if set_cookie:
                        client.cookie = set_cookie.split(";", 1)[0]
                    if kind == "write":
                        if 200 <= status < 300:
                            client.acked_name, client.acked_sid, client.dirty = name, common.sid_of(client.cookie), False
                        else:
                            client.dirty = True
                    elif 200 <= status < 300 and client.acked_name and not client.dirty:
                        shown = (document or {}).get("user", {}).get("userName")
                        if shown != client.acked_name:
                            with self.lock:
                                self.stale_reads.append((client.ident, client.acked_name, shown))
                    with self.lock:
                        self.events.append((started, ended, kind, status, reason))
                    if self.stop.is_set():
                        break
        conn.close()


def main() -> bool:
    with common.Processes("redis") as procs:
        redis_port, port = common.free_port(), common.free_port()
        redis = procs.redis(redis_port)
        sesior = procs.sesior(port, "--redis", f"redis://127.0.0.1:{redis_port}/0")
        load = Load(port)
        threads = [threading.Thread(target=load.worker, args=(i,), daemon=True) for i in range(WORKERS)]
        for t in threads:
            t.start()
        time.sleep(UP_SECONDS)
        t_kill = time.monotonic()
        redis.kill()  # SIGKILL
        redis.wait()
        log(f"redis killed (SIGKILL) after {UP_SECONDS:.0f}s of load")
        time.sleep(DOWN_SECONDS)
        procs.procs.remove(redis)
        redis = procs.redis(redis_port)
        while True:
            try:
                if redis_command(redis_port, "PING") == "PONG":
                    break
            except (OSError, RuntimeError):
                pass
            time.sleep(0.01)
        t_back = time.monotonic()
        log(f"redis restarted, answering PING after {t_back - t_kill:.1f}s down")
        time.sleep(AFTER_SECONDS)
        load.stop.set()
        for t in threads:
            t.join(CLIENT_TIMEOUT + 5)
        alive = sesior.poll() is None

        ok = True
        events = sorted(load.events)
        before = [e for e in events if e[1] < t_kill]
        during = [e for e in events if e[0] > t_kill + 0.05 and e[1] < t_back]
        after = [e for e in events if e[0] >= t_back]
        up_ok = sum(1 for e in before if 200 <= e[3] < 300)
        ok &= verdict("redis", "load-before-kill", up_ok == len(before) and len(before) > 0,
                      {"requests": len(before), "2xx": up_ok,
                       "req_per_s": round(len(before) / UP_SECONDS)})
        json_503 = sum(1 for e in during if e[3] == 503 and e[4])
        other = sorted({e[3] for e in during if not (e[3] == 503 and e[4])})
        slowest = max((e[1] - e[0] for e in during), default=0)
        ok &= verdict("redis", "503-while-down", len(during) > 0 and json_503 == len(during) and alive,
                      {"requests": len(during), "503_json": json_503, "other_statuses": other or "none",
                       "slowest_s": round(slowest, 3),
                       "reasons": sorted({e[4] for e in during if e[4]})})
        failures_after = [e for e in after if not 200 <= e[3] < 300]
        last_failure = max((e[1] for e in failures_after), default=t_back)
        first_ok = min((e[1] for e in after if 200 <= e[3] < 300), default=None)
        recovery = last_failure - t_back
        ok &= verdict("redis", "recovery", first_ok is not None and recovery <= 2.0,
                      {"first_2xx_after_s": round(first_ok - t_back, 3) if first_ok else "never",
                       "last_failure_after_s": round(recovery, 3), "failures_after": len(failures_after),
                       "requests_after": len(after)})

        strict = lost = ambiguous = 0
        for client in load.clients:
            if not client.acked_sid:
                continue
            raw = redis_command(redis_port, "GET", f"sess:{client.acked_sid}")
            stored = (json.loads(raw) if raw else {}).get("userName")
            if client.dirty:
                ambiguous += 1
                if raw and stored != client.acked_name:
                    lost += 1
            else:
                strict += 1
                if stored != client.acked_name:
                    lost += 1
        writes_acked = sum(1 for e in events if e[2] == "write" and 200 <= e[3] < 300)
        ok &= verdict("redis", "acknowledged-writes-kept", lost == 0 and not load.stale_reads and strict > 0,
                      {"writes_acked": writes_acked, "clients_checked": strict + ambiguous,
                       "clients_last_write_failed": ambiguous, "lost": lost,
                       "stale_reads": len(load.stale_reads)})
        ok &= verdict("redis", "no-crash", alive, {"sesior_running": alive})
        if not alive:
            log(procs.log_tail("sesior"))
        return ok


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)
