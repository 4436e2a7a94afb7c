from django.contrib import admin
from history.models import Via
from history.services import request_actor

from .models import Ticket
from .services import ticket_create, ticket_update


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ["id", "title", "category", "priority", "status", "created_at", "updated_at"]
    list_filter = ["status", "priority", "category", "created_at"]
    search_fields = ["title", "description"]
    list_editable = ["status", "priority"]
    readonly_fields = ["created_at", "updated_at", "resolved_at"]
    date_hierarchy = "created_at"
    list_per_page = 50
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        """Through the services, so that the history names the admin user."""
        actor = request_actor(request)
        if change:
            data = {name: form.cleaned_data[name] for name in form.changed_data}
            saved = ticket_update(ticket=obj, data=data, actor=actor, via=Via.ADMIN)
        else:
            fields = {
                name: form.cleaned_data[name] for name in ("title", "description", "category", "priority")
            }
            saved = ticket_create(
                **fields, status=form.cleaned_data.get("status"), actor=actor, via=Via.ADMIN
            )
        obj.pk, obj.updated_at, obj.resolved_at = saved.pk, saved.updated_at, saved.resolved_at
