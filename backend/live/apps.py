from django.apps import AppConfig
from django.db.models.signals import post_migrate


class LiveConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "live"
    verbose_name = "Live updates"

    def ready(self):
        from .triggers import install_sqlite_triggers

        # SQLite triggers name every column, so they are rebuilt from the
        # models after each migrate: a field added later is covered too.
        post_migrate.connect(install_sqlite_triggers, dispatch_uid="live.install_sqlite_triggers")
