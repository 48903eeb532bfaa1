"""Meetings: scheduling them with an agenda and invitees, changing or cancelling them, recording attendance,
minutes and outcomes."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from drafting import selectors, services
from drafting.forms import MeetingCancelForm, MeetingChangeForm, MeetingForm, MeetingRecordForm, OutcomeForm
from drafting.models import AgendaItem, Meeting
from drafting.selectors.meetings import meeting_invitees
from drafting.selectors.sentences import person_name
from drafting.views.access import get_concept, get_meeting, require_perm
from drafting.views.submissions import submit_once
from notifications.services.visits import mark_visited
from notifications.services.watches import is_watching


@require_safe
def meeting_list(request: HttpRequest, pk: int) -> HttpResponse:
    concept = get_concept(pk)
    meetings = selectors.meeting_list(concept)
    return render(request, "drafting/meeting_list.html", {"concept": concept, "meetings": meetings})


@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    concept = get_concept(pk)
    require_perm(request.user, "drafting.run_meeting", _("Only coordinators schedule meetings."))
    candidates = selectors.disagreements(concept)
    form = MeetingForm(request.POST or None, concept=concept, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            sent = submit_once(
                request, form, lambda data: services.meeting_schedule(concept=concept, user=request.user, **data)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if sent.created:
                messages.success(request, _("Meeting scheduled."))
            return redirect(sent.obj)
    return render(
        request,
        "drafting/meeting_form.html",
        {"concept": concept, "form": form, "candidates": candidates},
        status=400 if form.is_bound else 200,
    )


def _render_meeting(request, meeting, record_form=None, status=200, outcome_form=None) -> HttpResponse:
    """The meeting page; a form sent back with a problem is shown as it was typed."""
    attendees = selectors.meeting_attendees(meeting)
    record_form = record_form or MeetingRecordForm(
        concept=meeting.concept,
        initial={
            "attendees": [e.pk for e in attendees],
            "minutes": meeting.minutes,
            "edition": meeting.edition_id,
            "base_history_id": services.latest_history_id(meeting),
        },
    )
    # Each agenda item with the version this page shows, so an outcome recorded meanwhile is not overwritten.
    items = list(selectors.meeting_agenda(meeting).annotate(base_history_id=services.latest_history_id_of(AgendaItem)))
    sent = outcome_form.data if outcome_form is not None else {}
    for item in items:
        if sent.get("proposal") == str(item.proposal_id):  # an outcome sent back: as it was chosen and typed
            item.sent_outcome, item.sent_note = sent.get("outcome", ""), sent.get("note", "")
    return render(
        request,
        "drafting/meeting_detail.html",
        {
            "meeting": meeting,
            "items": items,
            "attendees": attendees,
            "record_form": record_form,
            "outcome_form": outcome_form,
            "can_run": request.user.has_perm("drafting.run_meeting"),
            "can_record": request.user.has_perm("drafting.run_meeting") and not meeting.is_cancelled,
            "is_watching": is_watching(request.user, meeting=meeting),
            "invitees": meeting_invitees(meeting),
            "can_cancel": not meeting.is_cancelled and not meeting.has_begun,
            "cancelled_by_name": person_name(meeting.cancelled_by) if meeting.is_cancelled else "",
        },
        status=status,
    )


def _refused_when_cancelled(request: HttpRequest, meeting: Meeting, message: str) -> HttpResponse | None:
    """Back to the meeting page with `message` when the meeting was cancelled; None when it was not."""
    if not meeting.is_cancelled:
        return None
    messages.error(request, message % {"title": meeting.title})
    return redirect(meeting)


@require_safe
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting(pk)
    mark_visited(request.user, meeting=meeting)
    return _render_meeting(request, meeting)


@require_http_methods(["GET", "POST"])
def meeting_change(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the title, time, length, link, agenda notes or invitees; the invited get an updated invitation."""
    meeting = get_meeting(pk)
    require_perm(request.user, "drafting.run_meeting", _("Only coordinators change meetings."))
    refused = _refused_when_cancelled(
        request, meeting, _("The meeting “%(title)s” was cancelled: it can no longer be changed.")
    )
    if refused:
        return refused
    initial = {f: getattr(meeting, f) for f in ("title", "video_url", "agenda_note")}
    initial["starts_at"] = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%dT%H:%M")
    initial["duration"] = int(meeting.duration.total_seconds()) // 60
    initial["invitees"] = [e.pk for e in meeting_invitees(meeting)]
    initial["base_history_id"] = services.latest_history_id(meeting)
    form = MeetingChangeForm(request.POST or None, initial=initial)
    status = 400 if form.is_bound else 200
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_change(meeting=meeting, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            if isinstance(error, services.StaleConflict):
                form.rebase(error)
                status = 409
            form.add_error(None, error)
        else:
            messages.success(request, _("Meeting changed; the invited get an updated invitation."))
            return redirect(meeting)
    return render(request, "drafting/meeting_change.html", {"meeting": meeting, "form": form}, status=status)


@require_POST
def meeting_record(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting(pk)
    require_perm(request.user, "drafting.run_meeting", _("Only coordinators record meetings."))
    refused = _refused_when_cancelled(
        request, meeting, _("The meeting “%(title)s” was cancelled: its attendance and minutes cannot be recorded.")
    )
    if refused:
        return refused
    form = MeetingRecordForm(request.POST, concept=meeting.concept)
    if not form.is_valid():
        return _render_meeting(request, meeting, form, status=400)
    try:
        services.meeting_update(meeting=meeting, user=request.user, **form.cleaned_data)
    except ValidationError as error:
        if isinstance(error, services.StaleConflict):
            form.rebase(error)
        form.add_error(None, error)
        return _render_meeting(request, meeting, form, status=409)
    messages.success(request, _("Attendance and minutes saved."))
    return redirect(meeting)


@require_POST
def meeting_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting(pk)
    require_perm(request.user, "drafting.run_meeting", _("Only coordinators record outcomes."))
    refused = _refused_when_cancelled(
        request, meeting, _("The meeting “%(title)s” was cancelled: no outcome can be recorded for it.")
    )
    if refused:
        return refused
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return _render_meeting(request, meeting, status=400, outcome_form=form)
    item = selectors.agenda_item(meeting, form.cleaned_data["proposal"])
    if item is None:
        messages.error(
            request, _("Proposal #%(pk)s is not on this meeting's agenda.") % {"pk": form.cleaned_data["proposal"]}
        )
        return redirect(meeting)
    try:
        services.meeting_record_outcome(
            meeting=meeting,
            proposal=item.proposal,
            user=request.user,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
            base_history_id=form.cleaned_data["base_history_id"],
        )
    except ValidationError as error:
        # The page is shown again with the choice and the note as typed (the agenda row shows what
        # was recorded meanwhile), so nothing the coordinator wrote is lost.
        messages.error(request, " ".join(error.messages))
        return _render_meeting(request, meeting, status=409, outcome_form=form)
    messages.success(request, _("Outcome recorded for proposal #%(pk)s.") % {"pk": item.proposal_id})
    return redirect(meeting)


@require_http_methods(["GET", "POST"])
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation (and an optional reason); POST cancels and the invited are told.

    A meeting already cancelled (a second click, a repeated form) or one that has begun is not
    cancelled again: the person is taken back to the meeting with a message saying why.
    """
    meeting = get_meeting(pk)
    require_perm(request.user, "drafting.run_meeting", _("Only coordinators cancel meetings."))
    if meeting.is_cancelled:
        messages.info(request, _("The meeting “%(title)s” was already cancelled.") % {"title": meeting.title})
        return redirect(meeting)
    form = MeetingCancelForm(request.POST if request.method == "POST" else None)  # the reason may be left out
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancel(meeting=meeting, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(meeting)
        messages.success(request, _("Meeting cancelled; the invited get a cancellation for their calendars."))
        return redirect(meeting)
    if meeting.has_begun:
        messages.error(
            request,
            _("The meeting “%(title)s” has already begun or taken place: it can no longer be cancelled.")
            % {"title": meeting.title},
        )
        return redirect(meeting)
    return render(
        request,
        "drafting/meeting_cancel_confirm.html",
        {"meeting": meeting, "form": form, "invitees": meeting_invitees(meeting)},
        status=400 if form.is_bound else 200,
    )
