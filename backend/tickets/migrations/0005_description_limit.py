"""`description` holds at most 50,000 characters, in the database too.

On PostgreSQL the CHECK constraint is added NOT VALID (a brief lock, no scan),
then validated in a separate step: VALIDATE CONSTRAINT scans the table under a
SHARE UPDATE EXCLUSIVE lock, which lets reads and writes go on. The migration
is not atomic so that the two steps are separate transactions. Other databases
add the constraint the usual way.
"""

import django.db.models.functions.text
import django.db.models.lookups
from django.db import migrations, models

NAME = "ticket_description_max_length"
LIMIT = 50_000


def constraint():
    return models.CheckConstraint(
        condition=django.db.models.lookups.LessThanOrEqual(
            django.db.models.functions.text.Length("description"), LIMIT
        ),
        name=NAME,
    )


def add_not_valid(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE tickets_ticket ADD CONSTRAINT {NAME} "
            f"CHECK (char_length(description) <= {LIMIT}) NOT VALID"
        )
    else:
        schema_editor.add_constraint(apps.get_model("tickets", "Ticket"), constraint())


def validate(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE tickets_ticket VALIDATE CONSTRAINT {NAME}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE tickets_ticket DROP CONSTRAINT IF EXISTS {NAME}")
    else:
        schema_editor.remove_constraint(apps.get_model("tickets", "Ticket"), constraint())


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("tickets", "0004_ticket_tally")]

    operations = [
        migrations.AlterField(
            model_name="ticket",
            name="description",
            field=models.TextField(max_length=LIMIT),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddConstraint(model_name="ticket", constraint=constraint())],
            database_operations=[
                migrations.RunPython(add_not_valid, drop),
                migrations.RunPython(validate, migrations.RunPython.noop),
            ],
        ),
    ]
