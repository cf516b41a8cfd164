#!/usr/bin/env python3
"""Makes one express-session style session for the session-route benchmark.

Prints three lines: the session id, the Redis value (connect-redis JSON, protocol-facts §2 with
default cookie options) and the Cookie header value `connect.sid=s%3A<id>.<signature>`
(protocol-facts §1: HMAC-SHA256, standard base64 without `=`, URL-encoded like encodeURIComponent).

Usage: session_cookie.py SECRET USERNAME [SESSION_ID]
       session_cookie.py --self-test
"""
import base64
import hashlib
import hmac
import json
import secrets
import sys
import urllib.parse


def sign(value: str, secret: str) -> str:
    """cookie-signature's sign(): value + "." + base64(HMAC-SHA256) without padding."""
    mac = hmac.new(secret.encode(), value.encode(), hashlib.sha256).digest()
    return value + "." + base64.b64encode(mac).decode().rstrip("=")


def cookie_header(session_id: str, secret: str) -> str:
    """The Cookie header value a browser sends back to express-session."""
    signed = "s:" + sign(session_id, secret)
    return "connect.sid=" + urllib.parse.quote(signed, safe="-_.!~*'()")


def session_json(user_name: str) -> str:
    """The JSON express-session hands connect-redis for a session with default cookie options."""
    cookie = {"originalMaxAge": None, "expires": None, "httpOnly": True, "path": "/"}
    return json.dumps({"cookie": cookie, "userName": user_name}, separators=(",", ":"))


def new_session_id() -> str:
    """uid-safe uid(24): 24 random bytes, base64url without padding (32 characters)."""
    return base64.urlsafe_b64encode(secrets.token_bytes(24)).decode().rstrip("=")


def self_test() -> None:
    expected = ("connect.sid=s%3Aabcdefghijklmnopqrstuvwxyz012345."
                "BrEPk968vUZ%2FCnAf6ia8LeVK0ZdNlaTCayuy4f3RxQE")
    got = cookie_header("abcdefghijklmnopqrstuvwxyz012345", "SESIORsecret")
    if got != expected:
        sys.exit(f"self-test failed: {got} != {expected}")
    if len(new_session_id()) != 32:
        sys.exit("self-test failed: session id length")
    print("session_cookie self-test ok")


def main() -> None:
    if sys.argv[1:] == ["--self-test"]:
        self_test()
        return
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    secret, user_name = sys.argv[1], sys.argv[2]
    session_id = sys.argv[3] if len(sys.argv) == 4 else new_session_id()
    print(session_id)
    print(session_json(user_name))
    print(cookie_header(session_id, secret))


if __name__ == "__main__":
    main()
