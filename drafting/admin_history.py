"""The admin's history pages, as readable as the portal's: who, when (local time), why, what changed.

`ReadableHistoryMixin` replaces django-simple-history's history list for a model admin: translated
columns, filters (person, kind of change, dates, a search over the reasons), 50 rows a page in a
fixed number of queries, and a word-level comparison of any two versions of the model's texts.
"""

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from drafting.models import change_reason_display
from drafting.selectors.history import compare_texts
from kisi_portal.admin_safety import _takes

HISTORY_TYPES = [("+", _("Created")), ("~", _("Changed")), ("-", _("Deleted"))]


class HistoryFilterForm(forms.Form):
    person = forms.TypedChoiceField(label=_("Person"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("Kind of change"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    q = forms.CharField(label=_("Reason contains"), required=False, max_length=200)

    def __init__(self, *args, people=(), kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", _("Anyone"))] + list(people)
        self.fields["kind"].choices = [("", _("Any kind"))] + list(kinds)


def people_choices() -> list[tuple[int, str]]:
    """Everyone who may appear in a history: staff and the members of the Working Group (one query)."""
    users = get_user_model().objects.order_by("username").only("pk", "username")
    return [(user.pk, user.username) for user in users]


def filter_history(rows, form: HistoryFilterForm, kind_field: str):
    """The history rows matching the filter form (an invalid form filters nothing it could not read)."""
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("person"):
        rows = rows.filter(history_user_id=data["person"])
    if data.get("kind"):
        rows = rows.filter(**{kind_field: data["kind"]})
    if isinstance(data.get("date_from"), date):
        rows = rows.filter(history_date__date__gte=data["date_from"])
    if isinstance(data.get("date_to"), date):
        rows = rows.filter(history_date__date__lte=data["date_to"])
    if data.get("q"):
        rows = rows.filter(history_change_reason__icontains=data["q"])
    return rows


class ReadableHistoryMixin:
    """Put after SafeObjectIdAdminMixin and before SimpleHistoryAdmin in a model admin's bases."""

    object_history_template = "admin/history/object_history.html"
    history_list_per_page = 50
    # The text fields compared word by word, in order.
    history_text_fields: tuple[str, ...] = ()
    # Sections record their own kind of change (RevisionKind); other models the history type.
    history_kind_field = "history_type"
    history_shows_size = False

    def history_kind_choices(self):
        return HISTORY_TYPES

    def history_kind_label(self, record) -> str:
        return str(dict(HISTORY_TYPES).get(record.history_type, record.history_type))

    def history_reason(self, record) -> str:
        return change_reason_display(record.history_change_reason)

    def history_size_change(self, record):
        return None

    def history_rows(self, object_id):
        """The object's history rows, newest first, with their person (deferred texts stay unread)."""
        manager = getattr(self.model, self.model._meta.simple_history_manager_attribute)
        return (
            manager.filter(**{self.model._meta.pk.attname: object_id})
            .select_related("history_user")
            .defer(*self.history_text_fields)
            .order_by("-history_date", "-history_id")
        )

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        compare = path(
            "<path:object_id>/history/compare/",
            self.admin_site.admin_view(self.history_compare_view),
            name="%s_%s_history_compare" % info,
        )
        return [compare, *super().get_urls()]

    def _history_object(self, request, object_id):
        self._raise_unless_pk(object_id)
        object_id = unquote(object_id)
        obj = self.get_object(request, object_id)
        if obj is None:
            latest = self.history_rows(object_id).first()
            if latest is None:
                raise Http404
            obj = latest.instance
        if not self.has_view_history_or_change_history_permission(request, obj):
            raise PermissionDenied
        return obj, object_id

    def history_view(self, request, object_id, extra_context=None):
        request.current_app = self.admin_site.name
        obj, object_id = self._history_object(request, object_id)
        form = HistoryFilterForm(request.GET or None, people=people_choices(), kinds=self.history_kind_choices())
        rows = filter_history(self.history_rows(object_id), form, self.history_kind_field)
        page = Paginator(rows, self.history_list_per_page).get_page(request.GET.get("p"))
        entries = [
            {
                "record": record,
                "kind": self.history_kind_label(record),
                "reason": self.history_reason(record),
                "size_change": self.history_size_change(record),
                "label": self.version_label(record),
            }
            for record in page.object_list
        ]
        opts = self.model._meta
        query = request.GET.copy()
        query.pop("p", None)
        context = {
            **self.admin_site.each_context(request),
            "title": self.history_view_title(request, obj),
            "subtitle": None,
            "object": obj,
            "opts": opts,
            "app_label": opts.app_label,
            "module_name": opts.verbose_name_plural,
            "filter_form": form,
            "page_obj": page,
            "entries": entries,
            "shows_size": self.history_shows_size,
            "filter_query": query.urlencode(),
            "compare_url": reverse(
                f"admin:{opts.app_label}_{opts.model_name}_history_compare",
                args=[obj.pk],
                current_app=self.admin_site.name,
            ),
            "version_url_name": f"admin:{opts.app_label}_{opts.model_name}_simple_history",
            **(extra_context or {}),
        }
        return TemplateResponse(request, self.object_history_template, context)

    def history_compare_view(self, request, object_id):
        obj, object_id = self._history_object(request, object_id)
        manager = getattr(self.model, self.model._meta.simple_history_manager_attribute)
        posted = [request.GET.get("old"), request.GET.get("new")]
        if not all(_takes(manager.model._meta.pk, value) and abs(int(value)) < 2**63 for value in posted):
            raise Http404  # not an id, or one no database row can have
        ids = sorted({int(value) for value in posted})
        found = {
            row.history_id: row
            for row in manager.filter(**{self.model._meta.pk.attname: object_id}, history_id__in=ids).select_related(
                "history_user"
            )
        }
        if len(found) != len(ids):
            raise Http404
        old, new = found[ids[0]], found[ids[-1]]
        mode = "side" if request.GET.get("mode") == "side" else "inline"
        fields = [
            {
                "label": self.model._meta.get_field(name).verbose_name,
                "changed": (getattr(old, name) or "") != (getattr(new, name) or ""),
                "diff": compare_texts(getattr(old, name) or "", getattr(new, name) or ""),
            }
            for name in self.history_text_fields
        ]
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": _("Compare versions: %(object)s") % {"object": obj},
            "subtitle": None,
            "object": obj,
            "opts": opts,
            "app_label": opts.app_label,
            "old": old,
            "new": new,
            "old_label": self.version_label(old),
            "new_label": self.version_label(new),
            "fields": fields,
            "mode": mode,
            "history_url": reverse(
                f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk], current_app=self.admin_site.name
            ),
        }
        return TemplateResponse(request, "admin/history/compare.html", context)

    def version_label(self, record) -> str:
        from django.utils import formats, timezone

        when = formats.date_format(timezone.localtime(record.history_date), "j M Y, H:i")
        return _("Version of %(when)s") % {"when": when}


class SectionHistoryMixin(ReadableHistoryMixin):
    """A section's revisions: numbered, with the sentence of why, and a revert that is previewed first."""

    history_text_fields = ("heading", "body")
    history_kind_field = "change_kind"
    history_shows_size = True

    def history_rows(self, object_id):
        return super().history_rows(object_id).defer("paragraph_origins")

    def history_kind_choices(self):
        from drafting.models import RevisionKind

        return RevisionKind.choices

    def history_kind_label(self, record) -> str:
        return record.get_change_kind_display()

    def history_reason(self, record) -> str:
        return record.reason_display()

    def history_size_change(self, record):
        return record.size_change

    def version_label(self, record) -> str:
        return _("Revision %(version)s") % {"version": record.version}

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """simple-history's "revert" page for a section: the preview of the revert, then the revert."""
        from drafting import services

        self._raise_unless_pk(object_id)
        section = self.get_object(request, unquote(object_id))
        if section is None or not _takes(section.history.model._meta.pk, version_id):
            raise Http404
        row = section.history.filter(history_id=version_id).first()
        if row is None:
            raise Http404
        if not self.has_view_history_or_change_history_permission(request, section):
            raise PermissionDenied
        can_revert = self.has_change_permission(request, section) and row.version < section.version
        form = RevertForm(request.POST or None)
        if request.method == "POST":
            if not can_revert:
                raise PermissionDenied
            if form.is_valid():
                try:
                    services.section_revert(
                        section=section, to_version=row.version, user=request.user, reason=form.cleaned_data["reason"]
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    self.message_user(
                        request,
                        _("Revision %(version)s was restored as a new revision.") % {"version": row.version},
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(
                        reverse("admin:drafting_section_history", args=[section.pk], current_app=self.admin_site.name)
                    )
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": _("Restore revision %(version)s of “%(section)s”") % {"version": row.version, "section": section},
            "subtitle": None,
            "object": section,
            "opts": opts,
            "app_label": opts.app_label,
            "row": row,
            "form": form,
            "can_revert": can_revert,
            "heading": compare_texts(section.heading, row.heading),
            "body": compare_texts(section.body, row.body),
            "old_label": _("Now (revision %(version)s)") % {"version": section.version},
            "new_label": _("After restoring revision %(version)s") % {"version": row.version},
            "mode": "side" if request.GET.get("mode") == "side" else "inline",
            "history_url": reverse(
                "admin:drafting_section_history", args=[section.pk], current_app=self.admin_site.name
            ),
        }
        return TemplateResponse(request, "admin/history/revert_preview.html", context)


class RevertForm(forms.Form):
    reason = forms.CharField(
        label=_("Why restore this revision?"),
        max_length=100,  # the history row's change-reason column
        widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
        help_text=_("Shown in the section's history to everyone who reads it."),
    )


# --- Recent changes across every record -------------------------------------------------


def tracked_history_models() -> list:
    """The historical models of the Working Group's records (drafting and members)."""
    from django.apps import apps

    return [
        model
        for label in ("drafting", "members")
        for model in apps.get_app_config(label).get_models()
        if getattr(model, "instance_type", None) is not None and hasattr(model, "history_change_reason")
    ]


def recent_changes(form: HistoryFilterForm):
    """Every history row of every tracked record, newest first, as one UNION query of plain values.

    Paginating it costs two queries (count and page) whatever the number of rows or models.
    """
    from django.db.models import CharField, F, Value
    from django.db.models.functions import Cast

    parts = []
    for model in tracked_history_models():
        origin = model.instance_type._meta
        rows = filter_history(model.objects.all(), form, "history_type").order_by()
        parts.append(
            rows.values(
                "history_date",
                "history_user_id",
                "history_type",
                "history_change_reason",
                model_label=Value(origin.label_lower, output_field=CharField()),
                object_id=Cast(F(origin.pk.attname), output_field=CharField()),
            )
        )
    return parts[0].union(*parts[1:], all=True).order_by("-history_date")


class RecentChangesMixin:
    """Adds the site-wide "Recent changes" page to a model admin's URLs (staff who may view sections)."""

    recent_changes_per_page = 50

    def get_urls(self):
        recent = path(
            "recent-changes/",
            self.admin_site.admin_view(self.recent_changes_view),
            name="drafting_section_recent_changes",
        )
        return [recent, *super().get_urls()]

    def recent_changes_view(self, request):
        from django.apps import apps
        from django.urls import NoReverseMatch

        if not request.user.has_perm("drafting.view_section"):
            raise PermissionDenied
        form = HistoryFilterForm(request.GET or None, people=people_choices(), kinds=HISTORY_TYPES)
        page = Paginator(recent_changes(form), self.recent_changes_per_page).get_page(request.GET.get("p"))
        users = get_user_model().objects.in_bulk({row["history_user_id"] for row in page.object_list} - {None})
        kinds = dict(HISTORY_TYPES)
        entries = []
        for row in page.object_list:
            model = apps.get_model(row["model_label"])
            try:
                url = reverse(
                    f"admin:{model._meta.app_label}_{model._meta.model_name}_history",
                    args=[row["object_id"]],
                    current_app=self.admin_site.name,
                )
            except NoReverseMatch:
                url = None
            entries.append(
                {
                    **row,
                    "model_name": model._meta.verbose_name,
                    "user": users.get(row["history_user_id"]),
                    "kind": kinds.get(row["history_type"], row["history_type"]),
                    "reason": change_reason_display(row["history_change_reason"]),
                    "url": url,
                }
            )
        query = request.GET.copy()
        query.pop("p", None)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Recent changes"),
            "subtitle": None,
            "filter_form": form,
            "page_obj": page,
            "entries": entries,
            "filter_query": query.urlencode(),
        }
        return TemplateResponse(request, "admin/history/recent_changes.html", context)
