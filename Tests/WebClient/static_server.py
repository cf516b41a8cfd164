#!/usr/bin/env python3
"""Serves a directory over HTTP, or over HTTPS with --tls-cert/--tls-key (the second origins of
browser_test.py; `python3 -m http.server` cannot do TLS).

    python3 Tests/WebClient/static_server.py --port 7400 --directory Sources/SesiorServer/Public \\
        [--tls-cert cert.pem --tls-key key.pem]
"""

import argparse
import functools
import http.server
import ssl


def main():
    parser = argparse.ArgumentParser(description="static files over HTTP or HTTPS")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--directory", required=True)
    parser.add_argument("--tls-cert", help="PEM certificate (serves HTTPS with --tls-key)")
    parser.add_argument("--tls-key", help="PEM private key")
    args = parser.parse_args()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=args.directory)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
