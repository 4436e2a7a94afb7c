"""One process's fan-out: a single reader of the outbox hands each new event,
encoded once, to every open stream's queue.

The reader wakes on PostgreSQL's NOTIFY, received on one LISTEN connection per
process (DATABASE_DIRECT_URL if set, else the main database connection: a
transaction-pooling proxy would drop LISTEN), and also looks every
LIVE_POLL_SECONDS in case a notification was missed (while reconnecting) or
there is none to get (SQLite). Database work runs in a small thread pool, never
in the event loop.
"""

import asyncio
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import psycopg2
from django.conf import settings
from django.db import close_old_connections, connection

from .selectors import event_head, events_after
from .services import event_prune
from .triggers import NOTIFY_CHANNEL

logger = logging.getLogger(__name__)

CLOSE = object()
KEEP_ALIVE = b": keep-alive\n\n"
PRUNE_EVERY_SECONDS = 60
BATCH = 500
# After a quiet spell an event waits this long for the commits that follow it.
COALESCE_SECONDS = 0.02
# While events keep coming, reads are never further apart than this.
MAX_BATCH_SECONDS = 1.0


class Subscriber:
    """An open stream: a queue of lists of (position, bytes), position None for
    comments, and how many such items wait in it. Events at or before `after`
    are not sent (the client has them)."""

    __slots__ = ("queue", "closed", "after", "pending")

    def __init__(self):
        self.queue: asyncio.Queue = asyncio.Queue()
        self.closed = False
        self.after = 0
        self.pending = 0

    def put(self, items: list) -> None:
        if not self.closed:
            self.pending += len(items)
            self.queue.put_nowait(items)

    async def take(self) -> list:
        """Everything queued (waiting for something first), CLOSE included."""
        batches = [await self.queue.get()]
        while not self.queue.empty():
            batches.append(self.queue.get_nowait())
        items = []
        for batch in batches:
            if batch is CLOSE:
                items.append(CLOSE)
            else:
                self.pending -= len(batch)
                items.extend(batch)
        return items

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.queue.put_nowait(CLOSE)


