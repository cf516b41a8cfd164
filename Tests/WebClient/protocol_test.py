#!/usr/bin/env python3
"""socketio-client.js against python-socketio (the reference server), in headless Chromium.

    python3 Tests/WebClient/protocol_test.py [--conformance-url http://127.0.0.1:3000]

Connect with auth, acks both ways, events, buffering before connect, CONNECT_ERROR with data and no
automatic reconnection, server and client disconnects, the heartbeat (the client answers the
server's pings; it notices a silent server), the connect timeout, HTTP long-polling and the fallback to it, and
reconnection after the server restarts.
"""

import argparse
import json
import sys
import time
import urllib.request

from cdp import Browser
from harness import HERE, Runner, Server, expect, free_port, python

# Helpers defined in every page: the module, and `once(socket, event, ms)` → Promise of the args.
PRELUDE = """(async () => {
  window.sio = await import('./socketio-client.js');
  window.once = (socket, event, ms = 5000) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no ' + event + ' within ' + ms + ' ms')), ms);
    socket.once(event, (...args) => { clearTimeout(timer); resolve(args); });
  });
  window.sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  window.log = [];
  return true; })()"""


def reference(name, *extra):
    port = free_port()
    return Server([python(), str(HERE / "reference_server.py"), "--port", str(port), *extra], port,
                  ready_path="/state", name=name)


def server_state(server):
    return json.loads(urllib.request.urlopen(server.url + "/state", timeout=5).read())


