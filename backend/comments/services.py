from django.db import transaction

from .models import Comment


@transaction.atomic
def comment_create(*, ticket_id: int, body: str, author=None) -> Comment:
    """Store the body exactly as given: it is plain text, never markup."""
    return Comment.objects.create(ticket_id=ticket_id, body=body, author=author)
