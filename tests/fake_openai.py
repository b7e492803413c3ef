"""A scripted OpenAI-compatible HTTP server on 127.0.0.1 for fault tests.

It speaks the real wire format (JSON and SSE with chunked transfer), so the
real ``openai`` client and langchain-openai are exercised end to end.
"""

from __future__ import annotations

import json
import itertools
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


DIMENSIONS = 64


def bag_of_words(text: str) -> list[float]:
    """A deterministic embedding: hashed word counts, L2-normalised (texts sharing words are close)."""
    import re
    import zlib

    vector = [0.0] * DIMENSIONS
    for word in re.findall(r"\w+", text.lower()):
        vector[zlib.crc32(word.encode()) % DIMENSIONS] += 1.0
    norm = sum(v * v for v in vector) ** 0.5 or 1.0
    return [v / norm for v in vector]


class QuietHTTPServer(ThreadingHTTPServer):
    """A test server that does not print a traceback when a client hangs up (tests stop streams on purpose)."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)


class FakeOpenAI:
    def __init__(self) -> None:
        self.reset()
        self._server = QuietHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def reset(self) -> None:
        self.mode = "ok"  # ok | 401 | 429 | 500 | slow | drop | garbage (not JSON) | forever (never ends)
        self.answer = "The bank failed after a run [1]."
        self.condensed = ""
        self.delay = 0.0
        self.stall = 5.0
        self.requests: list[dict[str, Any]] = []
        self.bodies: list[bytes] = []  # each request's body as sent, for tests that look for what must not be there
        self.keys: list[str] = []
        self.embedded = 0  # texts embedded through /v1/embeddings
        self.sent = 0  # streamed answer words written so far (a test waits for these, not for time)
        self.finish_reason = "stop"  # "length": the answer ran to the max_tokens it was asked for

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def start(self) -> "FakeOpenAI":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def chat_requests(self, kind: str) -> list[dict]:
        """'condense' or 'answer' requests, told apart by their system prompt."""
        def is_condense(req: dict) -> bool:
            return "standalone" in req["messages"][0]["content"]

        return [r for r in self.requests if is_condense(r) == (kind == "condense")]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                try:
                    self._answer()
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout or Ctrl-C test): nothing left to send

            def _answer(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                fake.bodies.append(raw)
                body = json.loads(raw or b"{}")
                fake.requests.append(body)
                fake.keys.append(self.headers.get("Authorization", ""))
                if fake.mode in ("401", "429", "500"):
                    return self._error(int(fake.mode))
                if fake.mode == "garbage":
                    return self._garbage(body)
                if self.path.rstrip("/").endswith("/embeddings"):
                    return self._embeddings(body)
                system = body["messages"][0]["content"]
                text = fake.condensed if "standalone" in system else fake.answer
                if body.get("stream"):
                    return self._stream(body, text)
                self._json(200, {
                    "id": "c1", "object": "chat.completion", "created": 0, "model": body.get("model", "m"),
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                                 "finish_reason": fake.finish_reason}],
                    "usage": {"prompt_tokens": 7, "completion_tokens": 3, "total_tokens": 10},
                })

            def _embeddings(self, body: dict) -> None:
                texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
                fake.embedded += len(texts)
                data = [{"object": "embedding", "index": i, "embedding": bag_of_words(t)} for i, t in enumerate(texts)]
                self._json(200, {"object": "list", "data": data, "model": body.get("model", "m"),
                                 "usage": {"prompt_tokens": 1, "total_tokens": 1}})

            def _json(self, status: int, payload: dict, headers: dict | None = None) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def _error(self, status: int) -> None:
                messages = {401: "Incorrect API key provided: " + self.headers.get("Authorization", "")[7:],
                            429: "Rate limit reached", 500: "The server had an error"}
                self._json(status, {"error": {"message": messages[status], "type": "error", "code": status}},
                           {"retry-after-ms": "10"})

            def _garbage(self, body: dict) -> None:
                """A 200 whose body is not what the API promises: HTML, or a stream of events that are not JSON."""
                if not body.get("stream"):
                    data = b"<html><body>502 Bad Gateway</body></html>"
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                self._event(b"{not json")
                self._event(b"[DONE]")
                self._chunk(b"")

            def _chunk(self, data: bytes) -> None:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                self.wfile.flush()

            def _event(self, payload: Any) -> None:
                self._chunk(b"data: " + (payload if isinstance(payload, bytes) else json.dumps(payload).encode()) + b"\n\n")

            def _stream(self, body: dict, text: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                words = [w + " " for w in text.split(" ")]
                words[-1] = words[-1].rstrip()
                base = {"id": "s1", "object": "chat.completion.chunk", "created": 0, "model": body.get("model", "m")}
                if fake.mode == "forever":  # a word at a time, never a last one, until the client hangs up
                    words = itertools.cycle(words)
                for i, word in enumerate(words):
                    if fake.mode == "drop" and i == 3:
                        self.wfile.write(b"ff\r\ndata: {\"partial")  # a chunk cut short, then the socket closes
                        self.wfile.flush()
                        self.close_connection = True
                        self.connection.shutdown(2)
                        return
                    if fake.mode == "slow" and i == 3:
                        time.sleep(fake.stall)
                    self._event({**base, "choices": [{"index": 0, "delta": {"content": word}, "finish_reason": None}]})
                    fake.sent += 1
                    if fake.delay:
                        time.sleep(fake.delay)
                self._event({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": fake.finish_reason}]})
                self._event({**base, "choices": [], "usage": {"prompt_tokens": 42, "completion_tokens": len(words), "total_tokens": 42 + len(words)}})
                self._event(b"[DONE]")
                self._chunk(b"")

        return Handler
