"""API tokens for scripts. Agents themselves are Django users.

The token model is django-rest-knox's (keys are random, only their SHA-512
digest is stored), with a name so an agent can tell their tokens apart and a
plain numeric id to list and revoke them by, so the digest never leaves the
database.
"""

from django.db import models
from knox.models import AbstractAuthToken
from knox.settings import CONSTANTS


class ApiToken(AbstractAuthToken):
    id = models.BigAutoField(primary_key=True)
    digest = models.CharField(max_length=CONSTANTS.DIGEST_LENGTH, unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"
