#!/usr/bin/env python3
"""An OpenAI-compatible server written independently of plugmap's own (Python stdlib only).

It streams the shapes real servers send, with known timings, so the bench can be checked
against a server it has never seen. Usage: sse_server.py '<json options>'; prints the port.

Options: ttft_ms, gap_ms (between chunks), reasoning (tokens), field ("reasoning" or
"reasoning_content"), output (tokens), per_chunk (tokens per chunk), usage (bool),
crlf / cr (line ends), nospace ("data:" without a space), comments (keep-alive comments),
multiline (a JSON chunk split over two data: lines), error_at (chunk index of an error event),
crash_after (requests served before the process exits), log (a file that gets one JSON line
per request: its arrival time in seconds, its body and its Authorization header), times (a file
that gets one JSON line per streamed request when its reply ends: its arrival, first token and
last token times in seconds).
"""
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

OPTIONS = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
WORD = " hello"  # one token in cl100k_base and o200k_base
served = 0
times_lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, *args):
        pass

    def do_POST(self):
        global served
        served += 1
        if OPTIONS.get("crash_after") and served > OPTIONS["crash_after"]:
            os._exit(3)
        length = int(self.headers.get("content-length", 0))
        body = json.loads(self.rfile.read(length) or b"{}")
        arrived = time.perf_counter()
        if OPTIONS.get("log"):
            with open(OPTIONS["log"], "a") as log:
                entry = {"t": arrived, "body": body,
                         "authorization": self.headers.get("authorization")}
                log.write(json.dumps(entry) + "\n")
        o = OPTIONS
        reasoning = o.get("reasoning", 0)
        output = o.get("output", 16)
        if body.get("max_tokens") == 1:  # the bench's pre-flight request
            reasoning, output = 0, 1
        per_chunk = o.get("per_chunk", 1)
        field = o.get("field", "reasoning")
        usage = {
            "prompt_tokens": len(str(body.get("messages", "")).split()),
            "completion_tokens": reasoning + output,
            "total_tokens": 0,
        }
        if not body.get("stream"):
            time.sleep(o.get("ttft_ms", 0) / 1000)
            message = {"role": "assistant", "content": WORD * output}
            if reasoning:
                message[field] = WORD * reasoning
            reply = {"id": "x", "object": "chat.completion", "choices": [
                {"index": 0, "message": message, "finish_reason": "stop"}]}
            if o.get("usage", True):
                reply["usage"] = usage
            data = json.dumps(reply).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("cache-control", "no-cache")
        self.end_headers()
        nl = "\r\n" if o.get("crlf") else "\r" if o.get("cr") else "\n"
        prefix = "data:" if o.get("nospace") else "data: "

        def event(payload, multiline=False):
            text = json.dumps(payload)
            if multiline:
                cut = text.index(",") + 1
                lines = prefix + text[:cut] + nl + prefix + text[cut:] + nl
            else:
                lines = prefix + text + nl
            self.wfile.write((lines + nl).encode())
            self.wfile.flush()

        def delta(d, finish=None):
            return {"id": "x", "object": "chat.completion.chunk",
                    "choices": [{"index": 0, "delta": d, "finish_reason": finish}]}

        event(delta({"role": "assistant", "content": ""}))
        chunks = []
        for kind, count in (("reasoning", reasoning), ("content", output)):
            while count > 0:
                n = min(per_chunk, count)
                chunks.append((kind, n))
                count -= n
        sent = []
        for i, (kind, n) in enumerate(chunks):
            due = arrived + (o.get("ttft_ms", 0) + i * o.get("gap_ms", 0)) / 1000
            pause = due - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            if o.get("comments"):
                self.wfile.write((": keep-alive" + nl + nl).encode())
            if o.get("error_at") == i:
                self.wfile.write(("event: error" + nl).encode())
                event({"error": {"message": "engine overloaded", "type": "server_error"}})
                break
            d = {field: WORD * n} if kind == "reasoning" else {"content": WORD * n}
            sent.append(time.perf_counter())  # before the write: the client reads it later
            event(delta(d, "stop" if i == len(chunks) - 1 else None), o.get("multiline", False))
        if o.get("times") and sent:
            with times_lock, open(o["times"], "a") as log:
                log.write(json.dumps({"arrived": arrived, "first": sent[0], "last": sent[-1]}) + "\n")
        if o.get("usage", True):
            event({"id": "x", "object": "chat.completion.chunk", "choices": [], "usage": usage})
        self.wfile.write((prefix + "[DONE]" + nl + nl).encode())
        self.wfile.flush()


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
