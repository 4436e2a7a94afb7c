"""The list's query parameters: one choice filter per field, plus search."""

import django_filters
from django.db.models import Q
from rest_framework.exceptions import ValidationError

from .models import Category, Priority, Status, Ticket

SEARCH_MAX_LENGTH = 200
# Each word is one more LIKE over two columns; repeated words count once.
SEARCH_MAX_WORDS = 10


class TicketFilter(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(choices=Category.choices)
    priority = django_filters.ChoiceFilter(choices=Priority.choices)
    status = django_filters.ChoiceFilter(choices=Status.choices)
    search = django_filters.CharFilter(
        method="filter_search",
        max_length=SEARCH_MAX_LENGTH,
        help_text="Case-insensitive text in the title or description. Every word must match "
        f"(at most {SEARCH_MAX_WORDS} different words); % and _ are taken literally.",
    )

    assignee = django_filters.CharFilter(
        method="filter_assignee",
        max_length=20,
        help_text="`me` (the signed-in agent), `none` (unassigned) or an agent's id.",
    )

    class Meta:
        model = Ticket
        fields = ["category", "priority", "status", "search", "assignee"]

    def filter_assignee(self, queryset, name, value):
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        if value == "me":
            user = getattr(self.request, "user", None)
            if user is None or not user.is_authenticated:
                raise ValidationError({"assignee": ['Sign in to use "me", or give an agent\'s id.']})
            return queryset.filter(assignee_id=user.pk)
        if value.isascii() and value.isdigit() and len(value) <= 18:
            return queryset.filter(assignee_id=int(value))
        raise ValidationError({"assignee": ['Give "me", "none" or an agent\'s id.']})

    def filter_search(self, queryset, name, value):
        terms = search_terms(value)
        # icontains escapes % and _ itself, so user input is matched literally.
        for term in terms:
            queryset = queryset.filter(Q(title__icontains=term) | Q(description__icontains=term))
        return queryset


def search_terms(value: str) -> list[str]:
    """The distinct words of a search (case-insensitively), in order; more than
    SEARCH_MAX_WORDS is a 400 naming the parameter."""
    terms = list({term.casefold(): term for term in reversed(value.split())}.values())[::-1]
    if len(terms) > SEARCH_MAX_WORDS:
        raise ValidationError(
            {"search": [f"Use at most {SEARCH_MAX_WORDS} different words (got {len(terms)})."]}
        )
    return terms
