"""Editions: freezing and reading them, comparing them with each other or the draft, and exports."""

from contextlib import nullcontext

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from drafting import exports, selectors, services
from drafting.forms import EditionForm
from drafting.selectors.parallel_exports import edition_parallel_status, export_choices, export_languages
from drafting.views.access import get_concept, get_concept_edition, get_edition, require_perm
from drafting.views.submissions import submit_once


@require_http_methods(["GET", "POST"])
def edition_list(request: HttpRequest, pk: int) -> HttpResponse:
    concept = get_concept(pk)
    form = EditionForm(request.POST or None)
    if request.method == "POST":
        require_perm(request.user, "drafting.freeze_edition", _("Only coordinators may freeze editions."))
        if form.is_valid():
            try:
                sent = submit_once(
                    request, form, lambda data: services.edition_freeze(concept=concept, user=request.user, **data)
                )
            except ValidationError as error:
                form.add_error(None if isinstance(error, services.SubmissionReused) else "name", error)
            else:
                if sent.created:
                    messages.success(request, _("Edition “%(name)s” frozen.") % {"name": sent.obj.name})
                return redirect(sent.obj)
    editions = selectors.edition_list(concept)
    return render(
        request,
        "drafting/edition_list.html",
        {"concept": concept, "editions": editions, "form": form, "export_choices": export_choices(concept)},
        status=400 if form.is_bound else 200,
    )


@require_safe
def edition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    edition = get_edition(pk)
    frozen = edition_parallel_status(edition)
    entries = [(entry, frozen.get(entry.section_id, [])) for entry in selectors.edition_entries(edition)]
    return render(
        request,
        "drafting/edition_detail.html",
        {
            "edition": edition,
            "concept": edition.concept,
            "entries": entries,
            "export_choices": export_choices(edition.concept),
        },
    )


@require_safe
def edition_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """Any two editions, or an edition and the current draft, section by section."""
    concept = get_concept(pk)
    editions = selectors.editions_newest_first(concept)
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
    return render(
        request,
        "drafting/edition_compare.html",
        {
            "concept": concept,
            "editions": editions,
            "old": old,
            "new": new,
            "changes": selectors.compare_documents(old_entries, new_entries),
        },
    )


@require_safe
def document_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """Download the current draft (?edition= for an edition) as HTML, PDF, DOCX or Markdown, in the
    drafting language (the default), a parallel language (?language=kk) or both (?language=bilingual).

    Asked for a language, the file's own words (title page, notes) are in it; without one they are
    in the reader's language, as before languages could be chosen.
    """
    concept = get_concept(pk)
    if fmt not in exports.FORMATS:
        raise Http404
    code = request.GET.get("language", "")
    languages = export_languages(concept, code)
    if languages is None:
        raise Http404(_("This Concept has no text in that language."))
    edition = get_concept_edition(concept, request.GET["edition"]) if request.GET.get("edition") else None
    with translation.override(languages.main) if code else nullcontext():
        snapshot = selectors.document_snapshot(concept, edition, languages)
        content = exports.render_export(snapshot, fmt, request=request if fmt == "html" else None)
    response = HttpResponse(content, content_type=exports.FORMATS[fmt])
    filename = f"{snapshot.file_stem}{languages.suffix}.{fmt}"
    response["Content-Disposition"] = content_disposition_header(fmt != "html", filename)
    return response
