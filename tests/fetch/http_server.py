#!/usr/bin/env python3
"""Loopback HTTP server for the fetch tests (python3 standard library only).

Binds 127.0.0.1 on a free port and prints that port as its first stdout line.
Serves files from --root with single-range support (206 + Content-Range, 416),
and misbehaves on purpose when the path asks for it:

  /files/<name>      plain file, Range honoured
  /drop/<name>       first request: half the bytes, then the connection closes;
                     later requests are served normally (a marker file in
                     --state remembers the first one)
  /flaky503/<name>   503 on the first request, then served
  /always503/<name>  503 every time
  /norange/<name>    Range ignored: always 200 with the whole file
  /slow/<name>       one byte, then silence, so a stall time-out triggers
  /redirect/<path>   302 to /<path>
  anything else      404

Every request is appended to --log as one line "<METHOD> <path> range=<Range>"
before the response is sent, so a test can see what the client asked for.

It stops by itself after --idle seconds without a request, after --limit
seconds in all, on SIGTERM, or when its parent dies (stdin reaches EOF, if the
parent kept a pipe to it), so a crashed test never leaves it behind.
"""

import argparse
import os
import re
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARGS = None
LAST_ACTIVITY = time.monotonic()
LOG_LOCK = threading.Lock()
STATE_LOCK = threading.Lock()


def first_time(tag, name):
    """True on the first call for (tag, name); remembered in a marker file."""
    marker = os.path.join(ARGS.state, "%s-%s.seen" % (tag, name.replace("/", "_")))
    with STATE_LOCK:
        if os.path.exists(marker):
            return False
        with open(marker, "w") as f:
            f.write("seen\n")
        return True


class Handler(BaseHTTPRequestHandler):
    server_version = "greenbench-test/1"

    def log_message(self, fmt, *args):  # keep the test output clean
        pass

    def handle(self):
        # A client that gives up (stall test) closes on us: not an error here.
        try:
            super().handle()
        except (ConnectionError, TimeoutError):
            pass

    def do_GET(self):
        global LAST_ACTIVITY
        LAST_ACTIVITY = time.monotonic()
        rng = self.headers.get("Range", "")
        with LOG_LOCK, open(ARGS.log, "a") as log:
            log.write("%s %s range=%s\n" % (self.command, self.path, rng))
        path = self.path.split("?", 1)[0]
        parts = path.lstrip("/").split("/", 1)
        if len(parts) != 2:
            return self.send_status(404)
        mode, name = parts
        if mode == "redirect":
            self.send_response(302)
            self.send_header("Location", "/" + name)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        file_path = os.path.join(ARGS.root, name)
        if ".." in name.split("/") or not os.path.isfile(file_path):
            return self.send_status(404)
        with open(file_path, "rb") as f:
            data = f.read()
        if mode == "files":
            return self.send_file(data, rng)
        if mode == "drop":
            if first_time("drop", name):
                return self.send_file(data, rng, cut=True)
            return self.send_file(data, rng)
        if mode == "flaky503":
            if first_time("flaky503", name):
                return self.send_status(503)
            return self.send_file(data, rng)
        if mode == "always503":
            return self.send_status(503)
        if mode == "norange":
            return self.send_file(data, "")
        if mode == "slow":
            return self.send_slow(data)
        return self.send_status(404)

    def send_status(self, code):
        body = ("%d\n" % code).encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_file(self, data, rng, cut=False):
        size = len(data)
        start, end = 0, size - 1
        m = re.fullmatch(r"bytes=(\d+)-(\d*)", rng.strip()) if rng else None
        if m:
            start = int(m.group(1))
            if m.group(2):
                end = min(int(m.group(2)), size - 1)
            if start >= size:
                self.send_response(416)
                self.send_header("Content-Range", "bytes */%d" % size)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(206)
            self.send_header("Content-Range", "bytes %d-%d/%d" % (start, end, size))
        else:
            self.send_response(200)
        body = data[start:end + 1]
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if cut:
            # Promise the whole body, deliver half, hang up: a partial transfer.
            self.wfile.write(body[:len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)

    def send_slow(self, data):
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        # One byte, then nothing for a while: the client's stall detection must
        # fire. (More bytes up front keep curl's 5 s speed average above 1 B/s.)
        self.wfile.write(data[:1])
        self.wfile.flush()
        time.sleep(min(10.0, ARGS.idle))
        self.close_connection = True


def watchdog(server, started):
    while True:
        time.sleep(0.2)
        now = time.monotonic()
        if now - LAST_ACTIVITY > ARGS.idle or now - started > ARGS.limit:
            server.shutdown()
            return


def stdin_watch(server):
    # EOF on stdin: the parent that holds the other end has gone.
    try:
        while sys.stdin.buffer.read(4096):
            pass
    except (OSError, ValueError):
        return
    server.shutdown()


def main():
    global ARGS, LAST_ACTIVITY
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", required=True, help="folder of files to serve")
    parser.add_argument("--log", required=True, help="file that receives one line per request")
    parser.add_argument("--state", help="folder for marker files (default: beside --log)")
    parser.add_argument("--idle", type=float, default=20.0, help="exit after this many idle seconds")
    parser.add_argument("--limit", type=float, default=60.0, help="exit after this many seconds in all")
    parser.add_argument("--watch-stdin", action="store_true", help="exit when stdin reaches EOF")
    ARGS = parser.parse_args()
    if not ARGS.state:
        ARGS.state = os.path.dirname(os.path.abspath(ARGS.log))
    os.makedirs(ARGS.state, exist_ok=True)

    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True  # a sleeping /slow/ handler must not hold up the exit
    LAST_ACTIVITY = time.monotonic()
    threading.Thread(target=watchdog, args=(server, time.monotonic()), daemon=True).start()
    if ARGS.watch_stdin:
        threading.Thread(target=stdin_watch, args=(server,), daemon=True).start()
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever(poll_interval=0.1)
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
