from django.apps import AppConfig


class LimitsConfig(AppConfig):
    """What keeps one client, or all of them together, from costing too much:
    the LLM's daily budget, the request throttles and their cache, and the
    admin sign-in throttle."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "limits"
