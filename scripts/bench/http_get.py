#!/usr/bin/env python3
"""One HTTP GET for scripts/bench.sh probes (no curl needed, no proxy ever used). An https URL is
fetched without verifying the certificate (the TLS scenario's is self-signed for the run).

Usage: http_get.py status|body URL [HEADER: VALUE]...
Prints the status code (000 when nothing answered) or the response body.
"""
import http.client
import ssl
import sys
import urllib.parse


def main() -> None:
    if len(sys.argv) < 3 or sys.argv[1] not in ("status", "body"):
        sys.exit(__doc__)
    what, url = sys.argv[1], urllib.parse.urlsplit(sys.argv[2])
    headers = dict(h.split(":", 1) for h in sys.argv[3:])
    headers = {k.strip(): v.strip() for k, v in headers.items()}
    path = url.path + ("?" + url.query if url.query else "")
    try:
        if url.scheme == "https":
            connection = http.client.HTTPSConnection(
                url.hostname, url.port or 443, timeout=3, context=ssl._create_unverified_context())
        else:
            connection = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=3)
        connection.request("GET", path or "/", headers=headers)
        response = connection.getresponse()
        body = response.read()
        connection.close()
    except OSError:
        print("000" if what == "status" else "")
        return
    if what == "status":
        print(response.status)
    else:
        sys.stdout.write(body.decode("utf-8", errors="replace"))


if __name__ == "__main__":
    main()