class Suite:
    def __init__(self, browser, main, fast, polling_only, silent):
        self.main, self.fast, self.polling_only, self.silent = main, fast, polling_only, silent
        self.pages = {}
        for server in (main, fast, polling_only):
            page = browser.new_page()
            page.goto(server.url + "/")
            page.eval(PRELUDE)
            self.pages[server.name] = page

    def js(self, server, body, timeout=30):
        return self.pages[server.name].eval(f"(async () => {{ {body} }})()", timeout)

    def websocket_connect_with_auth(self):
        r = self.js(self.main, """
            const s = sio.io('', { auth: { token: 'ok', n: 1 } });
            const [auth] = await once(s, 'auth');
            const result = { id: s.id, connected: s.connected, transport: s.engine.transport.name, auth };
            s.disconnect();
            return result;""")
        expect(r["connected"] and isinstance(r["id"], str) and r["id"], f"connected with an id: {r}")
        expect(r["transport"] == "websocket", f"transport {r['transport']}")
        expect(r["auth"] == {"token": "ok", "n": 1}, f"server saw auth {r['auth']}")

    def ack_round_trip(self):
        args = ["text", "ünïcødé ✓ 🚀 \"quoted\" \\ \u2028", 42, -3.5, None, True, {"nested": {"a": [1, 2]}}, [1, "x"], ""]
        r = self.js(self.main, f"""
            const s = sio.io('');
            await once(s, 'connect');
            const reply = await new Promise((resolve) => s.emit('echo', ...{json.dumps(args)}, (...a) => resolve(a)));
            const single = await s.emitWithAck('echo', 'one');
            s.disconnect();
            return {{ reply, single }};""")
        expect(r["reply"] == args, f"echo ack {r['reply']!r}")
        expect(r["single"] == ["one"], f"emitWithAck {r['single']!r}")

    def many_acks_match_their_ids(self):
        r = self.js(self.main, """
            const s = sio.io('');
            await once(s, 'connect');
            const replies = await Promise.all([...Array(50).keys()].map((i) => s.emitWithAck('echo', i)));
            s.disconnect();
            return replies;""")
        expect(r == [[i] for i in range(50)], f"50 concurrent acks {r}")

    def events_both_ways_and_server_ack_request(self):
        r = self.js(self.main, """
            const s = sio.io('');
            s.on('question', (q, ack) => ack('re: ' + q));
            await once(s, 'connect');
            s.emit('message', 1, 'two', { three: 3 });
            const [back] = await once(s, 'message-back');
            s.emit('ask', 'why?');
            const [answer] = await once(s, 'answer');
            s.disconnect();
            return { back, answer };""")
        expect(r["back"] == [1, "two", {"three": 3}], f"message-back {r['back']}")
        expect(r["answer"] == "re: why?", f"server's ack request answered: {r['answer']}")

    def emits_before_connect_are_buffered(self):
        r = self.js(self.main, """
            const s = sio.io('');
            const reply = new Promise((resolve) => s.emit('echo', 'early', (a) => resolve(a)));
            const result = await reply;
            s.disconnect();
            return result;""")
        expect(r == "early", f"buffered emit acked with {r!r}")

    def refused_connection_reports_message_and_data(self):
        r = self.js(self.main, """
            const s = sio.io('', { auth: { token: 'bad' }, reconnectionDelay: 100 });
            let attempts = 0, connects = 0;
            s.on('reconnect_attempt', () => attempts++);
            s.on('connect', () => connects++);
            const [err] = await once(s, 'connect_error');
            await sleep(1000);
            return { message: err.message, data: err.data, attempts, connects, connected: s.connected };""")
        expect(r["message"] == "Not authorized", f"message {r['message']!r}")
        expect(r["data"] == {"code": 4001}, f"data {r['data']!r}")
        expect(r["attempts"] == 0 and r["connects"] == 0 and not r["connected"], f"no reconnection after a refusal: {r}")

    def server_disconnect_is_final(self):
        r = self.js(self.main, """
            const s = sio.io('', { reconnectionDelay: 100 });
            await once(s, 'connect');
            let attempts = 0;
            s.on('reconnect_attempt', () => attempts++);
            s.emit('kick');
            const [reason] = await once(s, 'disconnect');
            await sleep(800);
            return { reason, attempts, connected: s.connected };""")
        expect(r == {"reason": "io server disconnect", "attempts": 0, "connected": False}, f"{r}")

    def client_disconnect_tells_the_server(self):
        sid = self.js(self.main, """
            window.leaving = sio.io('');
            await once(leaving, 'connect');
            return leaving.id;""")
        expect(sid in server_state(self.main)["connected"], "server lists the socket")
        reason = self.js(self.main, """
            const reasons = [];
            leaving.on('disconnect', (r) => reasons.push(r));
            leaving.disconnect();
            return reasons[0];""")
        expect(reason == "io client disconnect", f"local reason {reason!r}")
        deadline = time.monotonic() + 5
        while sid in server_state(self.main)["connected"] and time.monotonic() < deadline:
            time.sleep(0.05)
        state = server_state(self.main)
        expect(sid not in state["connected"], "server dropped the socket")
        expect(state["left"] == "client disconnect", f"server saw a DISCONNECT packet, not {state['left']!r}")

    def heartbeat_keeps_the_connection(self):
        # The fast server pings every second and drops a client that has not answered within a second.
        r = self.js(self.fast, """
            const s = sio.io('');
            await once(s, 'connect');
            const id = s.id;
            const events = [];
            s.on('disconnect', (r) => events.push(r));
            await sleep(3500);
            const [echo] = await s.emitWithAck('echo', 'still here');
            const result = { same: s.id === id, connected: s.connected, events: [...events], echo,
                             pingInterval: s.engine.handshake.pingInterval };
            s.disconnect();
            return result;""")
        expect(r["pingInterval"] == 1000, f"handshake pingInterval {r['pingInterval']}")
        expect(r["same"] and r["connected"] and r["events"] == [] and r["echo"] == "still here", f"{r}")

    def polling_transport(self):
        r = self.js(self.main, """
            const s = sio.io('', { transports: ['polling'], auth: { via: 'polling' } });
            s.on('question', (q, ack) => ack(q + '!'));
            const [auth] = await once(s, 'auth');
            const transport = s.engine.transport.name;
            const reply = await s.emitWithAck('echo', 'über', 7, { k: [1] });
            s.emit('ask', 'polled');
            const [answer] = await once(s, 'answer');
            window.pollingId = s.id;
            s.disconnect();
            return { transport, auth, reply, answer };""")
        expect(r["transport"] == "polling", f"transport {r['transport']}")
        expect(r["auth"] == {"via": "polling"} and r["reply"] == ["über", 7, {"k": [1]}] and r["answer"] == "polled!", f"{r}")
        time.sleep(0.5)
        expect(server_state(self.main)["left"] == "client disconnect", "polling client disconnect reached the server")

    def polling_heartbeat(self):
        r = self.js(self.fast, """
            const s = sio.io('', { transports: ['polling'] });
            await once(s, 'connect');
            const events = [];
            s.on('disconnect', (r) => events.push(r));
            await sleep(3500);
            const [echo] = await s.emitWithAck('echo', 'polling alive');
            const result = { connected: s.connected, events: [...events], echo };
            s.disconnect();
            return result;""")
        expect(r == {"connected": True, "events": [], "echo": "polling alive"}, f"{r}")

    def falls_back_to_polling_when_websocket_fails(self):
        r = self.js(self.polling_only, """
            const s = sio.io('', { transports: ['websocket', 'polling'] });
            const errors = [];
            s.on('connect_error', (e) => errors.push(e.message));
            await once(s, 'connect');
            const transport = s.engine.transport.name;
            const [echo] = await s.emitWithAck('echo', 'fallback');
            s.disconnect();
            return { transport, echo, errors };""")
        expect(r == {"transport": "polling", "echo": "fallback", "errors": []}, f"{r}")

    def notices_a_silent_server(self):
        self.js(self.fast, """
            window.quiet = sio.io('', { reconnectionDelay: 200, reconnectionDelayMax: 400 });
            window.quietLog = [];
            quiet.on('connect', () => quietLog.push('connect:' + quiet.id));
            quiet.on('disconnect', (r) => quietLog.push('disconnect:' + r));
            await once(quiet, 'connect');
            return true;""")
        self.fast.pause()
        try:
            started = time.monotonic()
            page = self.pages[self.fast.name]
            page.wait_for("quietLog.includes('disconnect:ping timeout')", "a ping timeout", timeout=5)
            elapsed = time.monotonic() - started
        finally:
            self.fast.resume()
        expect(elapsed < 4, f"ping timeout noticed after {elapsed:.1f}s (interval + timeout = 2s)")
        page.wait_for("quietLog.filter((e) => e.startsWith('connect:')).length === 2", "reconnection after the server wakes up", timeout=10)
        self.js(self.fast, "quiet.disconnect(); return true;")

    def connect_times_out_without_connect_reply(self):
        # The page comes from the main server; the socket goes to the bare Engine.IO server (CORS *).
        r = self.js(self.main, f"""
            const s = sio.io({json.dumps(self.silent.url)}, {{ timeout: 800, reconnectionDelay: 100, reconnectionDelayMax: 200 }});
            const started = performance.now();
            const [err] = await once(s, 'connect_error', 5000);
            const elapsed = performance.now() - started;
            const [attempt] = await once(s, 'reconnect_attempt', 5000);
            s.disconnect();
            return {{ message: err.message, elapsed, attempt, connected: s.connected }};""")
        expect(r["message"] == "timeout" and 700 <= r["elapsed"] < 3000, f"connect timeout: {r}")
        expect(r["attempt"] == 1 and not r["connected"], f"then a reconnection attempt: {r}")

    def conformance_events(self, url=None):
        """The events of the official Socket.IO test-suite server (protocol-facts §6), over both transports."""
        target = json.dumps(url or "")
        for transport in ("websocket", "polling"):
            r = self.js(self.main, f"""
                const s = sio.io({target}, {{ transports: ['{transport}'], auth: {{ token: '123' }}, withCredentials: false }});
                const [auth] = await once(s, 'auth');
                s.emit('message', 1, '2', {{ 3: [4] }});
                const back = await once(s, 'message-back');
                const acked = await s.emitWithAck('message-with-ack', 'x', 5, null);
                const transportName = s.engine.transport.name;
                s.disconnect();
                return {{ auth, back, acked, transportName }};""")
            expect(r["auth"] == {"token": "123"}, f"{transport}: auth {r['auth']}")
            expect(r["back"] == [1, "2", {"3": [4]}] or r["back"] == [[1, "2", {"3": [4]}]], f"{transport}: message-back {r['back']}")
            expect(r["acked"] == ["x", 5, None], f"{transport}: ack {r['acked']}")
            expect(r["transportName"] == transport, f"transport {r['transportName']}")

    def reconnects_after_server_restart(self):
        for transports in (["websocket"], ["polling"]):
            page = self.pages[self.fast.name]
            self.js(self.fast, f"""
                window.phoenix = sio.io('', {{ transports: {json.dumps(transports)}, reconnectionDelay: 100, reconnectionDelayMax: 500 }});
                window.phoenixLog = [];
                phoenix.on('connect', () => phoenixLog.push('connect:' + phoenix.id));
                phoenix.on('disconnect', (r) => phoenixLog.push('disconnect:' + r));
                phoenix.on('connect_error', (e) => phoenixLog.push('error'));
                await once(phoenix, 'connect');
                return true;""")
            self.fast.stop()
            page.wait_for("phoenixLog.some((e) => e.startsWith('disconnect:'))", f"disconnect when the server stops ({transports[0]})")
            page.wait_for("phoenixLog.includes('error')", "failed reconnection attempts while it is down")
            self.fast.start()
            page.wait_for("phoenixLog.filter((e) => e.startsWith('connect:')).length === 2", f"reconnection ({transports[0]})", timeout=10)
            r = self.js(self.fast, """
                const ids = phoenixLog.filter((e) => e.startsWith('connect:'));
                const [echo] = await phoenix.emitWithAck('echo', 'again');
                phoenix.disconnect();
                return { fresh: ids[0] !== ids[1], echo };""")
            expect(r == {"fresh": True, "echo": "again"}, f"{transports[0]}: {r}")
        # The page survives the restart too: the original pages are still attached to a live server.


