"""The outline page and its actions (coordinators): add, move, rename, re-parent, retire, restore.

Each action has its own route and is one service call with a history row.
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from drafting import selectors, services
from drafting.forms import SectionAddForm, SectionRenameForm, SectionReparentForm
from drafting.models import Section
from drafting.views.access import get_concept, get_section_for_outline, require_perm


@require_safe
def concept_outline(request: HttpRequest, pk: int) -> HttpResponse:
    concept = get_concept(pk)
    require_perm(request.user, "drafting.shape_outline", _("Only coordinators may change the outline."))
    return render(
        request,
        "drafting/concept_outline.html",
        {
            "concept": concept,
            "nodes": selectors.flatten(selectors.concept_outline(concept)),
            "retired": selectors.retired_sections(concept),
        },
    )


@require_http_methods(["GET", "POST"])
def section_add(request: HttpRequest, pk: int) -> HttpResponse:
    concept = get_concept(pk)
    require_perm(request.user, "drafting.shape_outline", _("Only coordinators may add sections."))
    form = SectionAddForm(request.POST or None, concept=concept, initial={"parent": request.GET.get("parent")})
    if request.method == "POST" and form.is_valid():
        try:
            section = services.section_create(concept=concept, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Section “%(heading)s” added.") % {"heading": section.heading})
            return redirect(section)
    status = 400 if request.method == "POST" else 200
    return render(request, "drafting/section_add.html", {"concept": concept, "form": form}, status=status)


def _change_outline(request: HttpRequest, pk: int, change: Callable[[Section], object]) -> HttpResponse:
    """Apply one change to a section's place in the outline; a refusal comes back as a message."""
    section = get_section_for_outline(request.user, pk)
    try:
        changed = change(section)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        # The section as the change left it: after a rename, the message names the new heading.
        heading = changed.heading if isinstance(changed, Section) else section.heading
        messages.success(request, _("Outline updated: “%(heading)s”.") % {"heading": heading})
    return redirect("drafting:concept-outline", section.concept_id)


@require_POST
def section_move_up(request: HttpRequest, pk: int) -> HttpResponse:
    return _change_outline(
        request, pk, lambda section: services.section_move(section=section, direction="up", user=request.user)
    )


@require_POST
def section_move_down(request: HttpRequest, pk: int) -> HttpResponse:
    return _change_outline(
        request, pk, lambda section: services.section_move(section=section, direction="down", user=request.user)
    )


@require_http_methods(["GET", "POST"])
def section_retire(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation (a page, so it works without JavaScript); POST retires."""
    if request.method == "GET":
        section = get_section_for_outline(request.user, pk)
        if section.is_retired:
            messages.info(request, _("“%(heading)s” is already retired.") % {"heading": section.heading})
            return redirect("drafting:concept-outline", section.concept_id)
        context = {"section": section, "number": selectors.section_number(section)}
        return render(request, "drafting/section_retire_confirm.html", context)
    return _change_outline(
        request, pk, lambda section: services.section_set_retired(section=section, retired=True, user=request.user)
    )


@require_POST
def section_restore(request: HttpRequest, pk: int) -> HttpResponse:
    return _change_outline(
        request, pk, lambda section: services.section_set_retired(section=section, retired=False, user=request.user)
    )


@require_POST
def section_rename(request: HttpRequest, pk: int) -> HttpResponse:
    def rename(section: Section) -> Section:
        form = SectionRenameForm(request.POST)
        if not form.is_valid():
            raise ValidationError(form.errors["heading"])
        return services.section_rename(section=section, heading=form.cleaned_data["heading"], user=request.user)

    return _change_outline(request, pk, rename)


@require_POST
def section_reparent(request: HttpRequest, pk: int) -> HttpResponse:
    def reparent(section: Section) -> Section:
        form = SectionReparentForm(request.POST, section=section)
        if not form.is_valid():
            raise ValidationError(form.errors["parent"])
        return services.section_reparent(section=section, parent=form.cleaned_data["parent"], user=request.user)

    return _change_outline(request, pk, reparent)
