"""Proposals: create, read, revise, withdraw, reject and merge them, and take positions on them."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from drafting import selectors, services
from drafting.forms import (
    CommentForm,
    MergeOverObjectionsForm,
    NewSectionProposalEditForm,
    NewSectionProposalForm,
    PositionForm,
    ProposalEditForm,
    ProposalForm,
    RejectForm,
)
from drafting.models import Proposal
from drafting.selectors.history import revision_authors
from drafting.selectors.reading import proposal_reading
from drafting.views.access import (
    expert_of,
    get_concept,
    get_proposal,
    get_proposal_for_author,
    get_proposal_for_decision,
    get_section,
    require_perm,
)
from drafting.views.submissions import submit_once
from notifications.services.visits import mark_visited

# The position form on the proposal page has a "reason" field too: the rejection's ids are its own.
REJECT_IDS = "reject_%s"


def _opened(request, sent: services.Submitted) -> HttpResponse:
    if sent.created:
        messages.success(request, _("Proposal #%(pk)s is open for positions and comments.") % {"pk": sent.obj.pk})
    return redirect(sent.obj)


@require_http_methods(["GET", "POST"])
def proposal_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Propose a new wording for a section, starting from its current revision."""
    section = get_section(pk)
    require_perm(request.user, "drafting.add_proposal", _("Only members of the Working Group may propose."))
    if section.is_retired:
        raise PermissionDenied(_("This section has been retired; it cannot be amended."))
    form = ProposalForm(request.POST or None, initial={"text": section.body, "base_version": section.version})
    if request.method == "POST" and form.is_valid():
        try:
            sent = submit_once(
                request,
                form,
                lambda data: services.proposal_create_amendment(section=section, author=request.user, **data),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _opened(request, sent)
    status = 400 if form.is_bound else 200
    return render(request, "drafting/proposal_form.html", {"section": section, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
def proposal_create_section(request: HttpRequest, pk: int) -> HttpResponse:
    concept = get_concept(pk)
    require_perm(request.user, "drafting.add_proposal", _("Only members of the Working Group may propose."))
    form = NewSectionProposalForm(request.POST or None, concept=concept)
    if request.method == "POST" and form.is_valid():
        try:
            sent = submit_once(
                request,
                form,
                lambda data: services.proposal_create_section(concept=concept, author=request.user, **data),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _opened(request, sent)
    status = 400 if form.is_bound else 200
    return render(
        request, "drafting/proposal_form.html", {"concept": concept, "form": form, "new_section": True}, status=status
    )


@require_safe
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_proposal(pk)
    mark_visited(request.user, proposal=proposal)
    return render(request, "drafting/proposal_detail.html", proposal_page_context(request, proposal))


def proposal_page_context(request, proposal, **extra):
    """Everything the proposal page shows; `extra` carries a bound form back with its errors.

    The proposed wording is shown with the passages its discussion quotes highlighted, each mark
    a link to its comment; selecting words in it fills the comment form's quote (static/js/reading.js).
    """
    expert = getattr(request.user, "expert", None)
    consensus = selectors.proposal_consensus(proposal)
    mine = next((p for b in consensus.blocs for p in b.positions if expert and p.expert_id == expert.pk), None)
    comparison = selectors.proposal_comparison(proposal)
    threads = selectors.comment_threads(proposal=proposal)
    return {
        "proposal": proposal,
        "comparison": comparison,
        "reading": proposal_reading(comparison, threads, text=proposal.text),
        "consensus": consensus,
        "threads": threads,
        "agenda_items": selectors.proposal_agenda_items(proposal),
        "my_position": mine,
        "position_form": extra.pop("position_form", None)
        or PositionForm(initial={"stance": mine.stance, "reason": mine.reason} if mine else None),
        "comment_form": extra.pop("comment_form", None) or CommentForm(),
        "reject_form": extra.pop("reject_form", None) or RejectForm(auto_id=REJECT_IDS),
        "can_take_position": expert is not None and request.user.has_perm("drafting.add_position"),
        "can_decide": request.user.has_perm("drafting.decide_proposal"),
        **extra,
    }


@require_http_methods(["GET", "POST"])
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The author revises an open proposal; when it needs review, against the current text."""
    proposal = get_proposal_for_author(request.user, pk)
    if not proposal.is_open:
        raise PermissionDenied(_("This proposal is closed; it can no longer be changed."))
    if proposal.kind == Proposal.Kind.NEW_SECTION:
        form_class, kwargs = NewSectionProposalEditForm, {"concept": proposal.concept}
        initial = {
            "title": proposal.title,
            "heading": proposal.heading,
            "parent": proposal.new_parent_id,
            "text": proposal.text,
            "rationale": proposal.rationale,
        }
    else:
        form_class, kwargs = ProposalEditForm, {}
        plan = selectors.proposal_merge_plan(proposal)
        initial = {
            "title": proposal.title,
            "text": plan.merge.text if plan.stale else proposal.text,
            "rationale": proposal.rationale,
            "base_version": plan.version,
        }
    initial["base_history_id"] = services.latest_history_id(proposal)
    form = form_class(request.POST or None, initial=initial, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_update(proposal=proposal, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            if isinstance(error, services.StaleConflict):
                form.rebase(error)
            form.add_error(None, error)
        else:
            messages.success(request, _("Proposal updated; the earlier wording is kept in its history."))
            return redirect(proposal)
    return render(
        request,
        "drafting/proposal_form.html",
        {
            "proposal": proposal,
            "section": proposal.section,
            "form": form,
            "new_section": form_class is NewSectionProposalEditForm,
        },
        status=400 if form.is_bound else 200,
    )


@require_POST
def proposal_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_proposal_for_author(request.user, pk)
    try:
        services.proposal_withdraw(proposal=proposal, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Proposal withdrawn."))
    return redirect(proposal)


@require_POST
def position_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the signed-in expert's own position; nobody can answer for someone else."""
    expert = expert_of(request.user)
    proposal = get_proposal(pk)
    form = PositionForm(request.POST)
    if form.is_valid():
        try:
            services.position_record(proposal=proposal, expert=expert, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your position is recorded."))
            return redirect(proposal)
    context = proposal_page_context(request, proposal, position_form=form)
    return render(request, "drafting/proposal_detail.html", context, status=400)


@require_POST
def proposal_reject(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_proposal_for_decision(request.user, pk)
    form = RejectForm(request.POST, auto_id=REJECT_IDS)
    if form.is_valid():
        try:
            services.proposal_reject(proposal=proposal, decided_by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Proposal #%(pk)s rejected; the author sees your reason.") % {"pk": proposal.pk}
            )
            return redirect(proposal)
    return render(
        request, "drafting/proposal_detail.html", proposal_page_context(request, proposal, reject_form=form), status=400
    )


@require_http_methods(["GET", "POST"])
def proposal_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge a proposal: a preview when it applies cleanly, base/current/proposed side by side when not.

    The page shows where the group stands; over an objection the coordinator confirms and gives
    a reason, which the service checks again under the lock and records with the merge.
    """
    proposal = get_proposal_for_decision(request.user, pk)
    if not proposal.is_open:
        messages.error(
            request,
            _("Proposal #%(pk)s is %(status)s; it cannot be merged.")
            % {"pk": proposal.pk, "status": proposal.get_status_display().lower()},
        )
        return redirect(proposal)
    if proposal.kind == Proposal.Kind.NEW_SECTION:
        form = MergeOverObjectionsForm(request.POST or None, initial={"text": proposal.text, "planned_version": 1})
        plan = None
    else:
        plan = selectors.proposal_merge_plan(proposal)
        initial = {"text": plan.merge.text, "planned_version": plan.version}
        form = MergeOverObjectionsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.proposal_merge(
                proposal=proposal,
                merged_by=request.user,
                text=form.cleaned_data["text"],
                planned_version=form.cleaned_data["planned_version"] if plan else None,
                override_reason=form.cleaned_data["override_reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if outcome.status == "merged":
                messages.success(
                    request,
                    _("Merged proposal #%(pk)s as revision %(version)s of “%(heading)s”.")
                    % {"pk": proposal.pk, "version": outcome.section.version, "heading": outcome.section.heading},
                )
                return redirect(outcome.section)
            plan = outcome.plan
            kept = {k: form.cleaned_data[k] for k in ("confirm_objections", "override_reason")}
            form = MergeOverObjectionsForm(initial={"text": plan.merge.text, "planned_version": plan.version, **kept})
            messages.warning(
                request,
                _("The section changed while you were merging, and the changes overlap. Review the result again."),
            )
    context = {
        "proposal": proposal,
        "plan": plan,
        "form": form,
        "consensus": selectors.proposal_consensus(proposal),
        "agreed_meeting": proposal.agreed_meeting,
    }
    if plan is not None:
        context["authors"] = revision_authors(proposal.section, after=proposal.base_version) if plan.stale else []
        context["conflict_regions"] = plan.merge.conflicts
        context["their_change"] = selectors.compare_texts(plan.base_text, plan.current_text).inline_html
        context["proposed_change"] = selectors.compare_texts(plan.base_text, proposal.text).inline_html
        context["result_change"] = selectors.compare_texts(plan.current_text, plan.merge.text).inline_html
    return render(request, "drafting/proposal_merge.html", context, status=400 if form.is_bound else 200)


@require_safe
def proposal_list(request: HttpRequest, pk: int) -> HttpResponse:
    concept = get_concept(pk)
    proposals = selectors.proposal_list(concept)
    return render(request, "drafting/proposal_list.html", {"concept": concept, "proposals": proposals})
