from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from members.models import Expert, Organisation


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "website"]
    list_filter = ["kind"]
    search_fields = ["name"]
    history_list_display = ["history_change_reason"]


@admin.register(Expert)
class ExpertAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "organisation", "bloc", "role", "on_national_council", "is_active"]
    list_filter = ["bloc", "role", "on_national_council", "is_active"]
    search_fields = ["full_name", "position", "organisation__name", "user__username"]
    list_select_related = ["organisation", "user"]
    raw_id_fields = ["user"]
    history_list_display = ["history_change_reason"]
