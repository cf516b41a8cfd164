#!/usr/bin/env python3
"""The SESIOR web client in headless Chromium, against the mock API or a real `sesior`.

    python3 Tests/WebClient/browser_test.py                       # starts the mock on a free port
    python3 Tests/WebClient/browser_test.py --server-url http://127.0.0.1:7331 \\
        --cross-origin-port 7400     # sesior must run with --cors-origin http://127.0.0.1:7400
    python3 Tests/WebClient/browser_test.py --server-url https://127.0.0.1:7331 \\
        --cross-origin-port 7400 --tls-cert cert.pem --tls-key key.pem
        # sesior runs with that certificate and --cors-origin https://127.0.0.1:7400; the second
        # origins serve https with it too, and Chromium trusts exactly its key (SPKI pin)

Pages live in separate browser contexts (separate cookie jars). Scenario: A registers and renames,
B sees it live; errors are shown readably; a reload keeps the session; logout ends it everywhere;
the socket handshake without a session is refused with `Not authorized`; the page also works when
served from another origin in the server's CORS allow-list, and fails readably from one that is not;
(mock only) the page reports a server that went away; (https only) the socket runs over wss and
the session cookie is Secure.
"""

import argparse
import json
import secrets
import sys

from cdp import Browser, spki_pin
from harness import PUBLIC, Runner, Server, expect, free_port, python, HERE

J = json.dumps


def submit(page, input_id, form_id, value):
    page.eval(f"""(() => {{
        const input = document.getElementById({J(input_id)});
        input.value = {J(value)};
        input.dispatchEvent(new Event('input', {{ bubbles: true }}));
        document.getElementById({J(form_id)}).requestSubmit();
        return true; }})()""")


def visible(element_id):
    return f"(() => {{ const e = document.getElementById({J(element_id)}); return !!e && !e.closest('[hidden]'); }})()"


def text_of(element_id):
    return f"document.getElementById({J(element_id)}).textContent.trim()"


def has_user(name):
    return f"!!document.querySelector('#users [data-user=' + CSS.escape({J(name)}) + ']')"


def state_is(state):
    return f"document.getElementById('connection-state').dataset.state === {J(state)}"


def register(page, url, name):
    page.goto(url)
    page.wait_for(visible("register-form"), "the register form")
    submit(page, "user-name-input", "register-form", name)
    page.wait_for(f"{text_of('current-user')} === {J(name)}", f"#current-user to show {name}")
    page.wait_for(state_is("connected"), "the connected state")
    page.wait_for(has_user(name), f"{name} in #users")


