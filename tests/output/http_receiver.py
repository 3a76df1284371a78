#!/usr/bin/env python3
"""http_receiver.py - an HTTP server for vigil's output tests.

Answers the first --fail POSTs with --fail-status (503 unless told), then
200; records every accepted request (path, headers, body) as one JSON line
in --out. Writes --ready once it listens. Stops on SIGTERM.
"""
import argparse
import http.server
import json
import signal
import sys


def bulk_reply(body, every):
    """An Elasticsearch _bulk answer refusing some documents."""
    lines = body.decode().splitlines()
    items = []
    for doc in lines[1::2]:
        refused = json.loads(doc)["seq"] % every == 0
        items.append({"index": {"status": 400 if refused else 201}})
    errors = any(i["index"]["status"] >= 300 for i in items)
    return json.dumps({"errors": errors, "items": items}).encode()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--ready", required=True)
    p.add_argument("--fail", type=int, default=0)
    p.add_argument("--fail-status", type=int, default=503)
    p.add_argument("--bulk-refuse-every", type=int, default=0,
                   help="answer _bulk requests refusing each document "
                        "whose seq is a multiple of this")
    args = p.parse_args()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        failures_left = args.fail

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            if Handler.failures_left > 0:
                Handler.failures_left -= 1
                status = args.fail_status
            else:
                status = 200
                record = {"path": self.path, "headers": dict(self.headers),
                          "body": body.decode("utf-8", "replace")}
                with open(args.out, "a", encoding="utf-8") as f:
                    f.write(json.dumps(record) + "\n")
            reply = b'{"ok":true}' if status == 200 else b'{"ok":false}'
            if status == 200 and args.bulk_refuse_every:
                reply = bulk_reply(body, args.bulk_refuse_every)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *unused):
            pass

    server = http.server.HTTPServer(("127.0.0.1", args.port), Handler)
    signal.signal(signal.SIGTERM, lambda *unused: sys.exit(0))
    with open(args.ready, "w", encoding="utf-8") as f:
        f.write("ready\n")
    server.serve_forever()


if __name__ == "__main__":
    main()
