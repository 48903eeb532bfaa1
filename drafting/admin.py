"""Staff review every record's full history here: who, when, why, what changed, and revert.

Section edits made in the admin (including a revert from a history page) go through the
same service path as the portal, so the version still rises and the HTML is re-rendered.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from drafting import services
from drafting.admin_history import ReadableHistoryMixin, RecentChangesMixin, SectionHistoryMixin
from drafting.models import (
    Activity,
    AgendaItem,
    Comment,
    Concept,
    Edition,
    EditionSection,
    Meeting,
    Notice,
    ParallelText,
    Position,
    Proposal,
    Section,
    change_reason_display,
)
from kisi_portal.admin_safety import SafeObjectIdAdminMixin
from search.services import index as search_entries


class HistoryAdmin(SafeObjectIdAdminMixin, SimpleHistoryAdmin):
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


class UnchangedSinceOpenedForm(forms.ModelForm):
    """An admin form for a record with history: refused if the record changed since it was opened.

    The portal merges such saves word by word (drafting.services.versions); here staff edit every
    field at once, so the form says what happened and keeps what they typed, and a second save,
    made knowingly, starts from the version they have now been told about.
    """

    base_history_id = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["base_history_id"].initial = services.latest_history_id(self.instance)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        model = type(self.instance)
        model._default_manager.select_for_update(no_key=True).filter(pk=self.instance.pk).first()
        latest = services.latest_history_id(self.instance)
        if cleaned.get("base_history_id") != latest:
            self.data = self.data.copy()
            self.data["base_history_id"] = "" if latest is None else str(latest)
            raise forms.ValidationError(
                _(
                    "Someone changed this record since you opened this form. Nothing was saved and what you typed "
                    "is kept below; its history shows what changed. Saving again replaces their change."
                )
            )
        return cleaned


class SectionAdminForm(forms.ModelForm):
    """The section's admin form carries the revision it was opened at, like the portal's editor.

    Validation merges the staff member's change onto what the section says now (drafting.services:
    section_admin_merge, under the row lock of the admin's transaction); an overlap is an error on
    the form, with the staff member's text kept and the other change's clean parts merged in.
    """

    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reverting = False  # set by SectionAdmin.get_form on a history page: a revert is not merged

    class Meta:
        model = Section
        fields = ["concept", "parent", "order", "heading", "body", "is_retired"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["base_version"].initial = self.instance.version if self.instance.pk else None
        self.stale_merge = False

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None or self.reverting or self.errors:
            return cleaned
        values = {
            "body": cleaned.get("body", self.instance.body),
            "concept_id": getattr(cleaned.get("concept"), "pk", self.instance.concept_id),
            "parent_id": getattr(cleaned.get("parent"), "pk", None),
            "order": cleaned.get("order", self.instance.order),
            "heading": cleaned.get("heading", self.instance.heading),
            "is_retired": cleaned.get("is_retired", self.instance.is_retired),
        }
        try:
            merged, self.stale_merge = services.section_admin_merge(
                section_pk=self.instance.pk, base_version=cleaned.get("base_version"), values=values
            )
        except services.StaleConflict as conflict:
            self._rebase(conflict)
            raise
        cleaned["body"], cleaned["heading"] = merged["body"], merged["heading"]
        cleaned["order"], cleaned["is_retired"] = merged["order"], merged["is_retired"]
        cleaned["concept"] = Concept.objects.get(pk=merged["concept_id"])
        cleaned["parent"] = Section.objects.filter(pk=merged["parent_id"]).first() if merged["parent_id"] else None
        return cleaned

    def _rebase(self, conflict) -> None:
        """Show the staff member's text with the clean merges, starting from the current revision."""
        data = self.data.copy()
        data["base_version"] = str(conflict.current_history_id)
        for name, value in conflict.drafts.items():
            if name == "is_retired":
                data.setlist(name, ["on"] if value else [])
            else:
                data[name] = "" if value is None else str(value)
        self.data = data


@admin.register(Section)
class SectionAdmin(RecentChangesMixin, SectionHistoryMixin, HistoryAdmin):
    form = SectionAdminForm
    list_display = ["heading", "concept", "parent", "order", "version", "is_retired", "updated_at"]
    list_filter = ["concept", "is_retired"]
    search_fields = ["heading", "body"]
    readonly_fields = ["version"]
    list_select_related = ["concept", "parent"]
    history_list_display = ["version", "change_kind", "revision_reason"]
    fields = ["concept", "parent", "order", "heading", "body", "is_retired", "version", "base_version"]

    @admin.display(description=_("Why"))
    def revision_reason(self, record):
        return record.reason_display()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "/history/" in request.path:
            form = type(form.__name__, (form,), {"reverting": True})
        return form

    def save_model(self, request, obj, form, change):
        reverting_to = obj.version if change and form.reverting else None
        outcome = services.section_admin_save(
            section=obj,
            user=request.user,
            base_version=form.cleaned_data.get("base_version"),
            reverting_to=reverting_to,
        )
        if outcome.status == "merged":
            self.message_user(
                request,
                _(
                    "The section had changed since you opened it; your change was merged with the other one, "
                    "word by word, as revision %(version)s. Check the result."
                )
                % {"version": outcome.section.version},
                messages.WARNING,
            )
        elif outcome.status == "unchanged":
            self.message_user(request, _("Nothing to save: the section already has this text."), messages.INFO)


