"""Suggesting a change to a passage selected in a section."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from drafting.forms import SuggestionForm
from drafting.services.suggestions import suggestion_create
from drafting.views import reading
from drafting.views.access import get_section, require_perm
from drafting.views.submissions import submit_once


@require_POST
def section_suggest(request: HttpRequest, pk: int) -> HttpResponse:
    """Create an amendment proposal that replaces only the selected passage; back to the form if it cannot."""
    require_perm(request.user, "drafting.add_proposal", _("Only members of the Working Group may propose."))
    section = get_section(pk)
    form = SuggestionForm(request.POST, prefix="suggest")
    if form.is_valid():
        try:
            sent = submit_once(
                request, form, lambda data: suggestion_create(section=section, author=request.user, **data)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if sent.created:
                messages.success(
                    request,
                    _("Your suggestion is now proposal #%(number)s: the group can take positions on it.")
                    % {"number": sent.obj.pk},
                )
            return redirect(sent.obj)
    context = reading.section_page_context(request, section, suggestion_form=form)
    return render(request, "drafting/section_detail.html", context, status=400)
