"""`comment.created` events: on PostgreSQL a trigger on the comments table
writes the outbox (see live/triggers.py); SQLite's triggers are installed after
every migrate, from the current models."""

from django.db import migrations

from live.triggers import drop_postgresql_comment_triggers, install_postgresql_comment_triggers


class Migration(migrations.Migration):
    dependencies = [("live", "0001_event_outbox"), ("comments", "0001_initial")]

    operations = [migrations.RunPython(install_postgresql_comment_triggers, drop_postgresql_comment_triggers)]
