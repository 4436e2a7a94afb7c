"""Writes: record every classify answer; link a ticket to the suggestion it came from."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from tickets import llm_service
from tickets.models import Ticket
from tickets.services import ticket_create

from .models import Source, Suggestion
from .selectors import similar_tickets, similar_vote

SIMILAR_NOTE = "Suggested from similar past tickets (LLM unavailable)"
# A `similar` answer needs at least this many similar labelled tickets to vote...
SIMILAR_MIN_VOTES = 2
SIMILAR_VOTERS = 7
# ...each sharing at least this share of the description's distinctive words.
SIMILAR_MIN_SCORE = 0.1
# Examples shown to the LLM must share at least this much with the description.
EXAMPLE_MIN_SCORE = 0.1
NOTES = {Source.DEFAULT: llm_service.FALLBACK_NOTE, Source.SIMILAR: SIMILAR_NOTE}


def suggestion_create(*, description: str) -> Suggestion:
    """Classify a description and record the answer.

    With a key, up to CLASSIFY_EXAMPLES similar past tickets go to the LLM as
    examples. Without a usable LLM answer, CLASSIFY_FALLBACK=similar answers
    with a vote of similar labelled tickets when enough of them exist;
    otherwise, and by default, the brief's defaults."""
    fallback_similar = settings.CLASSIFY_FALLBACK == "similar"
    examples = []
    if settings.OPENAI_API_KEY and settings.CLASSIFY_EXAMPLES:
        examples = [
            llm_service.Example(f"{row['title']}\n{row['description']}", row["category"], row["priority"])
            for row in similar_tickets(
                text=description, limit=settings.CLASSIFY_EXAMPLES, min_score=EXAMPLE_MIN_SCORE
            )
        ]
    answer = llm_service.classify_description(description=description, examples=examples)
    if answer.source == Source.DEFAULT and fallback_similar:
        answer = _similar_answer(description, answer)
    return Suggestion.objects.create(
        category=answer.category,
        priority=answer.priority,
        source=answer.source,
        model=answer.model if answer.source == Source.LLM else "",
        fallback_reason=answer.fallback_reason,
        cached=answer.cached,
        latency_ms=answer.latency_ms,
        prompt_tokens=answer.prompt_tokens,
        completion_tokens=answer.completion_tokens,
        examples=answer.examples,
    )


def _similar_answer(description: str, fallback: llm_service.Suggestion) -> llm_service.Suggestion:
    started = timezone.now()
    neighbours = similar_tickets(text=description, limit=SIMILAR_VOTERS, min_score=SIMILAR_MIN_SCORE)
    vote = similar_vote(neighbours=neighbours, min_votes=SIMILAR_MIN_VOTES)
    elapsed_ms = (timezone.now() - started).total_seconds() * 1000
    if vote is None:
        return replace(fallback, latency_ms=round(fallback.latency_ms + elapsed_ms, 1))
    return replace(
        fallback,
        category=vote[0],
        priority=vote[1],
        note=SIMILAR_NOTE,
        source=Source.SIMILAR.value,
        latency_ms=round(fallback.latency_ms + elapsed_ms, 1),
        examples=len(neighbours),
    )


def suggestion_response(suggestion: Suggestion) -> dict:
    """The brief's classify body, plus `suggestion_id` and `source`."""
    body = {"suggested_category": suggestion.category, "suggested_priority": suggestion.priority}
    note = NOTES.get(suggestion.source)
    if note:
        body["note"] = note
    body["suggestion_id"] = suggestion.pk
    body["source"] = suggestion.source
    return body


@transaction.atomic
def ticket_create_from_suggestion(*, suggestion_id: int | None = None, **fields) -> Ticket:
    """Create a ticket and link it to the suggestion the form showed, once.

    An unknown, already used or expired suggestion is a 400 naming
    `suggestion_id`, and nothing is written."""
    suggestion = None
    if suggestion_id is not None:
        suggestion = Suggestion.objects.select_for_update().filter(pk=suggestion_id).first()
        if suggestion is None:
            raise ValidationError({"suggestion_id": ["Unknown suggestion."]})
        if suggestion.linked_at is not None:
            raise ValidationError({"suggestion_id": ["This suggestion is already linked to a ticket."]})
        max_age = timedelta(seconds=settings.TRIAGE_SUGGESTION_MAX_AGE_SECONDS)
        if suggestion.created_at < timezone.now() - max_age:
            raise ValidationError({"suggestion_id": ["This suggestion has expired."]})
    ticket = ticket_create(**fields)
    if suggestion is not None:
        suggestion.ticket = ticket
        suggestion.linked_at = timezone.now()
        suggestion.created_category = suggestion.current_category = ticket.category
        suggestion.created_priority = suggestion.current_priority = ticket.priority
        suggestion.save(
            update_fields=[
                "ticket",
                "linked_at",
                "created_category",
                "created_priority",
                "current_category",
                "current_priority",
            ]
        )
    return ticket
