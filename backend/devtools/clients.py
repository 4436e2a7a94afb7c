"""Test clients shared by the suites."""

import json

from rest_framework.test import APIClient


class StreamReadingAPIClient(APIClient):
    """An APIClient that reads streamed responses (the plain list) whole, so that
    `.json()` and `.getvalue()` work on them as on any other response."""

    def request(self, **kwargs):
        response = super().request(**kwargs)
        if response.streaming:
            body = response.getvalue()
            response.getvalue = lambda: body
            response.json = lambda: json.loads(body)
        return response
