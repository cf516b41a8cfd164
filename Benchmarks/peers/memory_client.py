#!/usr/bin/env python3
"""Load client of the idle-connection memory benchmark (scripts/bench.sh `memory`).

Opens N Socket.IO clients over WebSocket (eio_websocket.py: `/socket.io/?EIO=4&transport=websocket`,
open packet, `40` connect of "/", heartbeats `2` answered with `3`), spread over P worker
processes, keeps them connected and idle for --hold seconds (long enough for the server's
heartbeats to run), and reads the server's resident memory (VmRSS of /proc/PID/status) before
the first connection and at the end of the hold, while every client is still connected.

Printed as key=value lines:
  memory_clients              clients that completed the Socket.IO handshake and stayed connected
  memory_connect_errors       handshakes that failed
  memory_rss_before_kib       server VmRSS before the clients connect (after --warmup clients
                              connected and closed again, so lazily built server state exists)
  memory_rss_after_kib        server VmRSS with every client connected, at the end of the hold
  memory_kib_per_connection   (after - before) / clients
  memory_connect_s            time to open all clients

Usage: memory_client.py --url http://127.0.0.1:3002 --server-pid PID [--clients 10000]
       [--processes 4] [--hold 30]
"""
import argparse
import asyncio
import multiprocessing as mp
import queue
import resource
import signal
import sys
import time
import urllib.parse

from eio_websocket import open_client


def raise_fd_limit() -> None:
    """Lifts the soft open-file limit to the hard one: thousands of sockets need more than 1,024."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def vm_rss_kib(pid: int):
    """VmRSS of a process in KiB, from /proc/PID/status; None when unknown."""
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def die_with_parent() -> None:
    """Linux: this worker gets SIGTERM when the parent process dies, however it dies."""
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


async def worker(host, port, count, concurrency, to_parent, from_parent):
    raise_fd_limit()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()
    gate = asyncio.Semaphore(concurrency)
    errors = []

    async def one():
        async with gate:
            try:
                return await open_client(host, port, "", lambda packet, received: None, timeout=60)
            except Exception as error:  # counted and reported, the run goes on
                errors.append(repr(error))
                return None

    clients = [c for c in await asyncio.gather(*(one() for _ in range(count))) if c is not None]
    to_parent.put(("connected", len(clients), errors[:3], len(errors)))
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, from_parent.get)  # "count": still connected?
    alive = sum(1 for c in clients if not c.closed.done())
    to_parent.put(("alive", alive))
    await loop.run_in_executor(None, from_parent.get)  # "stop"
    for client in clients:
        client.close()
    await asyncio.sleep(0.2)


def worker_main(*args) -> None:
    try:
        import uvloop
        uvloop.run(worker(*args))
    except ImportError:
        asyncio.run(worker(*args))


async def warm_up(host, port, count):
    """Connects and closes `count` clients, so the server's lazily created state exists."""
    clients = []
    for _ in range(count):
        try:
            clients.append(await open_client(host, port, "", lambda packet, received: None))
        except Exception as error:
            print(f"# warm-up connect error: {error!r}", file=sys.stderr)
    for client in clients:
        client.close()
    await asyncio.sleep(1.0)


def collect(results, kind, expected, timeout):
    """`expected` worker messages of `kind` (skipping nothing else), or fewer after `timeout`."""
    messages, deadline = [], time.monotonic() + timeout
    while len(messages) < expected:
        try:
            message = results.get(timeout=max(0.1, deadline - time.monotonic()))
        except queue.Empty:
            break
        if message[0] == kind:
            messages.append(message)
        if time.monotonic() > deadline:
            break
    return messages


def main() -> int:
    parser = argparse.ArgumentParser(description="Socket.IO idle-connection memory load client")
    parser.add_argument("--url", required=True)
    parser.add_argument("--server-pid", type=int, required=True)
    parser.add_argument("--clients", type=int, default=10000)
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--hold", type=float, default=30, help="idle seconds with every client connected")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--connect-concurrency", type=int, default=100)
    parser.add_argument("--connect-timeout", type=float, default=300)
    args = parser.parse_args()
    raise_fd_limit()
    parts = urllib.parse.urlsplit(args.url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80

    asyncio.run(warm_up(host, port, args.warmup))
    before = vm_rss_kib(args.server_pid)
    results = mp.Queue()
    commands = [mp.Queue() for _ in range(args.processes)]
    shares = [args.clients // args.processes + (1 if i < args.clients % args.processes else 0)
              for i in range(args.processes)]
    workers = [mp.Process(target=worker_main, daemon=True,
                          args=(host, port, shares[i], args.connect_concurrency, results, commands[i]))
               for i in range(args.processes)]
    started = time.monotonic()
    for process in workers:
        process.start()
    try:
        connected = collect(results, "connected", len(workers), args.connect_timeout)
        connect_seconds = time.monotonic() - started
        opened = sum(m[1] for m in connected)
        failed = sum(m[3] for m in connected)
        for message in connected:
            for sample in message[2]:
                print(f"# connect error: {sample}", file=sys.stderr)
        print(f"# {opened} clients connected in {connect_seconds:.1f} s ({failed} failed); "
              f"holding {args.hold:.0f} s", file=sys.stderr)
        time.sleep(args.hold)
        after = vm_rss_kib(args.server_pid)
        for command in commands:
            command.put("count")
        alive = sum(m[1] for m in collect(results, "alive", len(workers), 30))
    finally:
        for command in commands:
            command.put("stop")
        for process in workers:
            process.join(timeout=10)
            if process.is_alive():
                process.terminate()
    print(f"memory_clients={alive}")
    print(f"memory_connect_errors={failed + (opened - alive)}")
    print(f"memory_connect_s={connect_seconds:.1f}")
    if before is None or after is None or alive == 0:
        print("# could not read the server's VmRSS", file=sys.stderr)
        return 1
    print(f"memory_rss_before_kib={before}")
    print(f"memory_rss_after_kib={after}")
    print(f"memory_kib_per_connection={(after - before) / alive:.2f}")
    return 0 if alive == args.clients else 1


if __name__ == "__main__":
    sys.exit(main())
