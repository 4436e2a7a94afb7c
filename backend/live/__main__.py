"""python -m live [--host H] [--port P]: the event stream server (uvicorn).

One process holds every stream with one LISTEN connection; run one next to each
API deployment (or several behind a load balancer: each delivers every event).
"""

import argparse
import os
import resource

import uvicorn


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m live", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=os.environ.get("EVENTS_HOST") or "0.0.0.0")
    parser.add_argument("--port", type=int, default=int(os.environ.get("EVENTS_PORT") or 8001))
    parser.add_argument("--log-level", default=(os.environ.get("EVENTS_LOG_LEVEL") or "info").lower())
    parser.add_argument("--no-access-log", action="store_true", help="do not log each stream opened")
    args = parser.parse_args()
    # Every open stream is a file descriptor: allow as many as the system does.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    uvicorn.run(
        "live.asgi:application",
        host=args.host,
        port=args.port,
        lifespan="on",
        log_level=args.log_level,
        access_log=not args.no_access_log,
        # Streams never end by themselves: on shutdown, close them after 2 s
        # (clients reconnect to another process or to this one once it is back).
        timeout_graceful_shutdown=2,
    )


if __name__ == "__main__":
    main()
