#!/usr/bin/env python3
"""Load client of the Socket.IO broadcast fan-out benchmark (scripts/bench.sh).

Opens N WebSocket clients that speak Engine.IO v4 / Socket.IO v5 directly over aiohttp
WebSockets (`/socket.io/?EIO=4&transport=websocket`, open packet, `40` connect, `2`/`3`
heartbeat), spread over P worker processes, plus one control client. The control client emits
`fanout` with `{"seq": k, "pad": "..."}`; the server must emit `fanout` with that argument to
every connected socket. The client waits until every one of the N clients got broadcast k (or a
timeout), then sends k + 1. The first --warmup broadcasts are not measured.

Measured (printed as key=value lines):
  fanout_clients            clients that completed the Socket.IO handshake
  fanout_msgs_per_s         deliveries / sum over broadcasts of (last delivery - emit time)
  fanout_p50_ms, _p99_ms    latency of one delivery (emit by the control client -> received)
  fanout_complete_p50_ms    median time until all N clients had one broadcast
  fanout_lost               expected deliveries that did not arrive within the timeout
Times are time.perf_counter() (CLOCK_MONOTONIC on Linux, shared by the worker processes).

Usage: fanout_client.py --url http://127.0.0.1:3002 [--clients 1000] [--broadcasts 20]
       [--processes 1] [--cookie 'connect.sid=...'] [--pad-bytes 64]
"""
import argparse
import asyncio
import json
import multiprocessing as mp
import queue
import resource
import statistics
import sys
import time

import aiohttp


