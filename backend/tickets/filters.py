"""The list's query parameters: one choice filter per field, plus search."""

import copy

import django_filters
from django.db.models import Q
from django_filters.constants import EMPTY_VALUES
from rest_framework.exceptions import ValidationError

from .models import Category, Priority, Status, Ticket

SEARCH_MAX_LENGTH = 200
# Each word is one more LIKE over two columns; repeated words count once.
SEARCH_MAX_WORDS = 10


class _SharedFields(dict):
    """A form's base fields that its instances share instead of deep-copying."""

    def __deepcopy__(self, memo):
        return dict(self)


class PreparedFilterSet(django_filters.FilterSet):
    """A FilterSet whose form class is built once per class, not per request.

    django-filter deep-copies every filter, builds a form class from them and
    deep-copies that form's fields on each request, which costs more than the
    query it filters. Here the filters are copied shallowly (a method filter is
    re-bound to its copy, so it calls this FilterSet), and the form class, built
    once, lets its instances share its fields: they only validate query
    parameters, and nothing changes a field per request.
    """

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or django_filters.filterset.QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {}
        for name, base in self.base_filters.items():
            filter_ = copy.copy(base)
            if filter_.method is not None:
                filter_.method = filter_.method
            filter_.model = queryset.model
            filter_.parent = self
            self.filters[name] = filter_

    def filter_queryset(self, queryset):
        """Equality filters go into one `filter()` (one copy of the query
        rather than one per filter, same WHERE); method filters follow."""
        plain, others = [], []
        for name, value in self.form.cleaned_data.items():
            filter_ = self.filters[name]
            if _is_plain(filter_, value):
                if value not in EMPTY_VALUES:
                    plain.append((f"{filter_.field_name}__{filter_.lookup_expr}", value))
            else:
                others.append((filter_, value))
        if plain:
            queryset = queryset.filter(Q(*plain))
        for filter_, value in others:
            queryset = filter_.filter(queryset, value)
        return queryset

    def get_form_class(self):
        cls = type(self)
        form_class = cls.__dict__.get("_prepared_form_class")
        if form_class is None:
            fields = {name: filter_.field for name, filter_ in self.base_filters.items()}
            form_class = type(f"{cls.__name__}Form", (self._meta.form,), fields)
            form_class.base_fields = _SharedFields(form_class.base_fields)
            cls._prepared_form_class = form_class
        return form_class


def _is_plain(filter_, value) -> bool:
    """Whether the filter is django-filter's own `field__lookup = value`."""
    return (
        type(filter_).filter in (django_filters.Filter.filter, django_filters.ChoiceFilter.filter)
        and filter_.method is None
        and not filter_.distinct
        and not filter_.exclude
        and value != getattr(filter_, "null_value", None)
    )


class TicketFilter(PreparedFilterSet):
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


# The filters a keyset page can apply without the FilterSet: one equality each.
CHOICE_FILTERS = {"category": Category.values, "priority": Priority.values, "status": Status.values}
CHOICE_FREE = ("search", "assignee")


def choice_filters(params) -> dict[str, str] | None:
    """The list's filters as `{field: value}` when they are only valid
    category, priority and status values (an empty one is no filter, as in
    TicketFilter), which TicketFilter would apply as one equality each in this
    order; None when the query needs the FilterSet (a search, an assignee, a
    value it would refuse with its own error)."""
    if any(params.get(name) for name in CHOICE_FREE):
        return None
    filters = {}
    for name, choices in CHOICE_FILTERS.items():
        value = params.get(name)
        if value:
            if value not in choices:
                return None
            filters[name] = value
    return filters


def search_terms(value: str) -> list[str]:
    """The distinct words of a search (case-insensitively), in order; more than
    SEARCH_MAX_WORDS is a 400 naming the parameter."""
    terms = list({term.casefold(): term for term in reversed(value.split())}.values())[::-1]
    if len(terms) > SEARCH_MAX_WORDS:
        raise ValidationError(
            {"search": [f"Use at most {SEARCH_MAX_WORDS} different words (got {len(terms)})."]}
        )
    return terms
