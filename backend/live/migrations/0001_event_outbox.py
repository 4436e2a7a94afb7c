"""The outbox of changes (`live_event`) and, on PostgreSQL, the triggers that
write and number it (see live/triggers.py). SQLite's triggers are installed
after every migrate, from the current models."""

import django.db.models.functions.datetime
from django.db import migrations, models

from live.triggers import drop_postgresql_triggers, install_postgresql_triggers


class Migration(migrations.Migration):
    initial = True

    dependencies = [("tickets", "0004_ticket_tally")]

    operations = [
        migrations.CreateModel(
            name="Event",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.BigIntegerField(null=True, unique=True)),
                ("kind", models.CharField(max_length=40)),
                ("subject_id", models.BigIntegerField(null=True)),
                ("detail", models.JSONField(default=dict)),
                (
                    "created_at",
                    models.DateTimeField(db_default=django.db.models.functions.datetime.Now(), db_index=True),
                ),
            ],
            options={"db_table": "live_event"},
        ),
        migrations.RunPython(install_postgresql_triggers, drop_postgresql_triggers),
    ]
