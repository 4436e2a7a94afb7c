from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"

    def ready(self):
        # Registers the schema's security schemes and the cache invalidation signals.
        from . import authentication, schema  # noqa: F401
