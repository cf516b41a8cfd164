"""Shared test plumbing: free ports, child servers, a tiny sequential test runner."""

import os
import signal
import socket
import ssl
import subprocess
import sys
import time
import traceback
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PUBLIC = ROOT / "Sources" / "SesiorServer" / "Public"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A child process serving HTTP (or HTTPS with `tls_cert`, the PEM certificate it serves, which
    `start()` then trusts); `start()` waits until `ready_path` answers."""

    def __init__(self, args, port, ready_path="/", name="server", tls_cert=None):
        self.args, self.port, self.ready_path, self.name = args, port, ready_path, name
        self.proc = None
        self.context = ssl.create_default_context(cafile=tls_cert) if tls_cert else None
        self.url = f"{'https' if tls_cert else 'http'}://127.0.0.1:{port}"

    def start(self, timeout=20):
        self.log = open(os.environ.get("WEBCLIENT_LOG_DIR", "/tmp") + f"/webclient-{self.name}-{self.port}.log", "ab")
        self.proc = subprocess.Popen(self.args, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}; see {self.log.name}")
            try:
                urllib.request.urlopen(self.url + self.ready_path, timeout=1, context=self.context).read()
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not answer on {self.url}")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def pause(self):
        self.proc.send_signal(signal.SIGSTOP)

    def resume(self):
        self.proc.send_signal(signal.SIGCONT)


class Runner:
    """Runs named test functions in order, prints one line each, counts passes and failures."""

    def __init__(self, title):
        self.title, self.passed, self.failed = title, 0, []

    def run(self, name, fn, *args):
        started = time.monotonic()
        try:
            fn(*args)
        except Exception as exc:  # report and go on with the next test
            self.failed.append(name)
            print(f"FAIL {name} ({time.monotonic() - started:.1f}s): {exc}", flush=True)
            if os.environ.get("WEBCLIENT_TRACE"):
                traceback.print_exc()
            return False
        self.passed += 1
        print(f"ok   {name} ({time.monotonic() - started:.1f}s)", flush=True)
        return True

    def finish(self):
        print(f"{self.title}: {self.passed} passed, {len(self.failed)} failed", flush=True)
        return 1 if self.failed else 0


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


def python():
    return sys.executable
