"""HTTP on loopback: one keep-alive connection for sequential timings, and an
asyncio load of many keep-alive clients for throughput. Plain HTTP/1.1 on raw
streams keeps the client's own CPU cost low on a machine it shares with the server."""

import asyncio
import http.client
import json
import random
import statistics
import time
from dataclasses import dataclass, field


class Client:
    """Sequential requests on one keep-alive connection."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)

    def request(self, method: str, path: str, body=None, headers: dict | None = None) -> tuple[int, bytes]:
        payload = json.dumps(body).encode() if body is not None else None
        headers = {"Accept": "application/json", **(headers or {})}
        if payload is not None:
            headers["Content-Type"] = "application/json"
        try:
            self.conn.request(method, path, body=payload, headers=headers)
            response = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # The server closed the idle keep-alive connection: reconnect once.
            self.conn.close()
            self.conn.request(method, path, body=payload, headers=headers)
            response = self.conn.getresponse()
        return response.status, response.read()

    def stream(self, path: str) -> tuple[int, int, bytes, bytes]:
        """Read a large body in pieces without keeping it: status, bytes, head, tail.
        `first_byte_ms` holds the time from sending the request to the body's first bytes."""
        self.conn.close()  # a fresh connection: the last one may have idled out
        started = time.perf_counter()
        self.conn.request("GET", path, headers={"Accept": "application/json"})
        response = self.conn.getresponse()
        size, head, tail = 0, b"", b""
        self.first_byte_ms = None
        while chunk := response.read1(1 << 20):
            if not head:
                self.first_byte_ms = (time.perf_counter() - started) * 1000
                head = chunk[:200]
            tail = (tail + chunk)[-200:]
            size += len(chunk)
        return response.status, size, head, tail

    def close(self):
        self.conn.close()


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


@dataclass
class LoadResult:
    seconds: float
    latencies: dict = field(default_factory=dict)  # kind -> [ms]
    errors: dict = field(default_factory=dict)  # kind -> count
    error_causes: dict = field(default_factory=dict)  # "HTTP 500" or an exception name -> count

    def summary(self, exclude=()) -> dict:
        kinds = [k for k in self.latencies if k not in exclude]
        all_ms = [ms for k in kinds for ms in self.latencies[k]]
        return {
            "requests": len(all_ms),
            "requests_per_second": len(all_ms) / self.seconds,
            "p50_ms": percentile(all_ms, 50),
            "p99_ms": percentile(all_ms, 99),
            "errors": sum(self.errors.get(k, 0) for k in kinds),
        }

    def by_kind(self) -> dict:
        return {
            kind: {
                "requests": len(ms),
                "p50_ms": percentile(ms, 50),
                "p99_ms": percentile(ms, 99),
                "errors": self.errors.get(kind, 0),
            }
            for kind, ms in sorted(self.latencies.items())
        }


async def _send(
    reader, writer, method: str, path: str, body: bytes | None, extra_head: str = ""
) -> tuple[int, bytes, bool]:
    """Status, body, and whether the server will close the connection after it."""
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n{extra_head}"
    if body is not None:
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    writer.write(head.encode() + b"\r\n" + (body or b""))
    await writer.drain()
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("connection closed")
    status = int(status_line.split()[1])
    length, chunked, close = 0, False, False
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding" and "chunked" in value:
            chunked = True
        elif name == "connection" and value == "close":
            close = True
    if chunked:
        parts = []
        while size := int((await reader.readline()).split(b";")[0], 16):
            parts.append(await reader.readexactly(size))
            await reader.readline()
        await reader.readline()
        payload = b"".join(parts)
    else:
        payload = await reader.readexactly(length)
    return status, payload, close


async def _client(port, pick, deadline, result: LoadResult, rng: random.Random, headers: dict, stop=None):
    extra_head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    reader = writer = None
    while time.perf_counter() < deadline and not (stop is not None and stop.is_set()):
        kind, method, path, body = pick(rng)
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            started = time.perf_counter()
            status, _, close = await _send(reader, writer, method, path, body, extra_head)
            elapsed = (time.perf_counter() - started) * 1000
            if close:  # e.g. a worker recycled after max_requests: a complete answer, then reconnect
                writer.close()
                reader = writer = None
            result.latencies.setdefault(kind, []).append(elapsed)
            if status >= 400:
                result.errors[kind] = result.errors.get(kind, 0) + 1
                cause = f"HTTP {status}"
                result.error_causes[cause] = result.error_causes.get(cause, 0) + 1
        except (OSError, ConnectionError, asyncio.IncompleteReadError, ValueError, IndexError) as exc:
            result.errors[kind] = result.errors.get(kind, 0) + 1
            cause = type(exc).__name__
            result.error_causes[cause] = result.error_causes.get(cause, 0) + 1
            if writer is not None:
                writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


def run_load(port: int, clients: list, seconds: float, stop=None) -> LoadResult:
    """clients: [(count, pick)] or [(count, pick, headers)] where pick(rng) ->
    (kind, method, path, body bytes or None); headers go with every request.
    It runs for `seconds`, or until the threading.Event `stop` is set."""

    async def main():
        deadline = time.perf_counter() + seconds
        result = LoadResult(seconds=seconds)
        tasks = []
        seed = 0
        for count, pick, *rest in clients:
            headers = rest[0] if rest else {}
            for _ in range(count):
                seed += 1
                tasks.append(_client(port, pick, deadline, result, random.Random(seed), headers, stop))
        started = time.perf_counter()
        await asyncio.gather(*tasks)
        result.seconds = time.perf_counter() - started
        return result

    return asyncio.run(main())


def timed(fn, repeat: int, warmup: int = 2) -> tuple[list[float], object]:
    """Run fn warmup + repeat times; the milliseconds of the timed runs and the last value."""
    value = None
    for _ in range(warmup):
        value = fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        value = fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples, value


def describe(samples: list[float]) -> dict:
    return {
        "median_ms": statistics.median(samples) if samples else float("nan"),
        "p95_ms": percentile(samples, 95),
        "runs": len(samples),
    }
