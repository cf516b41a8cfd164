#!/usr/bin/env python3
"""Load client of the Socket.IO broadcast fan-out benchmark (scripts/bench.sh).

Opens N WebSocket clients that speak Engine.IO v4 / Socket.IO v5 directly (eio_websocket.py:
`/socket.io/?EIO=4&transport=websocket`, open packet, `40` connect, `2`/`3` heartbeat; standard
library only), spread over P worker processes, plus one control client. The control client emits
`fanout` with `{"seq": k, "pad": "..."}`; the server must emit `fanout` with that argument to
every connected socket. The client waits until every one of the N clients got broadcast k (or a
timeout), then sends k + 1. The first --warmup broadcasts are not measured.

Measured (printed as key=value lines):
  fanout_clients            clients that completed the Socket.IO handshake
  fanout_msgs_per_s         deliveries / sum over broadcasts of (last delivery - emit time)
  fanout_p50_ms, _p99_ms    latency of one delivery (emit by the control client -> received)
  fanout_complete_p50_ms    median time until all N clients had one broadcast
  fanout_lost               expected deliveries that did not arrive within the timeout
  fanout_client_loop        event loop of the client processes (uvloop when installed)
  fanout_*_cpu_us_per_delivery  CPU time of the client (all processes) and of the server
                            (--server-pid, read from /proc) per delivery, warm-up included
Times are time.perf_counter() (CLOCK_MONOTONIC on Linux, shared by the worker processes).

Usage: fanout_client.py --url http://127.0.0.1:3002 [--clients 1000] [--broadcasts 20]
       [--processes 1] [--cookie 'connect.sid=...'] [--pad-bytes 64]
"""
import argparse
import asyncio
import json
import multiprocessing as mp
import os
import queue
import resource
import signal
import statistics
import sys
import threading
import time
import urllib.parse

from eio_websocket import fanout_seq, open_client


def raise_fd_limit() -> None:
    """Lifts the soft open-file limit to the hard one: 1,000+ sockets need more than 1,024."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def host_port(url: str):
    parts = urllib.parse.urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or 80


async def connect_all(host, port, cookie, on_event, count, concurrency):
    """Opens `count` clients, at most `concurrency` handshakes at a time. Returns (clients, errors)."""
    gate = asyncio.Semaphore(concurrency)
    errors = []

    async def one():
        async with gate:
            try:
                return await open_client(host, port, cookie, on_event)
            except Exception as error:  # counted and reported, the run goes on
                errors.append(repr(error))
                return None

    clients = await asyncio.gather(*(one() for _ in range(count)))
    return [c for c in clients if c is not None], errors


def die_with_parent() -> None:
    """Linux: this worker gets SIGTERM when the parent process dies, however it dies."""
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


async def worker(index, host, port, cookie, count, concurrency, to_parent, from_parent):
    raise_fd_limit()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops the workers
    die_with_parent()
    pending = {}
    expected = [count]

    def on_event(packet, received):
        seq = fanout_seq(packet)
        if seq is None:
            return
        times = pending.setdefault(seq, [])
        times.append(received)
        if len(times) == expected[0]:
            to_parent.put(("done", index, seq, pending.pop(seq)))

    clients, errors = await connect_all(host, port, cookie, on_event, count, concurrency)
    expected[0] = len(clients)
    to_parent.put(("connected", index, len(clients), errors[:3], len(errors)))
    cpu_start = time.process_time()
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, from_parent.get)  # "stop"
    to_parent.put(("partial", index, pending, time.process_time() - cpu_start))
    for client in clients:
        client.close()
    await asyncio.sleep(0.1)


def run(coroutine, loop_kind):
    """Runs the coroutine on uvloop when asked and installed ("auto": when installed)."""
    if loop_kind in ("auto", "uvloop"):
        try:
            import uvloop
            return uvloop.run(coroutine)
        except ImportError:
            if loop_kind == "uvloop":
                raise
    return asyncio.run(coroutine)


def worker_main(loop_kind, *args) -> None:
    run(worker(*args), loop_kind)


def percentile(sorted_values, fraction):
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


def process_cpu_seconds(pid):
    """CPU time (user + system, all threads) of another process, from /proc; None if unknown."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


STOPPING = threading.Event()  # set when the run ends: executor threads stop waiting


def next_message(results, deadline):
    """The next worker message before `deadline` (time.monotonic()), else queue.Empty."""
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or STOPPING.is_set():
            raise queue.Empty
        try:
            return results.get(timeout=min(remaining, 0.25))
        except queue.Empty:
            continue


