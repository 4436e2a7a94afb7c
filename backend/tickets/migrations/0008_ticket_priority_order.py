"""The index behind `?ordering=-priority`: the priority's rank (critical 0 …
low 3), then the creation time and id, oldest first. An expression index, so
no column is added and no row rewritten; built concurrently, so writes go on
while it is built (hence not atomic)."""

import importlib

from django.db import migrations, models
from django.db.models import Case, IntegerField, Value, When

AddIndexConcurrentlyWhereSupported = importlib.import_module(
    "tickets.migrations.0007_ticket_updated_at"
).AddIndexConcurrentlyWhereSupported

RANKS = (("critical", 0), ("high", 1), ("medium", 2), ("low", 3))


def rank():
    return Case(
        *(When(priority=value, then=Value(number)) for value, number in RANKS),
        default=Value(4),
        output_field=IntegerField(),
    )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("tickets", "0007_ticket_updated_at")]

    operations = [
        AddIndexConcurrentlyWhereSupported(
            model_name="ticket",
            index=models.Index(rank(), "created_at", "id", name="ticket_priority_rank_idx"),
        ),
    ]
