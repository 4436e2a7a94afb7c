"""The list's query parameters: one choice filter per field, plus search."""

import django_filters
from django.db.models import Q

from .models import Category, Priority, Status, Ticket

SEARCH_MAX_LENGTH = 200


class TicketFilter(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(choices=Category.choices)
    priority = django_filters.ChoiceFilter(choices=Priority.choices)
    status = django_filters.ChoiceFilter(choices=Status.choices)
    search = django_filters.CharFilter(
        method="filter_search",
        max_length=SEARCH_MAX_LENGTH,
        help_text="Case-insensitive text in the title or description. Every word must match; "
        "% and _ are taken literally.",
    )

    class Meta:
        model = Ticket
        fields = ["category", "priority", "status", "search"]

    def filter_search(self, queryset, name, value):
        # icontains escapes % and _ itself, so user input is matched literally.
        for term in value.split():
            queryset = queryset.filter(Q(title__icontains=term) | Q(description__icontains=term))
        return queryset
