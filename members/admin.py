from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from drafting.admin_history import ReadableHistoryMixin
from kisi_portal.admin_safety import SafeObjectIdAdminMixin
from members.models import AccountSettings, Expert, Organisation
from members.services import expert_set_groups


@admin.register(Organisation)
class OrganisationAdmin(SafeObjectIdAdminMixin, ReadableHistoryMixin, SimpleHistoryAdmin):
    list_display = ["name", "name_kk", "name_en", "kind", "website"]
    list_filter = ["kind"]
    search_fields = ["name", "name_kk", "name_en"]
    history_list_display = ["history_change_reason"]


@admin.register(Expert)
class ExpertAdmin(SafeObjectIdAdminMixin, ReadableHistoryMixin, SimpleHistoryAdmin):
    list_display = ["full_name", "full_name_latin", "organisation", "bloc", "role", "on_national_council", "is_active"]
    list_filter = ["bloc", "role", "on_national_council", "is_active"]
    search_fields = [
        "full_name",
        "full_name_latin",
        "position",
        "position_en",
        "organisation__name",
        "organisation__name_en",
        "user__username",
    ]
    list_select_related = ["organisation", "user"]
    raw_id_fields = ["user"]
    history_list_display = ["history_change_reason"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The role groups only mirror the seat (the powers follow Expert.role and is_active).
        expert_set_groups(obj)


@admin.register(AccountSettings)
class AccountSettingsAdmin(SafeObjectIdAdminMixin, SimpleHistoryAdmin):
    list_display = ["user", "language"]
    list_filter = ["language"]
    search_fields = ["user__username"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    history_list_display = ["history_change_reason"]
