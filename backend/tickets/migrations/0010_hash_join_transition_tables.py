"""The daily counts' trigger joins a bulk change's old and new rows by hash,
whatever plan its connection kept (config.migration_ops)."""

from django.db import migrations

from config.migration_ops import join_transition_tables_by_hash


class Migration(migrations.Migration):
    dependencies = [("tickets", "0009_ticket_median_cache")]

    operations = [join_transition_tables_by_hash("ticket_daily_apply")]