def main():
    parser = argparse.ArgumentParser(description="socketio-client.js protocol tests")
    parser.add_argument("--conformance-url", help="also run the test-suite events against this Socket.IO "
                        "conformance server (e.g. SocketIOConformanceServer on http://127.0.0.1:3000)")
    args = parser.parse_args()
    main_server = reference("reference")
    fast = reference("reference-fast", "--ping-interval", "1", "--ping-timeout", "1")
    polling_only = reference("reference-polling", "--transports", "polling")
    silent = reference("engineio-only", "--engineio-only")
    servers = [main_server, fast, polling_only, silent]
    runner = Runner("socketio-client.js protocol tests")
    browser = None
    try:
        for server in servers:
            server.start()
        browser = Browser()
        suite = Suite(browser, main_server, fast, polling_only, silent)
        for test in (suite.websocket_connect_with_auth, suite.ack_round_trip, suite.many_acks_match_their_ids,
                     suite.events_both_ways_and_server_ack_request, suite.emits_before_connect_are_buffered,
                     suite.refused_connection_reports_message_and_data, suite.server_disconnect_is_final,
                     suite.client_disconnect_tells_the_server, suite.heartbeat_keeps_the_connection,
                     suite.polling_transport, suite.polling_heartbeat,
                     suite.falls_back_to_polling_when_websocket_fails, suite.notices_a_silent_server,
                     suite.connect_times_out_without_connect_reply, suite.conformance_events,
                     suite.reconnects_after_server_restart):
            runner.run(test.__name__, test)
        if args.conformance_url:
            runner.run(f"conformance_events against {args.conformance_url}", suite.conformance_events, args.conformance_url)
    finally:
        if browser:
            browser.close()
        for server in servers:
            server.stop()
    return runner.finish()


if __name__ == "__main__":
    sys.exit(main())