async def drive(args) -> int:
    raise_fd_limit()
    # SIGTERM (e.g. from bench.sh's cleanup) cancels the run; `finally` then stops the workers.
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, asyncio.current_task().cancel)
    host, port = host_port(args.url)
    results = mp.Queue()
    stops = [mp.Queue() for _ in range(args.processes)]
    shares = [args.clients // args.processes + (1 if i < args.clients % args.processes else 0)
              for i in range(args.processes)]
    workers = [mp.Process(target=worker_main, daemon=True,
                          args=(args.loop, i, host, port, args.cookie, shares[i],
                                args.connect_concurrency, results, stops[i]))
               for i in range(args.processes)]
    started = time.perf_counter()
    for process in workers:
        process.start()
    loop = asyncio.get_running_loop()
    latencies, completions = [], []
    late = {}  # measured seq that timed out -> deliveries confirmed so far
    try:
        connected, connect_errors, active = 0, 0, []
        deadline = time.monotonic() + args.connect_timeout
        for _ in workers:
            message = await loop.run_in_executor(None, next_message, results, deadline)
            _, index, ok, samples, failed = message
            connected += ok
            if ok:
                active.append(index)
            connect_errors += failed
            for sample in samples:
                print(f"# worker {index} connect error: {sample}", file=sys.stderr)
        connect_seconds = time.perf_counter() - started
        print(f"# {connected} clients connected in {connect_seconds:.1f} s "
              f"({connect_errors} failed)", file=sys.stderr)

        # The control client emits the broadcasts and ignores what it receives.
        control = await open_client(host, port, args.cookie, lambda packet, t: None)
        await asyncio.sleep(args.settle)
        pad = "x" * args.pad_bytes
        server_cpu_start = process_cpu_seconds(args.server_pid) if args.server_pid else None
        own_cpu_start = time.process_time()
        for seq in range(args.warmup + args.broadcasts):
            emitted = time.perf_counter()
            packet = "42" + json.dumps(["fanout", {"seq": seq, "pad": pad}],
                                       separators=(",", ":"))
            control.send_text(packet.encode())
            waiting = set(active)
            times = []
            deadline = time.monotonic() + args.timeout
            try:
                while waiting:
                    message = await loop.run_in_executor(None, next_message, results, deadline)
                    if message[0] == "done" and message[2] == seq:
                        waiting.discard(message[1])
                        times.extend(message[3])
                    elif message[0] == "done" and message[2] in late:
                        late[message[2]] += len(message[3])
            except queue.Empty:
                print(f"# broadcast {seq}: timeout, workers {sorted(waiting)} incomplete",
                      file=sys.stderr)
            if seq < args.warmup:
                continue
            if waiting:
                late[seq] = len(times)
                continue
            latencies.extend((t - emitted) * 1000 for t in times)
            completions.append((max(times) - emitted) if times else float("nan"))
        server_cpu_end = process_cpu_seconds(args.server_pid) if args.server_pid else None
        own_cpu = time.process_time() - own_cpu_start
        control.close()
    finally:
        STOPPING.set()
        for stop in stops:
            stop.put("stop")
        drain_until = time.monotonic() + 10
        client_cpu = 0.0
        partials = 0
        while partials < len(workers) and time.monotonic() < drain_until:
            try:
                message = results.get(timeout=0.2)
            except queue.Empty:
                if not any(process.is_alive() for process in workers):
                    break
                continue
            if message[0] == "partial":
                partials += 1
                client_cpu += message[3]
                for seq, times in message[2].items():
                    if seq in late:
                        late[seq] += len(times)
            elif message[0] == "done" and message[2] in late:
                late[message[2]] += len(message[3])
        for process in workers:
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()

    latencies.sort()
    lost = sum(connected - count for count in late.values())
    measured = len(completions)
    deliveries = measured * connected
    busy = sum(completions)
    print(f"fanout_clients={connected}")
    print(f"fanout_connect_errors={connect_errors}")
    print(f"fanout_broadcasts={measured}")
    print(f"fanout_msgs_per_s={deliveries / busy:.0f}" if busy > 0 else "fanout_msgs_per_s=nan")
    print(f"fanout_p50_ms={percentile(latencies, 0.50):.2f}")
    print(f"fanout_p99_ms={percentile(latencies, 0.99):.2f}")
    print(f"fanout_complete_p50_ms={statistics.median(completions) * 1000:.2f}"
          if completions else "fanout_complete_p50_ms=nan")
    print(f"fanout_lost={lost}")
    print(f"fanout_client_loop={type(asyncio.get_running_loop()).__module__.split('.')[0]}")
    sent = (args.warmup + args.broadcasts) * connected  # deliveries in the CPU-time window
    if sent:
        print(f"fanout_client_cpu_us_per_delivery={(client_cpu + own_cpu) / sent * 1e6:.1f}")
        if server_cpu_start is not None and server_cpu_end is not None:
            server_cpu = server_cpu_end - server_cpu_start
            print(f"fanout_server_cpu_us_per_delivery={server_cpu / sent * 1e6:.1f}")
    return 0 if connected == args.clients and lost == 0 and measured == args.broadcasts else 1


def main() -> None:
    parser = argparse.ArgumentParser(description="Socket.IO broadcast fan-out load client")
    parser.add_argument("--url", required=True, help="server base URL, e.g. http://127.0.0.1:3002")
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--broadcasts", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--pad-bytes", type=int, default=64)
    parser.add_argument("--cookie", default="", help="Cookie header sent on every handshake")
    parser.add_argument("--server-pid", type=int, default=0,
                        help="measure this process's CPU time during the broadcasts")
    parser.add_argument("--connect-concurrency", type=int, default=50)
    parser.add_argument("--connect-timeout", type=float, default=120)
    parser.add_argument("--timeout", type=float, default=10, help="seconds per broadcast")
    parser.add_argument("--settle", type=float, default=1.0)
    parser.add_argument("--loop", choices=("auto", "asyncio", "uvloop"), default="auto",
                        help="event loop of the clients (auto: uvloop when installed)")
    args = parser.parse_args()
    sys.exit(run(drive(args), args.loop))


if __name__ == "__main__":
    main()
