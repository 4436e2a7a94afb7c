"""The Django admin's sign-in, throttled per client like the API."""

import math

from django.http import HttpResponse
from django.urls import reverse

from .throttles import AdminSignInThrottle


class AdminSignInThrottleMiddleware:
    """Counts sign-in attempts (POSTs to the admin's login page) per client;
    beyond `ADMIN_SIGN_IN_RATE` the attempt is refused with 429 before any
    password is checked, so guessing stays slow whatever the password hasher."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._login_path = None

    def __call__(self, request):
        if request.method == "POST" and request.path == self.login_path:
            throttle = AdminSignInThrottle()
            if not throttle.allow_request(request, None):
                wait = math.ceil(throttle.wait() or 1)
                response = HttpResponse(
                    f"Too many sign-in attempts. Try again in {wait} seconds.\n",
                    status=429,
                    content_type="text/plain; charset=utf-8",
                )
                response["Retry-After"] = str(wait)
                return response
        return self.get_response(request)

    @property
    def login_path(self):
        if self._login_path is None:
            self._login_path = reverse("admin:login")
        return self._login_path