def raise_fd_limit() -> None:
    """Lifts the soft open-file limit to the hard one: 1,000+ sockets need more than 1,024."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def websocket_url(base: str) -> str:
    base = base.rstrip("/")
    if base.startswith("http"):
        base = "ws" + base[len("http"):]
    return base + "/socket.io/?EIO=4&transport=websocket"


async def open_socket(session, url, headers):
    """Opens one WebSocket and completes the Engine.IO open and Socket.IO connect of "/"."""
    ws = await session.ws_connect(url, headers=headers, autoping=True, max_msg_size=0)
    try:
        msg = await ws.receive(timeout=30)
        if msg.type != aiohttp.WSMsgType.TEXT or not msg.data.startswith("0"):
            raise RuntimeError(f"expected an Engine.IO open packet, got {msg.type} {msg.data!r}")
        await ws.send_str("40")
        while True:
            msg = await ws.receive(timeout=30)
            if msg.type != aiohttp.WSMsgType.TEXT:
                raise RuntimeError(f"connect: got {msg.type}")
            if msg.data == "2":
                await ws.send_str("3")
                continue
            if msg.data.startswith("40"):
                return ws
            raise RuntimeError(f"connect refused: {msg.data!r}")
    except BaseException:
        await ws.close()
        raise


async def read_loop(ws, on_fanout) -> None:
    """Answers heartbeats and hands each `fanout` event (seq, receive time) to on_fanout."""
    async for msg in ws:
        if msg.type != aiohttp.WSMsgType.TEXT:
            break
        data = msg.data
        if data.startswith("42"):
            received = time.perf_counter()
            event = json.loads(data[2:])
            if event and event[0] == "fanout":
                on_fanout(event[1]["seq"], received)
        elif data == "2":
            await ws.send_str("3")
        elif data == "1" or data.startswith("41"):
            break


async def connect_all(session, url, headers, count, concurrency):
    """Opens `count` sockets, at most `concurrency` handshakes at a time. Returns (sockets, errors)."""
    gate = asyncio.Semaphore(concurrency)
    errors = []

    async def one():
        async with gate:
            try:
                return await open_socket(session, url, headers)
            except Exception as error:  # counted and reported, the run goes on
                errors.append(repr(error))
                return None

    sockets = await asyncio.gather(*(one() for _ in range(count)))
    return [s for s in sockets if s is not None], errors


async def worker(index, url, headers, count, concurrency, to_parent, from_parent):
    raise_fd_limit()
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        sockets, errors = await connect_all(session, url, headers, count, concurrency)
        pending = {}

        def on_fanout(seq, received):
            times = pending.setdefault(seq, [])
            times.append(received)
            if len(times) == len(sockets):
                to_parent.put(("done", index, seq, pending.pop(seq)))

        readers = [asyncio.create_task(read_loop(ws, on_fanout)) for ws in sockets]
        to_parent.put(("connected", index, len(sockets), errors[:3], len(errors)))
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, from_parent.get)  # "stop"
        to_parent.put(("partial", index, pending))
        for ws in sockets:
            await ws.close()
        for task in readers:
            task.cancel()
        await asyncio.gather(*readers, return_exceptions=True)


def worker_main(*args) -> None:
    asyncio.run(worker(*args))


def percentile(sorted_values, fraction):
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


def next_message(results, deadline):
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise queue.Empty
    return results.get(timeout=remaining)


async def drive(args) -> int:
    raise_fd_limit()
    url = websocket_url(args.url)
    headers = {"Cookie": args.cookie} if args.cookie else {}
    results = mp.Queue()
    stops = [mp.Queue() for _ in range(args.processes)]
    shares = [args.clients // args.processes + (1 if i < args.clients % args.processes else 0)
              for i in range(args.processes)]
    workers = [mp.Process(target=worker_main, daemon=True,
                          args=(i, url, headers, shares[i], args.connect_concurrency,
                                results, stops[i]))
               for i in range(args.processes)]
    started = time.perf_counter()
    for process in workers:
        process.start()
    loop = asyncio.get_running_loop()
    latencies, completions = [], []
    late = {}  # measured seq that timed out -> deliveries confirmed so far
    try:
        connected, connect_errors = 0, 0
        deadline = time.monotonic() + args.connect_timeout
        for _ in workers:
            message = await loop.run_in_executor(None, next_message, results, deadline)
            _, index, ok, samples, failed = message
            connected += ok
            connect_errors += failed
            for sample in samples:
                print(f"# worker {index} connect error: {sample}", file=sys.stderr)
        connect_seconds = time.perf_counter() - started
        print(f"# {connected} clients connected in {connect_seconds:.1f} s "
              f"({connect_errors} failed)", file=sys.stderr)

        async with aiohttp.ClientSession() as session:
            control = await open_socket(session, url, headers)
            control_reader = asyncio.create_task(read_loop(control, lambda seq, t: None))
            await asyncio.sleep(args.settle)
            pad = "x" * args.pad_bytes
            active = [i for i in range(args.processes) if shares[i] > 0]
            for seq in range(args.warmup + args.broadcasts):
                emitted = time.perf_counter()
                packet = "42" + json.dumps(["fanout", {"seq": seq, "pad": pad}],
                                           separators=(",", ":"))
                await control.send_str(packet)
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
            control_reader.cancel()
            await control.close()
    finally:
        for stop in stops:
            stop.put("stop")
        drain_until = time.monotonic() + 15
        partials = 0
        while partials < len(workers):
            try:
                message = next_message(results, drain_until)
            except queue.Empty:
                break
            if message[0] == "partial":
                partials += 1
                for seq, times in message[2].items():
                    if seq in late:
                        late[seq] += len(times)
            elif message[0] == "done" and message[2] in late:
                late[message[2]] += len(message[3])
        for process in workers:
            process.join(timeout=15)
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
    parser.add_argument("--connect-concurrency", type=int, default=50)
    parser.add_argument("--connect-timeout", type=float, default=120)
    parser.add_argument("--timeout", type=float, default=10, help="seconds per broadcast")
    parser.add_argument("--settle", type=float, default=1.0)
    args = parser.parse_args()
    sys.exit(asyncio.run(drive(args)))


if __name__ == "__main__":
    main()
