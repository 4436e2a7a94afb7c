"""The `seed_tickets` demo data command (`make seed`)."""

import math
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from tickets.models import Category, Priority, Status, Ticket
from tickets.tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_tickets", *args, stdout=out)
    return out.getvalue()


def test_seed_creates_300_tickets_by_default_within_the_past_60_days():
    before = timezone.now()
    seed("--seed", "7")
    after = timezone.now()

    assert Ticket.objects.count() == 300
    oldest = Ticket.objects.order_by("created_at").first().created_at
    newest = Ticket.objects.order_by("-created_at").first().created_at
    assert oldest >= before - timedelta(days=60)
    assert newest <= after
    # Spread over the period, not bunched on one day.
    assert oldest < before - timedelta(days=40)
    assert newest > before - timedelta(days=3)


def test_seed_covers_every_category_priority_and_status():
    seed("--seed", "7")

    for field, choices in (("category", Category), ("priority", Priority), ("status", Status)):
        seen = set(Ticket.objects.values_list(field, flat=True).distinct())
        assert seen == set(choices.values), field


def test_seed_resolves_older_tickets_more_often_than_recent_ones():
    seed("--seed", "7", "--count", "600")
    now = timezone.now()
    done = [Status.RESOLVED, Status.CLOSED]

    def done_share(tickets):
        total = tickets.count()
        return tickets.filter(status__in=done).count() / total

    recent = Ticket.objects.filter(created_at__gt=now - timedelta(days=3))
    old = Ticket.objects.filter(created_at__lt=now - timedelta(days=21))
    assert done_share(old) > 0.8
    assert done_share(recent) < 0.5


def test_seed_gives_realistic_varied_wording():
    seed("--seed", "7")

    titles = set(Ticket.objects.values_list("title", flat=True))
    descriptions = set(Ticket.objects.values_list("description", flat=True))
    assert len(titles) > 40
    assert len(descriptions) > 100
    assert not any("{" in title for title in titles)
    assert not Ticket.objects.filter(description__contains="{").exists()
    assert all(len(title) <= 200 for title in titles)


def test_seed_respects_count_and_days():
    now = timezone.now()
    seed("--count", "25", "--days", "5")

    assert Ticket.objects.count() == 25
    assert not Ticket.objects.filter(created_at__lt=now - timedelta(days=5)).exists()


def test_seed_adds_nothing_when_tickets_exist():
    make_ticket(title="A real ticket")

    output = seed()

    assert Ticket.objects.count() == 1
    assert "already holds 1 tickets; nothing added" in output


def test_seed_twice_keeps_the_first_set():
    seed("--count", "10")
    seed("--count", "10")

    assert Ticket.objects.count() == 10


def test_seed_append_adds_to_existing_tickets():
    make_ticket(title="A real ticket")

    seed("--count", "10", "--append")

    assert Ticket.objects.count() == 11
    assert Ticket.objects.filter(title="A real ticket").exists()


def test_seed_clear_replaces_existing_tickets():
    make_ticket(title="A real ticket")

    output = seed("--count", "10", "--clear")

    assert Ticket.objects.count() == 10
    assert not Ticket.objects.filter(title="A real ticket").exists()
    assert "Deleted 1 tickets." in output


def test_seed_clear_and_append_cannot_be_combined():
    with pytest.raises(CommandError):
        seed("--clear", "--append")


@pytest.mark.parametrize("args", [("--count", "0"), ("--days", "0")])
def test_seed_refuses_empty_ranges(args):
    with pytest.raises(CommandError, match="at least 1"):
        seed(*args)
    assert Ticket.objects.count() == 0


def test_seed_is_repeatable_with_a_seed():
    seed("--seed", "3", "--count", "40")
    first = list(Ticket.objects.order_by("id").values_list("title", "category", "priority", "status"))

    seed("--seed", "3", "--count", "40", "--clear")
    second = list(Ticket.objects.order_by("id").values_list("title", "category", "priority", "status"))

    assert first == second


def test_seed_inserts_in_batches(django_assert_max_num_queries):
    # 1,200 tickets: a count, a few INSERTs and the transaction, not one query per ticket.
    # SQLite caps the variables of one statement, so its batches are smaller.
    fields = [f for f in Ticket._meta.concrete_fields if not f.primary_key]
    batch = min(500, connection.ops.bulk_batch_size(fields, [None] * 1200))
    with django_assert_max_num_queries(math.ceil(1200 / batch) + 5):
        seed("--count", "1200")

    assert Ticket.objects.count() == 1200


def test_seeded_tickets_feed_the_statistics(api):
    seed("--seed", "7")

    stats = api.get("/api/tickets/stats/").json()

    assert stats["total_tickets"] == 300
    assert stats["open_tickets"] == Ticket.objects.filter(status=Status.OPEN).count() > 0
    assert sum(stats["category_breakdown"].values()) == 300
    assert stats["avg_tickets_per_day"] > 3
    by_priority = dict(Ticket.objects.values_list("priority").annotate(n=Count("id")))
    assert stats["priority_breakdown"] == {p: by_priority.get(p, 0) for p in Priority.values}