class ParallelTextHistoryMixin(ReadableHistoryMixin):
    """A parallel text's revisions read like a section's: numbered, kind, why and size. No revert from here."""

    history_text_fields = ("heading", "body")
    history_kind_field = "change_kind"
    history_shows_size = True

    def history_rows(self, object_id):
        return super().history_rows(object_id).defer("paragraph_origins")

    history_kind_choices = SectionHistoryMixin.history_kind_choices
    history_kind_label = SectionHistoryMixin.history_kind_label
    history_reason = SectionHistoryMixin.history_reason
    history_size_change = SectionHistoryMixin.history_size_change
    version_label = SectionHistoryMixin.version_label

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        raise PermissionDenied(_("A translation is changed on its page in the portal, where saves are merged."))


@admin.register(ParallelText)
class ParallelTextAdmin(ParallelTextHistoryMixin, HistoryAdmin):
    """Read only: every change goes through drafting/services/parallel.py (merged saves, history rows)."""

    list_display = ["section", "language", "version", "source_version", "updated_at"]
    list_filter = ["language"]
    search_fields = ["heading", "section__heading"]
    list_select_related = ["section"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SearchIndexedMixin:
    """Admin edits reach the search results at once, as the portal's own saves do (search/services/index.py).

    The entry is written when the object is saved (a revert from its history page stops there)
    and again after its related objects (a meeting's agenda inline); a deletion prunes the entries
    of everything it took with it.
    """

    index_for_search = None  # staticmethod(an index_* function of search.services.index) for this model

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self.index_for_search(obj)  # a revert from the history page saves without save_related

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self.index_for_search(form.instance)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        search_entries.prune()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        search_entries.prune()


@admin.register(Proposal)
class ProposalAdmin(SearchIndexedMixin, ReadableHistoryMixin, HistoryAdmin):
    """Decisions on proposals (merge, reject, withdraw) are made in the portal, through its services:
    a status set here would claim a merge that never happened, so it and its traces are read-only."""

    list_display = ["__str__", "kind", "section", "author", "status", "created_at"]
    list_filter = ["status", "kind", "concept"]
    search_fields = ["title", "text", "rationale", "author__username", "author__expert__full_name"]
    list_select_related = ["section", "author"]
    raw_id_fields = ["section", "new_parent", "author"]
    readonly_fields = ["status", "decided_by", "decided_at", "merged_version", "agreed_meeting"]
    form = UnchangedSinceOpenedForm
    history_text_fields = ("title", "text", "rationale")
    index_for_search = staticmethod(search_entries.index_proposal)


@admin.register(Comment)
class CommentAdmin(SearchIndexedMixin, ReadableHistoryMixin, HistoryAdmin):
    list_display = ["__str__", "section", "proposal", "is_resolved", "created_at"]
    list_filter = ["is_resolved"]
    search_fields = ["body", "quote", "author__username", "author__expert__full_name"]
    list_select_related = ["section", "proposal", "author"]
    raw_id_fields = ["section", "proposal", "parent", "author"]
    form = UnchangedSinceOpenedForm
    history_text_fields = ("body",)
    index_for_search = staticmethod(search_entries.index_comment)

    def save_model(self, request, obj, form, change):
        from drafting.markdown import render_markdown
        from drafting.services.revisions import document_changed

        obj.body_html = render_markdown(obj.body)
        super().save_model(request, obj, form, change)
        if obj.section_id:  # the document page marks and counts comments on sections
            document_changed(section_id=obj.section_id)


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
class MeetingAdmin(SearchIndexedMixin, HistoryAdmin):
    list_display = ["title", "starts_at", "duration", "edition", "cancelled_at"]
    search_fields = ["title", "minutes", "agenda_note"]
    list_filter = ["concept"]
    inlines = [AgendaItemInline]
    filter_horizontal = ["attendees", "invitees"]
    # Cancelling mails the invited: it is done on the meeting's page (drafting.services.meeting_cancel), not here.
    readonly_fields = ["cancelled_at", "cancelled_by", "cancel_reason"]
    form = UnchangedSinceOpenedForm
    index_for_search = staticmethod(search_entries.index_meeting)

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
class ActivityAdmin(SafeObjectIdAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "actor", "verb", "sentence"]
    list_filter = ["verb"]
    list_select_related = ["actor__expert"]

    @admin.display(description=_("What happened"))
    def sentence(self, activity):
        return activity.sentence()

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Notice)
class NoticeAdmin(SafeObjectIdAdminMixin, admin.ModelAdmin):
    list_display = ["recipient", "activity", "read_at"]
    list_select_related = ["recipient", "activity"]
    raw_id_fields = ["recipient", "activity"]
