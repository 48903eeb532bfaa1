"""Comments and replies on a section or a proposal; editing and resolving them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from drafting import selectors, services
from drafting.forms import CommentEditForm, QuotedCommentForm
from drafting.models import Comment, Proposal, Section
from drafting.views import reading
from drafting.views.access import (
    get_comment,
    get_comment_for_author,
    get_comment_for_resolving,
    get_proposal,
    get_section,
    require_perm,
)
from drafting.views.proposals import proposal_page_context
from drafting.views.submissions import submit_once


def _from_section_page(request: HttpRequest) -> bool:
    """The form was sent from the section page (which shows the discussion in the text), not the board."""
    return request.POST.get("return") == "section"


def _comment_redirect(comment: Comment, *, to_section_page: bool = False):
    if comment.proposal_id:
        url = comment.proposal.get_absolute_url()
    elif to_section_page:
        url = comment.section.get_absolute_url()
    else:
        url = selectors.section_board_url(comment.section)
    return redirect(f"{url}#comment-{comment.pk}")


def _add_comment(
    request: HttpRequest, form: QuotedCommentForm, *, section: Section | None = None, proposal: Proposal | None = None
) -> Comment | None:
    """Add the comment the form describes; None when it cannot be added (the reason is on the form)."""
    if not form.is_valid():
        return None
    parent = None
    if form.cleaned_data["parent"]:
        parent = get_comment(form.cleaned_data["parent"])
        if (parent.section_id, parent.proposal_id) != (getattr(section, "pk", None), getattr(proposal, "pk", None)):
            raise Http404(_("That comment is not in this discussion."))
    try:
        sent = submit_once(
            request,
            form,
            lambda data: services.comment_add(
                author=request.user,
                body=data["body"],
                section=section,
                proposal=proposal,
                parent=parent,
                quote=data["quote"],
                quote_version=data["quote_version"],
                quote_prefix=data["quote_prefix"],
                quote_suffix=data["quote_suffix"],
            ),
        )
    except ValidationError as error:
        form.add_error(None, error)
        return None
    if sent.created:
        messages.success(request, _("Comment added."))
    return sent.obj


@require_POST
def section_comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request.user, "drafting.add_comment", _("Only members of the Working Group may comment."))
    section = get_section(pk)
    form = QuotedCommentForm(request.POST)
    comment = _add_comment(request, form, section=section)
    if comment is not None:
        return _comment_redirect(comment, to_section_page=_from_section_page(request))
    if _from_section_page(request):
        context = reading.section_page_context(request, section, comment_form=form)
        return render(request, "drafting/section_detail.html", context, status=400)
    return render(
        request,
        "drafting/section_board.html",
        {"section": section, "board": selectors.section_board(section), "comment_form": form},
        status=400,
    )


@require_POST
def proposal_comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request.user, "drafting.add_comment", _("Only members of the Working Group may comment."))
    proposal = get_proposal(pk)
    form = QuotedCommentForm(request.POST)
    comment = _add_comment(request, form, proposal=proposal)
    if comment is not None:
        return _comment_redirect(comment)
    return render(
        request,
        "drafting/proposal_detail.html",
        proposal_page_context(request, proposal, comment_form=form),
        status=400,
    )


@require_http_methods(["GET", "POST"])
def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_comment_for_author(request.user, pk)
    form = CommentEditForm(
        request.POST or None, initial={"body": comment.body, "base_history_id": services.latest_history_id(comment)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            comment = services.comment_edit(comment=comment, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            if isinstance(error, services.StaleConflict):
                form.rebase(error)
            form.add_error(None, error)
        else:
            messages.success(request, _("Comment updated; the earlier wording is kept in its history."))
            return _comment_redirect(comment)
    return render(
        request, "drafting/comment_form.html", {"comment": comment, "form": form}, status=400 if form.is_bound else 200
    )


@require_POST
def comment_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_comment_for_resolving(request.user, pk)
    try:
        comment = services.comment_set_resolved(
            comment=comment, user=request.user, resolved=request.POST.get("resolved") == "1"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _comment_redirect(comment, to_section_page=_from_section_page(request))
