"""The ticket events' trigger joins a change's old and new rows by hash,
whatever plan its connection kept (config.migration_ops)."""

from django.db import migrations

from config.migration_ops import join_transition_tables_by_hash


class Migration(migrations.Migration):
    dependencies = [("live", "0002_comment_events")]

    operations = [join_transition_tables_by_hash("live_ticket_events")]
