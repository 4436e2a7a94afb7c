"""Mixed traffic for the ticket API: create, list, patch, stats and classify.

Each simulated client patches only the tickets it created, so the last PATCH it
saw acknowledged is the state the database must hold at the end. Every 201 and
every acknowledged PATCH is written to LOAD_RECORD (JSON lines) for run.py to
check against the database, and the count of each status to LOAD_RECORD.statuses.json.
"""

import json
import os
import random
from collections import Counter

from locust import FastHttpUser, between, events, task

CATEGORIES = ["billing", "technical", "account", "general"]
PRIORITIES = ["low", "medium", "high", "critical"]
STATUSES = ["open", "in_progress", "resolved", "closed"]
WORDS = [
    "login",
    "invoice",
    "refund",
    "error",
    "crash",
    "password",
    "outage",
    "slow",
    "charged",
    "export",
    "report",
    "timeout",
]

RECORD_PATH = os.environ.get("LOAD_RECORD", "load-record.jsonl")
# The brief's plain array returns every ticket: its cost grows with the table.
PLAIN_LIST = os.environ.get("LOAD_PLAIN_LIST", "1") == "1"
# Open for the whole run: every user appends to it, and locust exits the process at the end.
record = open(RECORD_PATH, "a", encoding="utf-8")  # noqa: SIM115
statuses = Counter()


@events.request.add_listener
def count_status(request_type, name, response_length, response=None, exception=None, **kwargs):
    code = getattr(response, "status_code", 0) or 0
    statuses[f"{code // 100}xx" if code else "no answer"] += 1
    statuses[str(code)] += 1


@events.test_stop.add_listener
def write_statuses(**kwargs):
    record.flush()
    with open(RECORD_PATH + ".statuses.json", "w", encoding="utf-8") as out:
        json.dump(statuses, out)


def sentence(n: int) -> str:
    return " ".join(random.choice(WORDS) for _ in range(n))


class TicketClient(FastHttpUser):
    wait_time = between(0.05, 0.3)

    def on_start(self):
        self.mine = []

    def check(self, response, expected):
        if response.status_code != expected:
            response.failure(f"HTTP {response.status_code}: {response.text[:200]}")
            return False
        return True

    @task(3)
    def create(self):
        ticket = {
            "title": f"{sentence(3)} #{random.randrange(10**9)}"[:200],
            "description": sentence(random.randint(5, 60)) + " \u00e9\u4e2d\u2603",
            "category": random.choice(CATEGORIES),
            "priority": random.choice(PRIORITIES),
        }
        with self.client.post("/api/tickets/", json=ticket, name="create", catch_response=True) as response:
            if self.check(response, 201):
                body = response.json()
                self.mine.append(body["id"])
                record.write(json.dumps({"kind": "create", "id": body["id"], **ticket}) + "\n")

    @task(4)
    def browse(self):
        query = random.choice(
            [
                *([""] if PLAIN_LIST else []),
                "?limit=20",
                "?limit=20&offset=40",
                "?page_size=25",
                "?status=open&page_size=10",
                f"?category={random.choice(CATEGORIES)}&limit=10",
                f"?search={random.choice(WORDS)}&limit=10",
                f"?priority={random.choice(PRIORITIES)}&search={random.choice(WORDS)}&page_size=10",
            ]
        )
        with self.client.get(f"/api/tickets/{query}", name="list", catch_response=True) as response:
            if self.check(response, 200) and "page_size" in query:
                following = response.json()["next"]
                if following:
                    path = following.split("://", 1)[-1].split("/", 1)[-1]
                    self.client.get("/" + path, name="list (next page)")

    @task(2)
    def patch(self):
        if not self.mine:
            return
        ticket_id = random.choice(self.mine)
        change = {"status": random.choice(STATUSES)}
        if random.random() < 0.3:
            change["priority"] = random.choice(PRIORITIES)
        with self.client.patch(
            f"/api/tickets/{ticket_id}/", json=change, name="patch", catch_response=True
        ) as response:
            if self.check(response, 200):
                record.write(json.dumps({"kind": "patch", "id": ticket_id, **change}) + "\n")

    @task(2)
    def stats(self):
        with self.client.get("/api/tickets/stats/", name="stats", catch_response=True) as response:
            self.check(response, 200)

    @task(1)
    def classify(self):
        description = f"{sentence(8)} {random.randrange(10**6)}"
        with self.client.post(
            "/api/tickets/classify/", json={"description": description}, name="classify", catch_response=True
        ) as response:
            if self.check(response, 200):
                body = response.json()
                if (
                    body["suggested_category"] not in CATEGORIES
                    or body["suggested_priority"] not in PRIORITIES
                ):
                    response.failure(f"bad suggestion: {body}")
