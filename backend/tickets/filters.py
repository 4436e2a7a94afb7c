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

    class Meta:
        model = Ticket
        fields = ["category", "priority", "status", "search"]

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