class Scenario:
    def __init__(self, browser, url, cross_url, foreign_url, screenshots, mock=None):
        self.mock = mock
        self.browser, self.url, self.cross_url, self.foreign_url = browser, url, cross_url, foreign_url
        self.screenshots = screenshots
        tag = secrets.token_hex(3)
        self.alice, self.bob, self.carol, self.dave = (f"{n}-{tag}" for n in ("alice", "bob", "carol", "dave"))
        self.a = browser.new_page()
        self.b = browser.new_page()

    def shot(self, page, name):
        if self.screenshots:
            page.screenshot(f"{self.screenshots}/{name}.png")

    def first_load_shows_register_form(self):
        page = self.browser.new_page()
        page.goto(self.url)
        page.wait_for(visible("register-form"), "the register form")
        expect(page.eval(f"!{visible('session-view')}"), "the session view is hidden before registering")
        expect(page.eval(state_is("offline")), "no socket before registering")
        self.shot(page, "1-register")

    def socket_goes_over_wss_with_a_secure_cookie(self):
        """https only: the page's Engine.IO connection is a WebSocket over wss (seen by Chromium's
        network stack: created, 101, the Engine.IO open and Socket.IO CONNECT frames), it never
        fell back to polling, and every cookie the server set is Secure."""
        page = self.browser.new_page()
        page.call("Network.enable")
        register(page, self.url, f"tls-{self.alice}")
        expect(page.eval("location.protocol") == "https:", "the page itself came over https")
        session = page.session
        created = self.browser.wait_event("Network.webSocketCreated", session)
        socket_url = self.url.replace("https://", "wss://", 1) + "/socket.io/"
        expect(created["params"]["url"].startswith(socket_url), f"WebSocket URL is {created['params']['url']}")
        expect("transport=websocket" in created["params"]["url"], "the Engine.IO transport is websocket")
        handshake = self.browser.wait_event("Network.webSocketHandshakeResponseReceived", session)
        expect(handshake["params"]["response"]["status"] == 101, f"handshake status {handshake['params']['response']}")
        frames = []
        while not any(f.startswith("40") for f in frames):
            frame = self.browser.wait_event("Network.webSocketFrameReceived", session, timeout=10)
            frames.append(frame["params"]["response"]["payloadData"])
        expect(frames[0].startswith('0{"sid":'), f"the first frame is the Engine.IO open: {frames[0][:60]!r}")
        polls = [e["params"]["request"]["url"] for e in self.browser.events
                 if e.get("sessionId") == session and e["method"] == "Network.requestWillBeSent"
                 and "transport=polling" in e["params"]["request"]["url"]]
        expect(not polls, f"no long-polling fallback: {polls}")
        cookies = page.call("Network.getCookies", {"urls": [self.url]})["cookies"]
        expect(cookies, "the server set a session cookie")
        insecure = [c["name"] for c in cookies if not c["secure"]]
        expect(not insecure, f"cookies without Secure: {insecure}")
        expect(all(c["httpOnly"] for c in cookies), "the session cookie is HttpOnly")
        page.call("Network.disable")
        self.browser.events = [e for e in self.browser.events if e.get("sessionId") != session]
        page.eval("document.getElementById('logout').click(), true")
        page.wait_for(visible("register-form"), "the register form after logout")

    def a_registers(self):
        register(self.a, self.url, self.alice)

    def b_registers_and_both_lists_update(self):
        register(self.b, self.url, self.bob)
        self.b.wait_for(has_user(self.alice), "B's list to contain A (from the user:connected ack)")
        self.a.wait_for(has_user(self.bob), "A's list to receive B (user:joined)")

    def a_renames_and_b_sees_it(self):
        submit(self.a, "rename-input", "rename-form", f"  {self.carol}  ")
        self.a.wait_for(f"{text_of('current-user')} === {J(self.carol)}", "A's #current-user to show the new name")
        self.a.wait_for(f"{has_user(self.carol)} && !{has_user(self.alice)}", "A's list to show the new name only")
        self.b.wait_for(f"{has_user(self.carol)} && !{has_user(self.alice)}", "B's list to show A's new name (user:renamed)")
        self.shot(self.a, "2-renamed-a")
        self.shot(self.b, "3-renamed-b")

    def rename_to_taken_name_shows_error(self):
        submit(self.b, "rename-input", "rename-form", self.carol)
        self.b.wait_for(f"{visible('error')} && {text_of('error')}.length > 0", "B's #error")
        expect(self.b.eval(f"{text_of('current-user')} === {J(self.bob)}"), "B keeps its name")
        self.shot(self.b, "4-rename-error")

    def invalid_rename_shows_error(self):
        submit(self.b, "rename-input", "rename-form", "x" * 40)
        self.b.wait_for(f"{visible('error')} && {text_of('error')}.length > 0", "B's #error for a 40-character name")
        expect(self.b.eval(f"{text_of('current-user')} === {J(self.bob)}"), "B keeps its name")

    def duplicate_registration_shows_error(self):
        page = self.browser.new_page()
        page.goto(self.url)
        page.wait_for(visible("register-form"), "the register form")
        submit(page, "user-name-input", "register-form", self.carol)
        page.wait_for(f"{visible('error')} && {text_of('error')}.length > 0", "#error for a taken name")
        expect(page.eval(visible("register-form")), "the register form stays")
        expect(page.eval(state_is("offline")), "no socket after a refused registration")
        self.shot(page, "5-register-error")

    def reload_keeps_the_session(self):
        self.a.goto(self.url)
        self.a.wait_for(f"{text_of('current-user')} === {J(self.carol)}", "A still signed in after a reload")
        self.a.wait_for(state_is("connected"), "A connected again")
        self.a.wait_for(has_user(self.bob), "A's list after reload (user:connected ack)")
        self.b.wait_for(has_user(self.carol), "B's list still has A")

    def handshake_without_session_is_refused(self):
        page = self.browser.new_page()
        page.goto(self.url)
        message = page.eval("""import('./socketio-client.js').then(({ io }) => new Promise((resolve) => {
            const socket = io('', { reconnectionDelay: 100 });
            socket.on('connect', () => resolve('connected?!'));
            socket.on('connect_error', (err) => { socket.disconnect(); resolve(err.message); });
            setTimeout(() => resolve('no answer'), 5000); }))""")
        expect(message == "Not authorized", f"refusal message is {message!r}")

    def cross_origin_page_works(self):
        page = self.browser.new_page()
        register(page, f"{self.cross_url}/?api={self.url}", self.dave)
        expect(page.eval("location.origin") != self.url, "the page is served by another origin")
        self.a.wait_for(has_user(self.dave), "A sees the cross-origin user join")
        submit(page, "rename-input", "rename-form", self.dave + "-x")
        page.wait_for(f"{text_of('current-user')} === {J(self.dave + '-x')}", "the cross-origin rename")
        self.a.wait_for(has_user(self.dave + "-x"), "A sees the cross-origin rename")
        page.goto(f"{self.cross_url}/?api={self.url}")
        page.wait_for(f"{text_of('current-user')} === {J(self.dave + '-x')}", "the cross-origin session after reload")
        page.wait_for(state_is("connected"), "the cross-origin socket after reload")
        self.shot(page, "6-cross-origin")

    def foreign_origin_fails_readably(self):
        page = self.browser.new_page()
        page.goto(f"{self.foreign_url}/?api={self.url}")
        page.wait_for(f"{text_of('error')}.length > 0", "#error on an origin outside the allow-list")
        expect(not page.eval(visible("session-view")), "not signed in from a foreign origin")

    def logout_ends_the_session(self):
        self.b.eval("document.getElementById('logout').click(), true")
        self.b.wait_for(visible("register-form"), "B's register form after logout")
        self.a.wait_for(f"!{has_user(self.bob)}", "A's list to drop B (user:left)")
        self.b.goto(self.url)
        self.b.wait_for(visible("register-form"), "B still logged out after a reload")

    def another_tab_renames_then_logs_out(self):
        twin = self.browser.new_page()  # a fresh context holding a copy of A's cookies
        cookies = self.a.call("Network.getCookies", {"urls": [self.url]})["cookies"]
        for c in cookies:
            keys = ("name", "value", "domain", "path", "httpOnly", "secure", "sameSite")
            twin.call("Network.setCookie", {k: c[k] for k in keys if k in c})
        twin.goto(self.url)
        twin.wait_for(f"{text_of('current-user')} === {J(self.carol)}", "the second tab shares A's session")
        twin.wait_for(state_is("connected"), "the second tab connected")
        submit(twin, "rename-input", "rename-form", self.carol + "-2")
        self.a.wait_for(f"{text_of('current-user')} === {J(self.carol + '-2')}", "A follows a rename made in its other tab")
        twin.eval("document.getElementById('logout').click(), true")
        self.a.wait_for(visible("register-form"), "A's register form after the other tab logged out")
        self.a.wait_for(f"{text_of('error')}.length > 0", "A explains that the session ended")
        self.shot(self.a, "7-session-ended")

    def server_down_then_in_memory_session_gone(self):
        """Mock only: while the server is down the page says so; the mock keeps sessions in memory,
        so after its restart the handshake is refused and the page asks to register again."""
        page = self.browser.new_page()
        register(page, self.url, self.alice)
        self.mock.stop()
        page.wait_for(state_is("disconnected"), "the disconnected state while the server is down")
        self.shot(page, "8-server-down")
        self.mock.start()
        page.wait_for(visible("register-form"), "the register form once the restarted server refuses the session", timeout=20)
        page.wait_for(f"{text_of('error')}.length > 0", "an explanation")


