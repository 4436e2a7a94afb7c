from django.contrib import admin

from .models import Ticket


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ["id", "title", "category", "priority", "status", "created_at"]
    list_filter = ["status", "priority", "category", "created_at"]
    search_fields = ["title", "description"]
    list_editable = ["status", "priority"]
    readonly_fields = ["created_at"]
    date_hierarchy = "created_at"
    list_per_page = 50
    show_full_result_count = False
