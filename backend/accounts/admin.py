"""Admins manage agents with Django's user admin; tokens can be seen and
revoked here (never created: a key is shown only to its owner)."""

from django.contrib import admin

from .models import ApiToken
from .services import token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "created", "expiry"]
    list_filter = ["created", "expiry"]
    search_fields = ["name", "user__username"]
    fields = ["name", "user", "created", "expiry"]
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        token_revoke(token=obj)

    def delete_queryset(self, request, queryset):
        for token in queryset:
            token_revoke(token=token)

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        self.delete_queryset(request, queryset)