def main():
    parser = argparse.ArgumentParser(description="SESIOR web client browser tests")
    parser.add_argument("--server-url", help="test this running server instead of starting the mock")
    parser.add_argument("--cross-origin-port", type=int, default=0,
                        help="port of the second static origin (must be in the server's CORS allow-list)")
    parser.add_argument("--screenshots", help="directory for screenshots of each step")
    parser.add_argument("--tls-cert", help="PEM certificate of an https --server-url: the second origins serve "
                        "https with it (and --tls-key) and Chromium trusts exactly its public key")
    parser.add_argument("--tls-key", help="PEM private key of --tls-cert")
    args = parser.parse_args()
    if bool(args.tls_cert) != bool(args.tls_key) or (args.tls_cert and not args.server_url):
        parser.error("--tls-cert and --tls-key go together, with an https --server-url")

    def static_server(port, name):
        tls = ["--tls-cert", args.tls_cert, "--tls-key", args.tls_key] if args.tls_cert else []
        return Server([python(), str(HERE / "static_server.py"), "--port", str(port), "--directory", str(PUBLIC), *tls],
                      port, name=name, tls_cert=args.tls_cert)

    cross_port = args.cross_origin_port or free_port()
    cross = static_server(cross_port, "static-allowed")
    foreign = static_server(free_port(), "static-foreign")
    mock = None
    servers = [cross, foreign]
    if args.server_url:
        url = args.server_url.rstrip("/")
    else:
        port = free_port()
        mock = Server([python(), str(HERE / "mock_server.py"), "--port", str(port), "--cors-origin", cross.url],
                      port, ready_path="/health", name="mock")
        servers.append(mock)
        url = mock.url
    browser = None
    runner = Runner("browser tests")
    try:
        for server in servers:
            server.start()
        browser = Browser(extra_args=[f"--ignore-certificate-errors-spki-list={spki_pin(args.tls_cert)}"]
                          if args.tls_cert else ())
        s = Scenario(browser, url, cross.url, foreign.url, args.screenshots, mock)
        steps = [
            s.first_load_shows_register_form, s.a_registers, s.b_registers_and_both_lists_update,
            s.a_renames_and_b_sees_it, s.rename_to_taken_name_shows_error, s.invalid_rename_shows_error,
            s.duplicate_registration_shows_error, s.reload_keeps_the_session,
            s.handshake_without_session_is_refused, s.cross_origin_page_works, s.foreign_origin_fails_readably,
            s.logout_ends_the_session, s.another_tab_renames_then_logs_out,
        ]
        if mock:
            steps.append(s.server_down_then_in_memory_session_gone)
        if url.startswith("https://"):
            steps.insert(1, s.socket_goes_over_wss_with_a_secure_cookie)
        for step in steps:
            runner.run(step.__name__, step)
    finally:
        if browser:
            browser.close()
        for server in servers:
            server.stop()
    return runner.finish()


if __name__ == "__main__":
    sys.exit(main())
