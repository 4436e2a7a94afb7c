from django.db import models


class LLMUsage(models.Model):
    """Calls to the LLM and the tokens they used, per UTC day, shared by every
    process through the database (one row per day, changed atomically)."""

    day = models.DateField(primary_key=True)
    calls = models.PositiveIntegerField(default=0)
    tokens = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "LLM usage"
        verbose_name_plural = "LLM usage"

    def __str__(self) -> str:
        return f"{self.day}: {self.calls} calls, {self.tokens} tokens"
