"""A fake OpenAI-compatible server for tests, the end-to-end suite and load runs.

It speaks just enough of `POST /v1/chat/completions` for the real openai SDK.
By default it classifies by keywords, deterministically. Tests can script the
next answers (status, body, delay, headers) and read back every request body.

Run standalone, from backend/:  python -m devtools.fake_llm --port 8090 [--delay 0.5] [--fail-rate 0.05]
"""

from __future__ import annotations

import argparse
import json
import random
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

KEYWORD_CATEGORIES = [
    ("billing", ("charged", "invoice", "refund", "payment")),
    ("account", ("password", "login", "account")),
    ("technical", ("error", "crash", "bug", "timeout")),
]
KEYWORD_PRIORITIES = [
    ("critical", ("outage", "down", "urgent", "immediately")),
    ("high", ("cannot", "can't", "broken")),
    ("low", ("question", "how")),
]


def classify_by_keywords(text: str) -> dict:
    lowered = text.lower()
    category = next((c for c, words in KEYWORD_CATEGORIES if any(w in lowered for w in words)), "general")
    priority = next((p for p, words in KEYWORD_PRIORITIES if any(w in lowered for w in words)), "medium")
    return {"category": category, "priority": priority}


def completion_body(content: str, model: str = "fake-model") -> dict:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def estimated_usage(body: dict, content: str) -> dict:
    """Token counts as a real server reports them, estimated at 4 characters a token."""
    sent = sum(len(str(m.get("content", ""))) for m in body.get("messages") or [] if isinstance(m, dict))
    prompt, completion = max(1, sent // 4), max(1, len(content) // 4)
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


@dataclass
class ScriptedAnswer:
    status: int = 200
    content: str | None = None  # the assistant's text; None means classify by keywords
    raw_body: bytes | None = None  # sent as is, instead of a completion
    delay: float = 0.0
    headers: dict = field(default_factory=dict)


class FakeLLM:
    """The server and its script. Use as a context manager or start()/stop()."""

    def __init__(
        self, port: int = 0, delay: float = 0.0, fail_rate: float = 0.0, seed: int = 1, record: bool = True
    ):
        self.record = record
        self.requests: list[dict] = []
        self.headers: list[dict] = []
        self.script: list[ScriptedAnswer] = []
        self.default_delay = delay
        self.fail_rate = fail_rate
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> FakeLLM:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeLLM:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def answer(self, *answers: ScriptedAnswer) -> None:
        """Queue answers for the next requests; after them, keyword answers."""
        with self._lock:
            self.script.extend(answers)

    def reset(self) -> None:
        with self._lock:
            self.script.clear()
            self.requests.clear()
            self.headers.clear()

    def _next_answer(self) -> ScriptedAnswer:
        with self._lock:
            if self.script:
                return self.script.pop(0)
            if self.fail_rate and self._random.random() < self.fail_rate:
                return ScriptedAnswer(status=500, raw_body=b'{"error": {"message": "fake failure"}}')
        return ScriptedAnswer(delay=self.default_delay)

    def _handler_class(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output quiet
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    body = {"unparsable": raw.decode(errors="replace")}
                if fake.record:
                    with fake._lock:
                        fake.requests.append(body)
                        fake.headers.append({k.lower(): v for k, v in self.headers.items()})
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._send(404, b'{"error": {"message": "not found"}}', {})
                    return
                answer = fake._next_answer()
                if answer.delay:
                    time.sleep(answer.delay)
                if answer.raw_body is not None:
                    payload = answer.raw_body
                else:
                    content = answer.content
                    if content is None:
                        user = next(
                            (
                                m.get("content", "")
                                # The last user turn is the ticket; earlier ones are examples.
                                for m in reversed(body.get("messages") or [])
                                if m.get("role") == "user"
                            ),
                            "",
                        )
                        content = json.dumps(classify_by_keywords(str(user)))
                    reply = completion_body(content, body.get("model", "fake-model"))
                    reply["usage"] = estimated_usage(body, content)
                    payload = json.dumps(reply).encode()
                self._send(answer.status, payload, answer.headers)

            def _send(self, status, payload, headers):
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting, as it should

        return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before each answer")
    parser.add_argument("--fail-rate", type=float, default=0.0, help="share of answers that are HTTP 500")
    args = parser.parse_args()
    fake = FakeLLM(port=args.port, delay=args.delay, fail_rate=args.fail_rate, record=False)
    print(f"fake LLM listening on {fake.base_url}", flush=True)
    try:
        fake._server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
