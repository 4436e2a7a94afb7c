from django.contrib import admin

from .models import Suggestion


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["id", "created_at", "category", "priority", "source", "model", "latency_ms", "ticket"]
    list_filter = ["source", "model", "created_at"]
    readonly_fields = [field.name for field in Suggestion._meta.fields]
    raw_id_fields = ["ticket"]
    list_per_page = 50
    show_full_result_count = False

    def has_add_permission(self, request):
        return False
