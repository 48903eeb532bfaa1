"""Editions, exports, meetings and the dashboard."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from drafting import exports, selectors, services
from drafting.access import get_concept, require_perm
from drafting.forms import EditionForm, MeetingForm, MeetingRecordForm, OutcomeForm
from drafting.models import Concept, Edition

COORDINATORS_ONLY = _("Only coordinators may do this.")


@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    concept = Concept.objects.first()
    if concept is None:
        return render(request, "drafting/concept_none.html")
    return render(request, "drafting/dashboard.html",
                  {"concept": concept, "board": selectors.dashboard(concept, request.user)})


@require_http_methods(["GET", "POST"])
def edition_list(request: HttpRequest, pk: int) -> HttpResponse:
    concept = get_concept(pk)
    form = EditionForm(request.POST or None)
    if request.method == "POST":
        require_perm(request.user, "drafting.freeze_edition", _("Only coordinators may freeze editions."))
        if form.is_valid():
            try:
                edition = services.edition_freeze(concept=concept, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error("name", error)
            else:
                messages.success(request, _("Edition “%(name)s” frozen.") % {"name": edition.name})
                return redirect(edition)
    editions = concept.editions.select_related("created_by__expert")
    return render(request, "drafting/edition_list.html", {"concept": concept, "editions": editions, "form": form},
                  status=400 if form.is_bound else 200)


def _get_edition(pk: int) -> Edition:
    return get_object_or_404(Edition.objects.select_related("concept", "created_by__expert"), pk=pk)


@require_safe
def edition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    edition = _get_edition(pk)
    return render(request, "drafting/edition_detail.html",
                  {"edition": edition, "concept": edition.concept, "entries": selectors.edition_entries(edition)})


@require_safe
def edition_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """Any two editions, or an edition and the current draft, section by section."""
    concept = get_concept(pk)
    editions = list(concept.editions.order_by("-created_at"))
    by_id = {str(e.pk): e for e in editions}

    def pick(name, default):
        value = request.GET.get(name, default)
        if value in ("", "draft"):
            return None
        if value not in by_id:
            raise Http404(_("This Concept has no such edition.")) from None
        return by_id[value]

    old = pick("from", str(editions[0].pk) if editions else "draft")
    new = pick("to", "draft")
    old_entries = selectors.edition_entries(old) if old else selectors.draft_entries(concept)
    new_entries = selectors.edition_entries(new) if new else selectors.draft_entries(concept)
    return render(request, "drafting/edition_compare.html", {
        "concept": concept, "editions": editions, "old": old, "new": new,
        "changes": selectors.compare_documents(old_entries, new_entries),
    })


@require_safe
def document_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """Download the current draft (?edition= for an edition) as HTML, PDF, DOCX or Markdown."""
    concept = get_concept(pk)
    if fmt not in exports.FORMATS:
        raise Http404
    edition = None
    if request.GET.get("edition"):
        try:
            edition = get_object_or_404(Edition, pk=int(request.GET["edition"]), concept=concept)
        except ValueError:
            raise Http404(_("This Concept has no such edition.")) from None
    snapshot = selectors.document_snapshot(concept, edition)
    if fmt == "html":
        content = exports.export_html(snapshot, request=request)
    else:
        content = {"pdf": exports.export_pdf, "docx": exports.export_docx, "md": exports.export_markdown}[fmt](snapshot)
    response = HttpResponse(content, content_type=exports.FORMATS[fmt])
    response["Content-Disposition"] = content_disposition_header(fmt != "html", f"{snapshot.file_stem}.{fmt}")
    return response


# --- Meetings --------------------------------------------------------------------------------


@require_safe
def meeting_list(request: HttpRequest, pk: int) -> HttpResponse:
    concept = get_concept(pk)
    meetings = concept.meetings.select_related("edition")
    return render(request, "drafting/meeting_list.html", {"concept": concept, "meetings": meetings})


@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    concept = get_concept(pk)
    require_perm(request.user, "drafting.run_meeting", _("Only coordinators schedule meetings."))
    candidates = selectors.disagreements(concept)
    form = MeetingForm(request.POST or None, concept=concept, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        meeting = services.meeting_schedule(concept=concept, user=request.user, **form.cleaned_data)
        messages.success(request, _("Meeting scheduled."))
        return redirect(meeting)
    return render(request, "drafting/meeting_form.html",
                  {"concept": concept, "form": form, "candidates": candidates},
                  status=400 if form.is_bound else 200)


def _render_meeting(request, meeting, record_form=None, status=200) -> HttpResponse:
    attendees = list(meeting.attendees.select_related("organisation"))
    record_form = record_form or MeetingRecordForm(
        concept=meeting.concept,
        initial={"attendees": [e.pk for e in attendees], "minutes": meeting.minutes, "edition": meeting.edition_id},
    )
    return render(request, "drafting/meeting_detail.html", {
        "meeting": meeting, "items": meeting.items.select_related("proposal__author__expert", "proposal__section"),
        "attendees": attendees, "record_form": record_form,
        "can_run": request.user.has_perm("drafting.run_meeting"),
    }, status=status)


@require_safe
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_meeting(request, selectors.meeting_with_relations(pk))


@require_POST
def meeting_record(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_with_relations(pk)
    require_perm(request.user, "drafting.run_meeting", _("Only coordinators record meetings."))
    form = MeetingRecordForm(request.POST, concept=meeting.concept)
    if not form.is_valid():
        return _render_meeting(request, meeting, form, status=400)
    services.meeting_update(meeting=meeting, user=request.user, **form.cleaned_data)
    messages.success(request, _("Attendance and minutes saved."))
    return redirect(meeting)


@require_POST
def meeting_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_with_relations(pk)
    require_perm(request.user, "drafting.run_meeting", _("Only coordinators record outcomes."))
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(meeting)
    item = meeting.items.select_related("proposal").filter(proposal_id=form.cleaned_data["proposal"]).first()
    if item is None:
        messages.error(request, _("Proposal #%(pk)s is not on this meeting's agenda.") % {
            "pk": form.cleaned_data["proposal"]})
        return redirect(meeting)
    try:
        services.meeting_record_outcome(meeting=meeting, proposal=item.proposal, user=request.user,
                                        outcome=form.cleaned_data["outcome"], note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Outcome recorded for proposal #%(pk)s.") % {"pk": item.proposal_id})
    return redirect(meeting)
