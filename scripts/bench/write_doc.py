#!/usr/bin/env python3
"""Writes Docs/PERFORMANCE.md from the results file of scripts/bench.sh and prints a summary.

The results file has one `key<TAB>value` record a line; a key may repeat (one record per round).
Keys: meta.* (machine, versions, settings), <scenario>.status / .note, <scenario>.<subject>.<metric>
(one value per round) and <scenario>.<subject>.reason (why that subject could not be measured).
Only what was measured is written: a missing subject is listed with its reason, never a number.

Usage: write_doc.py RESULTS_FILE OUTPUT_MARKDOWN
"""
import collections
import statistics
import sys


def load(path):
    records = collections.defaultdict(list)
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if "\t" in line:
                key, value = line.split("\t", 1)
                records[key].append(value)
    return records


def to_ms(text):
    """wrk latency text (`812.00us`, `2.31ms`, `1.02s`) in milliseconds."""
    for suffix, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if text.endswith(suffix):
            return float(text[: -len(suffix)]) * factor
    return float(text)


class Report:
    def __init__(self, records):
        self.r = records
        self.lines = []
        self.summary = []
        self.efficiency = {}  # scenario -> subject -> requests per server CPU-second

    def one(self, key, default="unknown"):
        values = self.r.get(key)
        return values[-1] if values else default

    def numbers(self, key, convert=float):
        out = []
        for value in self.r.get(key, []):
            try:
                out.append(convert(value))
            except ValueError:
                pass
        return out

    def median(self, key, convert=float):
        values = self.numbers(key, convert)
        return statistics.median(values) if values else None

    def busy_warning(self):
        """A warning line when the load average exceeded the number of cores during the run."""
        try:
            cores = int(self.one("meta.nproc", "0"))
            loads = [float(self.one(k, "load 0").split()[1].rstrip(","))
                     for k in ("meta.load_start", "meta.load_end")]
        except (ValueError, IndexError):
            return []
        if not cores or max(loads) <= cores:
            return []
        return [f"- **Busy machine**: the load average was {max(loads):.1f} on {cores} cores (other "
                "processes competed for the CPU), so every server got less CPU than it would alone "
                "and absolute "
                "figures are low and noisy. Ratios within this run, and the per-server-CPU-second "
                "figures, are the more telling numbers; run `make bench` on an idle machine for "
                "absolute ones."]

    def per_cpu(self, scenario, subject):
        """Median over rounds of requests / server CPU seconds during the measured run."""
        requests = self.r.get(f"{scenario}.{subject}.requests", [])
        cpu = self.r.get(f"{scenario}.{subject}.cpu_s", [])
        values = []
        for n, c in zip(requests, cpu):
            try:
                if float(c) > 0:
                    values.append(float(n) / float(c))
            except ValueError:
                pass
        return statistics.median(values) if values else None

    def reason(self, scenario, subject):
        return self.one(f"{scenario}.{subject}.reason", "not measured")

    def add(self, *lines):
        self.lines.extend(lines)

    def throughput_table(self, scenario, unit, subjects, metric="rps", latency=True):
        """A table of medians per subject (with every round), or the reason it is missing."""
        header = f"| subject | median {unit} | rounds ({unit}) |"
        rule = "|---|---:|---|"
        if latency:
            header += " median p50 | median p99 | requests per server CPU-second |"
            rule += "---:|---:|---:|"
        self.add(header, rule)
        medians = {}
        for subject, label in subjects:
            rounds = self.numbers(f"{scenario}.{subject}.{metric}")
            if not rounds:
                cells = f"| {label} | not measured | {self.reason(scenario, subject)} |"
                if latency:
                    cells += " | | |"
                self.add(cells)
                continue
            medians[subject] = statistics.median(rounds)
            cells = (f"| {label} | {medians[subject]:,.0f} | "
                     f"{', '.join(f'{v:,.0f}' for v in rounds)} |")
            if latency:
                p50 = self.median(f"{scenario}.{subject}.p50", to_ms)
                p99 = self.median(f"{scenario}.{subject}.p99", to_ms)
                cells += (f" {p50:.2f} ms |" if p50 is not None else " |")
                cells += (f" {p99:.2f} ms |" if p99 is not None else " |")
                per_cpu = self.per_cpu(scenario, subject)
                if per_cpu is not None:
                    self.efficiency.setdefault(scenario, {})[subject] = per_cpu
                cells += (f" {per_cpu:,.0f} |" if per_cpu is not None else " |")
            self.add(cells)
        self.add("")
        return medians

    def ratio_lines(self, scenario, medians, pairs):
        """Ratio lines `a / b = x (target ≥ t): met|missed`, or why the ratio is missing."""
        if not pairs:
            return
        self.add("| ratio | value | target | verdict |", "|---|---:|---:|---|")
        for a, b, label, target in pairs:
            if a in medians and b in medians and medians[b] > 0:
                value = medians[a] / medians[b]
                verdict = "met" if value >= target else "missed"
                self.add(f"| {label} | {value:.2f}× | ≥ {target}× | {verdict} |")
                self.summary.append(f"{scenario}: {label} = {value:.2f}x (target >= {target}x, {verdict})")
            else:
                missing = [s for s in (a, b) if s not in medians]
                why = "; ".join(f"{s}: {self.reason(scenario, s)}" for s in missing)
                self.add(f"| {label} | not measured | ≥ {target}× | {why} |")
                self.summary.append(f"{scenario}: {label} not measured ({why})")
        efficiency = self.efficiency.get(scenario, {})
        for a, b, label, _ in pairs:
            if a in efficiency and b in efficiency and efficiency[b] > 0:
                value = efficiency[a] / efficiency[b]
                self.add(f"| {label}, requests per server CPU-second | {value:.2f}× | – | informational |")
                self.summary.append(f"{scenario}: {label} per server CPU-second = {value:.2f}x")
        self.add("")

    def selected(self, scenario):
        """False (and says so in the document) when the run did not include this scenario."""
        if scenario in self.one("meta.only", "").split():
            return True
        self.add(f"Not run: this run did not select it (BENCH_ONLY=\"{self.one('meta.only', '')}\").", "")
        self.summary.append(f"{scenario}: not run (not selected)")
        return False

    def notes(self, scenario):
        for note in self.r.get(f"{scenario}.note", []):
            self.add(f"- {note}")
        if self.r.get(f"{scenario}.note"):
            self.add("")

    def build(self):
        m = lambda key: self.one("meta." + key)
        self.add(
            "# SESIOR performance",
            "",
            "Generated by `make bench` (scripts/bench.sh); do not edit by hand. Every figure below was",
            "measured in the same run on the machine described here; ratios compare medians of that run.",
            "A scenario or subject that could not run is listed with the reason, never with a number.",
            "",
            "## Run",
            "",
            f"- Date: {m('date')}",
            f"- Machine: {m('nproc')} cores, {m('cpu')}, {m('memory')}, {m('kernel')}",
            f"- Load: {m('load_start')} at start; {m('load_end')} at the end",
            *self.busy_warning(),
            f"- sesior: commit {m('commit')}, Swift {m('swift')}, built with `swift build -c release`, "
            + (f"started as `sesior {m('sesior_args')}`" if m("sesior_args") != "unknown"
               else "not started in this run"),
            f"- Peers: Node {m('node')} with Express {m('express')} (Debian node-express), "
            f"node-redis {m('node_redis')}, node-cookie-signature {m('cookie_signature')}; "
            f"Hummingbird {m('hummingbird')} (release build); python-socketio {m('python_socketio')}, "
            f"python-engineio {m('python_engineio')}, aiohttp {m('aiohttp')} on Python {m('python')}; "
            f"{m('redis')}; {m('wrk')}",
            "",
            "## Method",
            "",
            f"- Loopback only (127.0.0.1). Every server is started by the script on a free port and "
            f"stopped by it at the end (also on Ctrl-C or failure).",
            f"- HTTP scenarios: the same wrk settings for every subject: `wrk -t{m('threads')} "
            f"-c{m('connections')} -d{m('duration')}s --latency`, each run preceded by a "
            f"{m('warmup')} s warm-up run of wrk that is not counted. Subjects are measured in "
            f"alternation (round 1: A B C, round 2: B C A, …), {m('rounds')} rounds; the table gives "
            f"the median of the rounds. A run with any non-2xx answer is discarded.",
            f"- CPU: the machine has {m('nproc')} cores and wrk runs on the same machine, so client and "
            f"server compete for them. {m('pinning')}",
            "- Server CPU: the CPU time (user + system, all threads, from /proc/PID/stat) each "
            "server used during its measured run gives *requests per server CPU-second*, a figure "
            "that depends less on what else ran on the machine than requests/s does.",
            "- Servers: sesior and Hummingbird use their default event-loop thread count (one per "
            "core); the Express apps are single Node processes, as usually deployed without a cluster.",
            "",
        )
        self.add("## Plain route: `GET /health` → `{\"status\":\"ok\"}`", "")
        if self.selected("plain"):
            self.plain()
        self.add("## Plain route with metrics on and off", "")
        if self.selected("metrics"):
            self.metrics()
        self.add("## Session route: `GET /verify-session` with a Redis-backed session", "")
        if self.selected("session"):
            self.session()
        self.add("## Plain and session routes over TLS (https)", "")
        if self.selected("tls"):
            self.tls()
        self.add("## Redis session reads", "")
        if self.selected("redis"):
            self.redis()
        self.add("## HTTP parser throughput", "")
        if self.selected("parser"):
            self.parser()
        self.add("## JSON codecs: session and Socket.IO packets", "")
        if self.selected("codec"):
            self.codec()
        self.add("## WebSocket frame codec / echo", "")
        if self.selected("websocket"):
            self.websocket()
        self.add("## Socket.IO broadcast fan-out", "")
        if self.selected("fanout"):
            self.fanout()
        self.add("## Socket.IO fan-out across instances (Redis adapter)", "")
        if self.selected("cluster"):
            self.cluster()
        self.add("## Resident memory per idle Socket.IO connection", "")
        if self.selected("memory"):
            self.memory()
        return "\n".join(self.lines).rstrip() + "\n"

    def plain(self):
        m = lambda key: self.one("meta." + key)
        self.notes("plain")
        medians = self.throughput_table("plain", "requests/s", [
            ("sesior", "sesior"), ("express", "Express hello-world"),
            ("hummingbird", f"Hummingbird {m('hummingbird')} hello-world")])
        rss = [(s, self.one(f"plain.{s}.rss_kib", "")) for s in ("sesior", "express", "hummingbird")]
        rss = [f"{s} {int(v) / 1024:.1f} MiB" for s, v in rss if v]
        if rss:
            self.add(f"Resident memory after the runs: {', '.join(rss)}.", "")
        self.ratio_lines("plain", medians, [
            ("sesior", "express", "sesior / Express", 4),
            ("sesior", "hummingbird", "sesior / Hummingbird", 1.1)])

    def metrics(self):
        self.notes("metrics")
        medians = self.throughput_table("metrics", "requests/s", [
            ("on", "sesior, metrics on (default)"), ("off", "sesior --no-metrics")])
        self.ratio_lines("metrics", medians, [("on", "off", "metrics on / off (cost ≤ 3%)", 0.97)])

    def session(self):
        self.notes("session")
        medians = self.throughput_table("session", "requests/s", [
            ("sesior", "sesior"), ("express", "Express stand-in (cookie-signature + node-redis)")])
        self.ratio_lines("session", medians, [("sesior", "express", "sesior / Express stand-in", 5)])

    def tls(self):
        self.notes("tls_plain")
        self.add("`GET /health` over https:", "")
        medians = self.throughput_table("tls_plain", "requests/s", [
            ("sesior", "sesior --tls-cert/--tls-key"), ("express", "Express hello-world on Node's https")])
        self.ratio_lines("tls_plain", medians, [("sesior", "express", "sesior / Express over TLS", 1)])
        self.add("`GET /verify-session` with a Redis session over https:", "")
        medians = self.throughput_table("tls_session", "requests/s", [
            ("sesior", "sesior --tls-cert/--tls-key"), ("express", "Express stand-in on Node's https")])
        self.ratio_lines("tls_session", medians, [("sesior", "express", "sesior / Express stand-in over TLS", 1)])

    def redis(self):
        self.notes("redis")
        medians = self.throughput_table("redis", "reads/s", [
            ("sesior", "RedisSessionBenchmark (RedisSessionStore)"),
            ("redis_benchmark", "redis-benchmark -t get")], latency=False)
        self.ratio_lines("redis", medians, [
            ("sesior", "redis_benchmark", "RedisSessionStore / redis-benchmark", 0.5)])

    def parser(self):
        self.notes("parser")
        medians = self.throughput_table("parser", "MB/s", [("sesior", "HTTPParserBenchmark")],
                                        metric="mbps", latency=False)
        if "sesior" in medians:
            verdict = "met" if medians["sesior"] >= 1000 else "missed"
            self.add(f"Target ≥ 1000 MB/s on one core: {verdict}.", "")
            self.summary.append(f"parser: {medians['sesior']:,.0f} MB/s (target >= 1000, {verdict})")
        else:
            self.summary.append(f"parser: not measured ({self.reason('parser', 'sesior')})")

    # Cases that must be no slower than on the base commit (#17: one JSON for every layer).
    CODEC_TARGETS = ("session.decode.bytes", "session.decode.string", "session.encode",
                     "socketio.decode.rename", "socketio.decode.chat", "socketio.decode.room-state")

    def codec(self):
        self.notes("codec")
        runs = {}
        for subject in ("base", "sesior"):
            for entry in self.r.get(f"codec.{subject}.case", []):
                name, _, value = entry.partition(" ")
                try:
                    runs.setdefault(name, {}).setdefault(subject, []).append(float(value))
                except ValueError:
                    pass
        if not runs:
            why = self.reason("codec", "sesior")
            self.add(f"Not measured: {why}.", "")
            self.summary.append(f"codec: FAILED ({why})")
            return
        has_base = any("base" in subjects for subjects in runs.values())
        self.add("| case | base ns/op | sesior ns/op | sesior / base | target |", "|---|---:|---:|---:|---|")
        missed = []
        for name, subjects in runs.items():
            new = statistics.median(subjects["sesior"]) if "sesior" in subjects else None
            old = statistics.median(subjects["base"]) if "base" in subjects else None
            ratio = new / old if new and old else None
            target = "≤ 1.00× (no slower)" if name in self.CODEC_TARGETS else "informational"
            if name in self.CODEC_TARGETS and (ratio is None or ratio > 1.0):
                missed.append(name)
            cell = lambda value: f"{value:,.0f}" if value else "not measured"
            self.add(f"| {name} | {cell(old)} | {cell(new)} | {f'{ratio:.2f}×' if ratio else '–'} | {target} |")
        self.add("")
        if not has_base:
            why = self.reason("codec", "base")
            self.add(f"Base not measured: {why}.", "")
            self.summary.append(f"codec: base not measured ({why})")
        elif missed:
            self.add(f"No slower than the base: missed for {', '.join(missed)}.", "")
            self.summary.append(f"codec: slower than base for {', '.join(missed)} (target <= 1.00x, missed)")
        else:
            self.add("No slower than the base for every session and Socket.IO decode case: met.", "")
            self.summary.append("codec: session decode/encode and Socket.IO decode no slower than base (met)")
        if self.r.get("codec.sesior.reason"):
            self.add(f"sesior run failed: {self.reason('codec', 'sesior')}.", "")
            self.summary.append(f"codec: FAILED ({self.reason('codec', 'sesior')})")

    def websocket(self):
        self.notes("websocket")
        lines = self.r.get("websocket.sesior.line", [])
        if lines:
            self.add("| metric | value |", "|---|---:|")
            figures = {}
            for line in lines:
                key, _, value = line.partition("=")
                figures[key] = value
                self.add(f"| {key} | {value} |")
            self.add("")
            targets = (("ratio_text64", 1.5), ("ratio_binary16k", 1.5), ("ratio_deflate16k", 1.0))
            self.add("| ratio (sesior / Node ws, messages/s) | value | target | verdict |", "|---|---:|---:|---|")
            for key, target in targets:
                if key in figures:
                    value = float(figures[key])
                    verdict = "met" if value >= target else "missed"
                    self.add(f"| {key} | {value:.2f}× | ≥ {target}× | {verdict} |")
                    self.summary.append(f"websocket: {key} = {value:.2f}x (target >= {target}x, {verdict})")
                else:
                    self.add(f"| {key} | not measured | ≥ {target}× | missed |")
                    self.summary.append(f"websocket: {key} not measured (target >= {target}x, missed)")
            self.add("")
        if "websocket.sesior.reason" in self.r:
            self.add(f"Not measured: {self.reason('websocket', 'sesior')}.", "")
            self.summary.append(f"websocket: FAILED ({self.reason('websocket', 'sesior')})")

    def fanout(self):
        m = lambda key: self.one("meta." + key)
        self.notes("fanout")
        self.add("| subject | rounds | clients | broadcasts | deliveries/s (median) | deliveries/s (rounds) "
                 "| p50 delivery | p99 delivery | all-clients p50 | lost | server CPU per delivery "
                 "| client CPU per delivery |",
                 "|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|")
        medians = self.fanout_rows("fanout", (("sesior", "sesior (SocketIOFanoutServer)"),
                                              ("python", f"python-socketio {m('python_socketio')}"),
                                              ("nodews", f"Node ws {m('node_ws')} (raw frames)")),
                                   ("clients", "broadcasts", "msgs", "p50", "p99", "complete", "lost", "server_cpu",
                                    "client_cpu"))
        self.ratio_lines("fanout", medians, [("sesior", "python", "sesior / python-socketio", 5),
                                             ("sesior", "nodews", "sesior / raw Node ws", 1)])
        cpu = {s: self.median(f"fanout.{s}.fanout_server_cpu_us_per_delivery") for s in ("sesior", "python", "nodews")}
        if cpu["sesior"] and cpu["python"]:
            value = cpu["python"] / cpu["sesior"]
            self.add(f"Server CPU per delivery, python-socketio / sesior: {value:.2f}× (informational).", "")
            self.summary.append(f"fanout: server CPU per delivery python-socketio / sesior = {value:.2f}x")
        if cpu["sesior"] and cpu["nodews"]:
            value = cpu["sesior"] / cpu["nodews"]
            verdict = "met" if value <= 1 else "missed"
            self.add(f"Server CPU per delivery, sesior / raw Node ws: {value:.2f}× (target ≤ 1×: {verdict}).", "")
            self.summary.append(f"fanout: server CPU per delivery sesior / raw Node ws = {value:.2f}x (target <= 1x, {verdict})")
        else:
            missing = [s for s in ("sesior", "nodews") if not cpu[s]]
            self.add(f"Server CPU per delivery, sesior / raw Node ws: not measured ({', '.join(missing)}).", "")
            self.summary.append("fanout: server CPU per delivery sesior / raw Node ws not measured (missed)")
        loops = {self.one(f"fanout.{s}.fanout_client_loop", "") for s in ("sesior", "python", "nodews")} - {""}
        if loops:
            self.add(f"Client event loop: {', '.join(sorted(loops))}.", "")

    def fanout_rows(self, scenario, subjects, columns):
        """The rows of a fan-out table, one per subject (or the reason it is missing); returns the
        median deliveries/s per measured subject."""
        medians = {}
        for subject, label in subjects:
            key = f"{scenario}.{subject}."
            rounds = self.numbers(key + "fanout_msgs_per_s")
            if not rounds:
                self.add(f"| {label} | not measured: {self.reason(scenario, subject)} |" + " |" * (len(columns) + 1))
                self.summary.append(f"{scenario}: {subject} not measured ({self.reason(scenario, subject)})")
                continue
            medians[subject] = statistics.median(rounds)
            self.add(self.fanout_row(key, label, rounds, columns))
            p50, p99 = self.median(key + "fanout_p50_ms"), self.median(key + "fanout_p99_ms")
            self.summary.append(f"{scenario}: {subject} {medians[subject]:,.0f} deliveries/s, p50 {p50} ms, p99 {p99} ms")
        self.add("")
        return medians

    def fanout_row(self, key, label, rounds, columns):
        """One table row of a fan-out client's figures (medians over rounds, lost summed)."""
        med = lambda name, fmt="{:.2f}": (fmt.format(self.median(key + name))
                                          if self.median(key + name) is not None else "?")
        cells = {
            "clients": self.one(key + "fanout_clients"),
            "broadcasts": self.one(key + "fanout_broadcasts"),
            "msgs": f"{statistics.median(rounds):,.0f} | {', '.join(f'{v:,.0f}' for v in rounds)}",
            "p50": f"{med('fanout_p50_ms')} ms",
            "p99": f"{med('fanout_p99_ms')} ms",
            "complete": f"{med('fanout_complete_p50_ms')} ms",
            "lost": str(sum(self.numbers(key + "fanout_lost", int))),
            "server_cpu": f"{med('fanout_server_cpu_us_per_delivery', '{:.1f}')} µs",
            "client_cpu": f"{med('fanout_client_cpu_us_per_delivery', '{:.1f}')} µs",
        }
        return f"| {label} | {len(rounds)} | " + " | ".join(cells[c] for c in columns) + " |"

    def cluster(self):
        self.notes("cluster")
        self.add("| subject | rounds | clients | deliveries/s (median) | deliveries/s (rounds) | p50 delivery "
                 "| p99 delivery | lost | server CPU per delivery |",
                 "|---|---:|---:|---:|---|---:|---:|---:|---:|")
        medians = self.fanout_rows("cluster", (("single", "one instance, in-memory adapter"),
                                               ("redis1", "one instance, Redis adapter"),
                                               ("redis2", "two instances, Redis adapter, clients split")),
                                   ("clients", "msgs", "p50", "p99", "lost", "server_cpu"))
        self.add("| ratio | value | target | verdict |", "|---|---:|---:|---|")
        for a, b, label in (("redis2", "single", "two instances (Redis) / one instance (in memory)"),
                            ("redis1", "single", "one instance: Redis adapter / in memory"),
                            ("redis2", "redis1", "two instances / one instance, both on Redis")):
            if a in medians and b in medians and medians[b] > 0:
                value = medians[a] / medians[b]
                self.add(f"| {label}, deliveries/s | {value:.2f}× | – | noted (the issue asks for the ratio) |")
                self.summary.append(f"cluster: {label} = {value:.2f}x")
            else:
                self.add(f"| {label}, deliveries/s | not measured | – | missed |")
                self.summary.append(f"cluster: {label} not measured")
        cpu = {s: self.median(f"cluster.{s}.fanout_server_cpu_us_per_delivery") for s in ("single", "redis1", "redis2")}
        if cpu["single"] and cpu["redis2"]:
            self.add(f"| two instances / one instance, server CPU per delivery | {cpu['redis2'] / cpu['single']:.2f}× | – | informational |")
        self.add("")

    def memory(self):
        m = lambda key: self.one("meta." + key)
        self.notes("memory")
        self.add("| subject | idle connections | RSS before | RSS after | KiB per connection | connect time |",
                 "|---|---:|---:|---:|---:|---:|")
        per = {}
        for subject, label in (("sesior", "sesior (SocketIOFanoutServer)"),
                               ("python", f"python-socketio {m('python_socketio')}")):
            key = f"memory.{subject}."
            value = self.median(key + "memory_kib_per_connection")
            if value is None:
                self.add(f"| {label} | not measured: {self.reason('memory', subject)} | | | | |")
                self.summary.append(f"memory: {subject} not measured ({self.reason('memory', subject)})")
                continue
            per[subject] = value
            g = lambda name: self.one(key + name)
            self.add(f"| {label} | {g('memory_clients')} | {int(g('memory_rss_before_kib')) / 1024:.1f} MiB | "
                     f"{int(g('memory_rss_after_kib')) / 1024:.1f} MiB | {value:.2f} | "
                     f"{g('memory_connect_s')} s |")
        self.add("")
        if "sesior" in per:
            verdict = "met" if per["sesior"] <= 8 else "missed"
            self.add(f"Target ≤ 8 KiB per idle connection (sesior): {per['sesior']:.2f} KiB, {verdict}.", "")
            self.summary.append(f"memory: sesior {per['sesior']:.2f} KiB per idle connection (target <= 8, {verdict})")
        if "python" in per:
            self.summary.append(f"memory: python-socketio {per['python']:.2f} KiB per idle connection")
        if "sesior" in per and "python" in per and per["sesior"] > 0:
            self.add(f"python-socketio / sesior, memory per idle connection: "
                     f"{per['python'] / per['sesior']:.2f}× (informational).", "")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    report = Report(load(sys.argv[1]))
    text = report.build()
    with open(sys.argv[2], "w", encoding="utf-8") as handle:
        handle.write(text)
    print("Summary:")
    for line in report.summary:
        print("  " + line)


if __name__ == "__main__":
    main()
