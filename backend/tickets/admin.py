from django.contrib import admin

from .models import Ticket
from .services import ticket_create, ticket_update


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

    def save_model(self, request, obj, form, change):
        """Through the services, as the API writes: whatever a write does
        besides saving the row happens for admin edits too (the change form
        and the list's editable columns both come here)."""
        if change:
            ticket_update(ticket=obj, data={name: form.cleaned_data[name] for name in form.changed_data})
            return
        ticket = ticket_create(**form.cleaned_data)
        obj.pk, obj.created_at = ticket.pk, ticket.created_at
