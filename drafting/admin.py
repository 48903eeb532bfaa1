"""Staff review every record's full history here: who, when, why, what changed, and revert.

Section edits made in the admin (including a revert from a history page) go through the
same service path as the portal, so the version still rises and the HTML is re-rendered.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from drafting import services
from drafting.models import (
    Activity,
    AgendaItem,
    Comment,
    Concept,
    Edition,
    EditionSection,
    Meeting,
    Notice,
    Position,
    Proposal,
    Section,
    change_reason_display,
)


class HistoryAdmin(SimpleHistoryAdmin):
    """History pages show why each change was made in the reader's language: rows store a code."""

    history_list_display = ["change_reason"]

    @admin.display(description=_("Why"))
    def change_reason(self, record):
        return change_reason_display(record.history_change_reason)


@admin.register(Concept)
class ConceptAdmin(HistoryAdmin):
    list_display = ["title", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["title"]


@admin.register(Section)
class SectionAdmin(HistoryAdmin):
    list_display = ["heading", "concept", "parent", "order", "version", "is_retired", "updated_at"]
    list_filter = ["concept", "is_retired"]
    search_fields = ["heading", "body"]
    readonly_fields = ["version"]
    list_select_related = ["concept", "parent"]
    history_list_display = ["version", "change_kind", "revision_reason"]
    fields = ["concept", "parent", "order", "heading", "body", "is_retired", "version"]

    @admin.display(description=_("Why"))
    def revision_reason(self, record):
        return record.reason_display()

    def save_model(self, request, obj, form, change):
        reverting_to = obj.version if change and "/history/" in request.path else None
        services.section_admin_save(section=obj, user=request.user, reverting_to=reverting_to)


@admin.register(Proposal)
class ProposalAdmin(HistoryAdmin):
    list_display = ["__str__", "kind", "section", "author", "status", "created_at"]
    list_filter = ["status", "kind", "concept"]
    search_fields = ["title", "text", "rationale", "author__username", "author__expert__full_name"]
    list_select_related = ["section", "author"]
    raw_id_fields = ["section", "new_parent", "author", "decided_by"]


@admin.register(Comment)
class CommentAdmin(HistoryAdmin):
    list_display = ["__str__", "section", "proposal", "is_resolved", "created_at"]
    list_filter = ["is_resolved"]
    search_fields = ["body", "quote", "author__username", "author__expert__full_name"]
    list_select_related = ["section", "proposal", "author"]
    raw_id_fields = ["section", "proposal", "parent", "author"]

    def save_model(self, request, obj, form, change):
        from drafting.markdown import render_markdown

        obj.body_html = render_markdown(obj.body)
        super().save_model(request, obj, form, change)


@admin.register(Position)
class PositionAdmin(HistoryAdmin):
    list_display = ["expert", "proposal", "stance", "updated_at"]
    list_filter = ["stance", "expert__bloc"]
    search_fields = ["expert__full_name", "reason"]
    list_select_related = ["expert", "proposal"]


class EditionSectionInline(admin.TabularInline):
    model = EditionSection
    extra = 0
    can_delete = False
    readonly_fields = ["section", "version", "number", "heading", "depth", "parent", "position"]


@admin.register(Edition)
class EditionAdmin(HistoryAdmin):
    list_display = ["name", "concept", "created_by", "created_at"]
    search_fields = ["name", "note"]
    inlines = [EditionSectionInline]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    raw_id_fields = ["proposal"]


@admin.register(Meeting)
class MeetingAdmin(HistoryAdmin):
    list_display = ["title", "starts_at", "edition"]
    search_fields = ["title", "minutes", "agenda_note"]
    list_filter = ["concept"]
    inlines = [AgendaItemInline]
    filter_horizontal = ["attendees"]

    def save_model(self, request, obj, form, change):
        from drafting.markdown import render_markdown

        obj.minutes_html = render_markdown(obj.minutes)
        super().save_model(request, obj, form, change)


@admin.register(AgendaItem)
class AgendaItemAdmin(HistoryAdmin):
    list_display = ["meeting", "proposal", "outcome"]
    list_filter = ["outcome"]
    raw_id_fields = ["proposal"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "verb", "sentence"]
    list_filter = ["verb"]
    list_select_related = ["actor__expert"]

    @admin.display(description=_("What happened"))
    def sentence(self, activity):
        return activity.sentence()

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["recipient", "activity", "read_at"]
    list_select_related = ["recipient", "activity"]
    raw_id_fields = ["recipient", "activity"]
