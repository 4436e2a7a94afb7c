import pytest

from live.models import Event


@pytest.fixture
def events(transactional_db):
    """Reads the committed events, newest last, from a clean outbox."""
    Event.objects.all().delete()

    def committed(**filters):
        return list(Event.objects.filter(position__isnull=False, **filters).order_by("position"))

    return committed
