"""Scrapes a running SESIOR server's GET /metrics and parses it with prometheus_client's text parser.

Usage: metrics_scrape.py SCENARIO JSON-ARGUMENTS
  scrape  {"url"}: one scrape.
  socket  {"url", "cookie", "name", "newName", "transport"}: connects a stock python-socketio
          client with the cookie, announces `name`, scrapes while it is connected, renames it to
          `newName` (a broadcast to the others), disconnects, and scrapes again.
Prints one JSON object; each scrape is {"status", "contentType", "samples": [[name, labels, value]],
"types": {family: type}}. Exits non-zero when the exposition does not parse.
"""
import json
import sys

import requests
import socketio
from prometheus_client.parser import text_string_to_metric_families

TIMEOUT = 30


def scrape(url):
    response = requests.get(url + "/metrics", timeout=TIMEOUT)
    samples, types = [], {}
    if response.status_code == 200:
        for family in text_string_to_metric_families(response.text):
            types[family.name] = family.type
            for sample in family.samples:
                samples.append([sample.name, dict(sample.labels), sample.value])
    return {"status": response.status_code, "contentType": response.headers.get("Content-Type", ""),
            "samples": samples, "types": types}


def as_list(reply):
    if reply is None:
        return []
    return list(reply) if isinstance(reply, tuple) else [reply]


def socket_scenario(args):
    sio = socketio.Client(reconnection=False, request_timeout=TIMEOUT)
    sio.connect(args["url"], headers={"Cookie": args["cookie"]}, transports=[args.get("transport", "websocket")],
                wait_timeout=TIMEOUT)
    connected = as_list(sio.call("user:connected", args["name"], timeout=TIMEOUT))
    during = scrape(args["url"])
    renamed = as_list(sio.call("user:rename", args["newName"], timeout=TIMEOUT))
    sio.disconnect()
    return {"connectedAck": connected, "renameAck": renamed, "during": during, "after": scrape(args["url"])}


SCENARIOS = {"scrape": lambda args: scrape(args["url"]), "socket": socket_scenario}

if __name__ == "__main__":
    print(json.dumps(SCENARIOS[sys.argv[1]](json.loads(sys.argv[2]))))
    sys.stdout.flush()
