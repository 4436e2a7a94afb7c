from django.apps import AppConfig


class TicketsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tickets"

    def ready(self):
        from django.conf import settings

        from config import caches, db

        db.install()
        caches.install(settings.CACHES)
