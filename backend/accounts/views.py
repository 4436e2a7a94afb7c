"""Sign-in for the app, tokens for scripts, and the agents list."""

from django.contrib.auth import authenticate, login, logout
from django.core.exceptions import ValidationError as DjangoValidationError
from django.middleware.csrf import get_token
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.authentication import CSRFCheck
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from tickets.serializers import DetailSerializer

from . import services
from .authentication import SessionAuthentication
from .permissions import IsAdmin, IsAgent
from .selectors import agent_list, token_list
from .serializers import (
    AgentCreateSerializer,
    AgentSerializer,
    AgentUpdateSerializer,
    CsrfSerializer,
    LoginSerializer,
    NewTokenSerializer,
    SignedInSerializer,
    TokenCreateSerializer,
    TokenSerializer,
)
from .throttles import LoginAddressThrottle, LoginUsernameThrottle

WRONG_CREDENTIALS = {"detail": "Wrong username or password."}
UNAUTHENTICATED = OpenApiResponse(DetailSerializer, description="No valid credentials.")
FORBIDDEN = OpenApiResponse(DetailSerializer, description="Not allowed, or the CSRF token is missing.")


def enforce_csrf(request) -> None:
    """The CSRF check Django applies to forms, for views that change the
    session without being signed in yet (sign-in must not be forgeable)."""
    check = CSRFCheck(lambda req: None)
    check.process_request(request)
    reason = check.process_view(request, None, (), {})
    if reason:
        raise exceptions.PermissionDenied(f"CSRF Failed: {reason}")


def signed_in_body(request) -> dict:
    return {**AgentSerializer(request.user).data, "csrf_token": get_token(request)}


class CsrfView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Get a CSRF token (and its cookie) before signing in", responses={200: CsrfSerializer}
    )
    def get(self, request):
        return Response({"csrf_token": get_token(request)})


class LoginView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [LoginAddressThrottle, LoginUsernameThrottle]

    @extend_schema(
        summary="Sign in (session cookie)",
        description="Needs the CSRF token from `GET /api/auth/csrf/` in the X-CSRFToken header. "
        "A wrong username and a wrong password get the same answer.",
        request=LoginSerializer,
        responses={
            200: SignedInSerializer,
            400: OpenApiResponse(DetailSerializer, description="Wrong username or password, or bad input."),
            403: FORBIDDEN,
            429: OpenApiResponse(DetailSerializer, description="Too many attempts; see Retry-After."),
        },
    )
    def post(self, request):
        enforce_csrf(request._request)
        serializer = LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(request._request, **serializer.validated_data)
        if user is None:
            return Response(WRONG_CREDENTIALS, status=status.HTTP_400_BAD_REQUEST)
        login(request._request, user)
        return Response(signed_in_body(request._request))


class LogoutView(APIView):
    permission_classes = [IsAgent]

    @extend_schema(
        summary="Sign out (ends the session)",
        request=None,
        responses={204: None, 401: UNAUTHENTICATED, 403: FORBIDDEN},
    )
    def post(self, request):
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    permission_classes = [IsAgent]

    @extend_schema(summary="The signed-in agent", responses={200: AgentSerializer, 401: UNAUTHENTICATED})
    def get(self, request):
        return Response(AgentSerializer(request.user).data)


@extend_schema(tags=["tokens"])
class TokenViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """The signed-in agent's own API tokens."""

    permission_classes = [IsAgent]
    serializer_class = TokenSerializer
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        return token_list(user=self.request.user)

    @extend_schema(summary="My API tokens", responses={200: TokenSerializer(many=True), 401: UNAUTHENTICATED})
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Create an API token (the key is shown once)",
        description="Only from a signed-in session (the app), so that a token cannot mint others; "
        "scripts can also use `manage.py create_token`.",
        request=TokenCreateSerializer,
        responses={
            201: NewTokenSerializer,
            400: OpenApiResponse(description="Invalid input."),
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
        },
    )
    def create(self, request):
        if not isinstance(request.successful_authenticator, SessionAuthentication):
            raise exceptions.PermissionDenied("Create tokens from a signed-in session.")
        serializer = TokenCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, key = services.token_create(user=request.user, **serializer.validated_data)
        return Response({**TokenSerializer(token).data, "key": key}, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Revoke one of my API tokens",
        responses={204: None, 401: UNAUTHENTICATED, 404: OpenApiResponse(DetailSerializer)},
    )
    def destroy(self, request, *args, **kwargs):
        services.token_revoke(token=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class AgentViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Agents: everyone who may see tickets may list them (for assignment);
    only admins create or change them."""

    serializer_class = AgentSerializer
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        return agent_list(active_only=self.action == "list")

    def get_permissions(self):
        if self.action == "list":
            return super().get_permissions()
        return [IsAdmin()]

    @extend_schema(
        summary="Active agents (for assignment)",
        responses={200: AgentSerializer(many=True), 401: UNAUTHENTICATED},
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Create an agent (admins only)",
        request=AgentCreateSerializer,
        responses={
            201: AgentSerializer,
            400: OpenApiResponse(description="Invalid input."),
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
        },
    )
    def create(self, request):
        serializer = AgentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            agent = services.agent_create(**serializer.validated_data)
        except DjangoValidationError as error:
            raise exceptions.ValidationError({"password": error.messages}) from None
        return Response(AgentSerializer(agent).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change an agent (admins only)",
        request=AgentUpdateSerializer,
        responses={
            200: AgentSerializer,
            400: OpenApiResponse(description="Invalid input."),
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: OpenApiResponse(DetailSerializer),
        },
    )
    def partial_update(self, request, *args, **kwargs):
        agent = self.get_object()
        serializer = AgentUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if agent.pk == request.user.pk and (data.get("is_active") is False or data.get("is_admin") is False):
            raise exceptions.ValidationError({"detail": "Admins cannot deactivate or demote themselves."})
        try:
            agent = services.agent_update(agent=agent, data=data)
        except DjangoValidationError as error:
            raise exceptions.ValidationError({"password": error.messages}) from None
        return Response(AgentSerializer(agent).data)
