from django.db.models import QuerySet

from .models import Comment


def ticket_comments(*, ticket_id: int) -> QuerySet[Comment]:
    """A ticket's comments, oldest first."""
    return Comment.objects.filter(ticket_id=ticket_id).select_related("author").order_by("id")


def comments_by_ids(ids) -> QuerySet[Comment]:
    """The comments with these ids (those that still exist), with their authors."""
    return Comment.objects.filter(pk__in=ids).select_related("author")