class Hub:
    def __init__(self):
        self.subscribers: set[Subscriber] = set()
        self.head = 0
        self.pool = ThreadPoolExecutor(max_workers=settings.LIVE_THREADS, thread_name_prefix="live-db")
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task] = []
        self._listen_conn = None

    async def run_sync(self, function, *args, **kwargs):
        """Run database code in the pool, with Django's per-request connection hygiene."""
        return await asyncio.get_running_loop().run_in_executor(
            self.pool, partial(_with_fresh_connection, function, *args, **kwargs)
        )

    async def start(self) -> None:
        while True:
            try:
                self.head = await self.run_sync(event_head)
                break
            except Exception as exc:  # the database is not up yet
                logger.warning("event stream: waiting for the database (%s)", type(exc).__name__)
                await asyncio.sleep(1)
        self._tasks = [
            asyncio.create_task(self._dispatch_forever(), name="live-dispatch"),
            asyncio.create_task(self._heartbeat_forever(), name="live-heartbeat"),
            asyncio.create_task(self._prune_forever(), name="live-prune"),
        ]
        if connection.vendor == "postgresql":
            self._tasks.append(asyncio.create_task(self._listen_forever(), name="live-listen"))
        logger.info("event stream: ready at event %s", self.head)

    async def stop(self) -> None:
        for subscriber in list(self.subscribers):
            subscriber.close()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._close_listener()
        # Each pool thread closes its own database connection before the pool ends.
        barrier = threading.Barrier(settings.LIVE_THREADS)
        closing = [
            asyncio.wrap_future(self.pool.submit(_close_connection, barrier))
            for _ in range(settings.LIVE_THREADS)
        ]
        await asyncio.gather(*closing, return_exceptions=True)
        self.pool.shutdown(wait=False, cancel_futures=True)

    def subscribe(self) -> tuple[Subscriber, int]:
        """A new subscriber and the position after which its queue receives
        events (taken in the same step, so nothing falls in between)."""
        subscriber = Subscriber()
        self.subscribers.add(subscriber)
        return subscriber, self.head

    def unsubscribe(self, subscriber: Subscriber) -> None:
        self.subscribers.discard(subscriber)

    def publish(self, items: list[tuple[int | None, bytes]]) -> None:
        """Hand `items` (position, bytes), in order, to every open stream at once."""
        limit = settings.LIVE_QUEUE_LIMIT
        for subscriber in self.subscribers:
            if subscriber.pending >= limit:
                # Too slow to keep up: it reconnects with Last-Event-ID and catches up.
                subscriber.close()
            else:
                subscriber.put(items)

    def batch_seconds(self) -> float:
        """How long to wait, after a read, before the next one while events keep
        coming: each read ends in one write to every open stream, and those
        writes stay within LIVE_WRITES_PER_SECOND (so at most a second apart)."""
        return min(
            MAX_BATCH_SECONDS, max(COALESCE_SECONDS, len(self.subscribers) / settings.LIVE_WRITES_PER_SECOND)
        )

    async def _dispatch_forever(self) -> None:
        loop = asyncio.get_running_loop()
        last = float("-inf")
        while True:
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=settings.LIVE_POLL_SECONDS)
            except TimeoutError:
                pass
            self._wake.clear()
            # Let the commits of the next moments join this read: a few
            # milliseconds after a quiet spell; while events keep coming, one
            # read per batch_seconds(). Every write to every open stream costs
            # CPU that the API shares (tens of microseconds each on loopback),
            # so with many streams open fewer, larger writes are cheaper.
            await asyncio.sleep(max(COALESCE_SECONDS, last + self.batch_seconds() - loop.time()))
            last = loop.time()
            try:
                await self._dispatch_new()
            except Exception as exc:
                logger.warning("event stream: could not read new events (%s); retrying", type(exc).__name__)
                await asyncio.sleep(1)

    async def _dispatch_new(self) -> None:
        while True:
            events, read_to = await self.run_sync(events_after, position=self.head, limit=BATCH)
            if events:
                self.publish([(event.position, event.encode()) for event in events])
            if read_to == self.head:
                return
            self.head = read_to

    async def _heartbeat_forever(self) -> None:
        while True:
            await asyncio.sleep(settings.LIVE_HEARTBEAT_SECONDS)
            self.publish([(None, KEEP_ALIVE)])

    async def _prune_forever(self) -> None:
        while True:
            try:
                deleted = await self.run_sync(event_prune)
                if deleted:
                    logger.info("event stream: forgot %s events older than the retention", deleted)
            except Exception as exc:
                logger.warning("event stream: pruning failed (%s)", type(exc).__name__)
            await asyncio.sleep(PRUNE_EVERY_SECONDS)

    async def _listen_forever(self) -> None:
        loop = asyncio.get_running_loop()
        delay = 0.5
        while True:
            try:
                conn = await loop.run_in_executor(self.pool, _listen_connection)
            except psycopg2.Error as exc:
                logger.warning("event stream: LISTEN connection failed (%s); retrying", type(exc).__name__)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10)
                continue
            delay = 0.5
            self._listen_conn = conn
            lost = asyncio.Event()

            def readable(conn=conn, lost=lost):
                try:
                    conn.poll()
                except psycopg2.Error:
                    lost.set()
                    return
                if conn.notifies:
                    conn.notifies.clear()
                    self._wake.set()

            loop.add_reader(conn.fileno(), readable)
            self._wake.set()  # catch up with anything committed while not listening
            try:
                await lost.wait()
                logger.warning("event stream: LISTEN connection lost; reconnecting")
            finally:
                loop.remove_reader(conn.fileno())
                self._close_listener()

    def _close_listener(self) -> None:
        if self._listen_conn is not None:
            try:
                self._listen_conn.close()
            except psycopg2.Error:
                pass
            self._listen_conn = None


def _with_fresh_connection(function, *args, **kwargs):
    close_old_connections()
    try:
        return function(*args, **kwargs)
    finally:
        close_old_connections()


def _close_connection(barrier: threading.Barrier) -> None:
    try:
        barrier.wait(timeout=2)
    except threading.BrokenBarrierError:
        pass
    connection.close()


def _listen_connection():
    """A direct connection in autocommit, listening on the events channel."""
    keepalive = {"keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10, "keepalives_count": 3}
    if settings.DATABASE_DIRECT_URL:
        conn = psycopg2.connect(settings.DATABASE_DIRECT_URL, connect_timeout=5, **keepalive)
    else:
        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        conn = psycopg2.connect(**params, **keepalive)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(f"LISTEN {NOTIFY_CHANNEL}")
    return conn
