"""Boards: what is open on one section, and the coordinators' merge queue."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from drafting import selectors
from drafting.forms import CommentForm
from drafting.views.access import get_concept, get_section, require_perm


@require_safe
def section_board(request: HttpRequest, pk: int) -> HttpResponse:
    section = get_section(pk)
    return render(
        request,
        "drafting/section_board.html",
        {"section": section, "board": selectors.section_board(section), "comment_form": CommentForm()},
    )


@require_safe
def merge_queue(request: HttpRequest, pk: int) -> HttpResponse:
    concept = get_concept(pk)
    require_perm(request.user, "drafting.decide_proposal", _("Only coordinators see the merge queue."))
    return render(request, "drafting/merge_queue.html", {"concept": concept, "groups": selectors.merge_queue(concept)})
