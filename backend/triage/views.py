"""The triage API: similar tickets and how the suggestions fared."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from .selectors import SIMILAR_TEXT_MAX_CHARS, similar_tickets, triage_stats
from .serializers import (
    MAX_DAYS,
    SimilarQuerySerializer,
    SimilarTicketSerializer,
    TriageStatsQuerySerializer,
    TriageStatsSerializer,
)

SIMILAR_LIMIT = 5
BAD_QUERY = OpenApiResponse(description="A missing or invalid query parameter, named in the body.")


class SimilarTicketsView(APIView):
    @extend_schema(
        summary="Past tickets similar to a text",
        description="Up to 5 tickets, best first, each with a score in (0, 1].",
        parameters=[
            OpenApiParameter(
                "text",
                {"type": "string", "minLength": 1, "maxLength": SIMILAR_TEXT_MAX_CHARS},
                required=True,
                description="The text to compare, e.g. the description being typed.",
            )
        ],
        responses={200: SimilarTicketSerializer(many=True), 400: BAD_QUERY},
    )
    def get(self, request):
        query = SimilarQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = similar_tickets(text=query.validated_data["text"], limit=SIMILAR_LIMIT)
        for row in rows:
            row["score"] = round(row["score"], 3)
        return Response(SimilarTicketSerializer(rows, many=True).data)


class TriageStatsView(APIView):
    @extend_schema(
        summary="How the AI suggestions fared",
        description="Suggestions of the last `days` days (default 30): acceptance at creation, "
        "agreement with the tickets' current labels, confusion matrices, fallback rate, latency "
        "and tokens, overall, by source and by model.",
        parameters=[
            OpenApiParameter(
                "days",
                {"type": "integer", "minimum": 1, "maximum": MAX_DAYS},
                description="How many days back (default 30).",
            )
        ],
        responses={200: TriageStatsSerializer, 400: BAD_QUERY},
    )
    def get(self, request):
        # A plain dict: from a QueryDict DRF would read `?days=` as "not given".
        query = TriageStatsQuerySerializer(data=dict(request.query_params.items()))
        query.is_valid(raise_exception=True)
        return Response(triage_stats(days=query.validated_data.get("days", 30)))
