"""The API against the floor (bench/floor.py): the same three reads, served by
the same gunicorn settings in the same run, measured one after the other so
that both see the same machine. Throughput comes from wrk (16 connections) when
it is installed (the bench installs Debian's wrk when it can), else from the
bench's own asyncio client; the sequential median from one keep-alive connection."""

import os
import re
import shutil
import statistics
import subprocess
from urllib.parse import urlencode

from . import load

CONNECTIONS = 16
FILTERS = {"category": "technical", "priority": "high", "status": "open"}


def requests(retrieve_id: int) -> list[tuple[str, str]]:
    return [
        ("retrieve", f"/api/tickets/{retrieve_id}/"),
        ("first keyset page of 50", "/api/tickets/?page_size=50"),
        (
            "filtered page (category+priority+status)",
            "/api/tickets/?" + urlencode({"page_size": 50, **FILTERS}),
        ),
    ]


def ensure_wrk() -> str | None:
    """wrk's path; installed from Debian's archive when missing and allowed."""
    found = shutil.which("wrk")
    if found or os.geteuid() != 0 or not shutil.which("apt-get"):
        return found
    print("  installing wrk (apt-get) ...", flush=True)
    subprocess.run(
        ["apt-get", "install", "-y", "--no-install-recommends", "wrk"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    return shutil.which("wrk")


def wrk_rate(wrk: str, port: int, path: str, seconds: float, headers: dict) -> tuple[float, int]:
    """Requests per second and the count of non-2xx answers."""
    command = [wrk, "-t2", f"-c{CONNECTIONS}", f"-d{max(1, round(seconds))}s", "--timeout", "10s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return rate, (int(bad.group(1)) if bad else 0) + (sum(map(int, errors.groups())) if errors else 0)


def client_rate(port: int, path: str, seconds: float, headers: dict) -> tuple[float, int]:
    result = load.run_load(port, [(CONNECTIONS, lambda rng: ("r", "GET", path, None), headers)], seconds)
    summary = result.summary()
    return summary["requests_per_second"], summary["errors"]


def sequential_median(port: int, path: str, repeat: int, headers: dict) -> float:
    client = load.Client(port)
    samples, _ = load.timed(lambda: client.request("GET", path, headers=headers), repeat, warmup=5)
    client.close()
    return load.describe(samples)["median_ms"]


def same_answer(api_port: int, floor_port: int, path: str, headers: dict) -> bool:
    """Whether the floor answers `path` with the API's body, byte for byte
    (each server's own address in the `next` link aside): the floor must do
    the same work, not less."""
    bodies = []
    for port, side_headers in ((api_port, headers), (floor_port, {})):
        client = load.Client(port)
        status, body = client.request("GET", path, headers=side_headers)
        client.close()
        bodies.append((status, body.replace(f"127.0.0.1:{port}/".encode(), b"127.0.0.1:PORT/")))
    return bodies[0] == bodies[1]


def measure(
    api_port: int,
    floor_port: int,
    retrieve_id: int,
    *,
    seconds: float,
    repeat: int,
    rounds: int,
    label: str = "API_AUTH=open",
    headers: dict | None = None,
    failures: list,
) -> list[dict]:
    """One row per request: floor and API throughput and sequential medians."""
    headers = headers or {}
    wrk = ensure_wrk()
    sides = {"floor": (floor_port, {}), "api": (api_port, headers)}
    rows = []
    for name, path in requests(retrieve_id):
        if not same_answer(api_port, floor_port, path, headers):
            failures.append(f"overhead {label} {name}: the floor's body differs from the API's")
        rates = {"floor": [], "api": []}
        if wrk:  # unmeasured: every worker and its threads serve this request first
            for port, side_headers in sides.values():
                wrk_rate(wrk, port, path, 1, side_headers)
        # Rounds that take turns (floor first, then the API first, ...), so
        # that a slow moment of the machine (a checkpoint, autovacuum, a
        # worker being replaced) weighs on both sides alike.
        for round_ in range(rounds):
            order = ("floor", "api") if round_ % 2 == 0 else ("api", "floor")
            for side in order:
                port, side_headers = sides[side]
                if wrk:
                    rate, bad = wrk_rate(wrk, port, path, seconds / rounds, side_headers)
                else:
                    rate, bad = client_rate(port, path, seconds / rounds, side_headers)
                if bad:
                    failures.append(f"overhead {label} {name} ({side}): {bad} failed requests")
                rates[side].append(rate)
        shares = [api / floor for api, floor in zip(rates["api"], rates["floor"], strict=True)]
        figures = {
            side: {
                "requests_per_second": statistics.median(rates[side]),
                "rounds_requests_per_second": rates[side],
                "sequential_median_ms": sequential_median(port, path, repeat, side_headers),
            }
            for side, (port, side_headers) in sides.items()
        }
        floor, api = figures["floor"], figures["api"]
        row = {
            "request": name,
            "mode": label,
            "path": path,
            "floor": floor,
            "api": api,
            "throughput_share": statistics.median(shares),
            "median_gap_ms": api["sequential_median_ms"] - floor["sequential_median_ms"],
            "load_client": "wrk" if wrk else "bench asyncio client",
        }
        rows.append(row)
        print(
            f"  {label:24s} {name:42s} floor {floor['requests_per_second']:7.0f}/s "
            f"{floor['sequential_median_ms']:5.2f} ms   api {api['requests_per_second']:7.0f}/s "
            f"{api['sequential_median_ms']:5.2f} ms   {row['throughput_share']:4.0%}",
            flush=True,
        )
    return rows
