"""The LLM's daily usage, and the throttles' own cache table."""

from django.core.management import call_command
from django.db import migrations, models


def create_cache_tables(apps, schema_editor):
    # Creates every configured cache table that is missing (here: throttle_cache).
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_throttle_cache(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name('throttle_cache')}")


class Migration(migrations.Migration):
    initial = True

    dependencies = [("tickets", "0002_cache_table")]

    operations = [
        migrations.CreateModel(
            name="LLMUsage",
            fields=[
                ("day", models.DateField(primary_key=True, serialize=False)),
                ("calls", models.PositiveIntegerField(default=0)),
                ("tokens", models.PositiveBigIntegerField(default=0)),
            ],
            options={"verbose_name": "LLM usage", "verbose_name_plural": "LLM usage"},
        ),
        migrations.RunPython(create_cache_tables, drop_throttle_cache),
    ]
