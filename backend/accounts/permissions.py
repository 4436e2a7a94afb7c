"""Who may call what: the one place that decides, for every API view.

`ApiAccess` is the default permission class (settings.REST_FRAMEWORK). With
`API_AUTH=open` everyone may call the ticket API, as the brief shows; with
`required`, only signed-in agents, except the endpoints `PUBLIC_SUBMISSION`
opens to anonymous customers. Views that belong to one agent (their tokens,
sign-out) or to admins name `IsAgent` or `IsAdmin` instead.
"""

from django.conf import settings
from rest_framework.permissions import BasePermission

# (URL name, method) pairs that PUBLIC_SUBMISSION opens to anonymous clients.
PUBLIC_SUBMISSION_ENDPOINTS = {("ticket-list", "POST"), ("ticket-classify", "POST")}


def is_agent(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_admin(user) -> bool:
    return is_agent(user) and user.is_staff


class ApiAccess(BasePermission):
    def has_permission(self, request, view):
        if settings.API_AUTH == "open" or is_agent(request.user):
            return True
        if settings.PUBLIC_SUBMISSION:
            match = request.resolver_match
            return match is not None and (match.url_name, request.method) in PUBLIC_SUBMISSION_ENDPOINTS
        return False


class IsAgent(BasePermission):
    def has_permission(self, request, view):
        return is_agent(request.user)


class IsAdmin(BasePermission):
    message = "Only admins may manage agents."

    def has_permission(self, request, view):
        return is_admin(request.user)
