"""Parallel texts: the translation page of a Concept, the translator's page of a section, its history and restore.

Everyone signed in reads; whoever may edit section text may edit a parallel text. A language the
Concept does not have is a 404, like a section that does not exist.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from drafting import selectors
from drafting.forms import LOST_REVERT_BASE, ParallelConfirmForm, ParallelRevertForm, ParallelTextForm, RevertForm
from drafting.markdown import MarkdownTooComplex
from drafting.models import ParallelText
from drafting.selectors import parallel as parallel_selectors
from drafting.selectors.history import revision_authors
from drafting.services import parallel as parallel_services
from drafting.views.access import get_concept, get_section, require_perm
from drafting.views.sections import HISTORY_PAGE_SIZE, _version_param
from notifications.services import translation_watches

EDIT_PERM = "drafting.edit_section_text"


def _section_and_language(pk: int, language: str):
    section = get_section(pk)
    return section, parallel_selectors.parallel_language(section.concept, language)


def _missing(request: HttpRequest, section, language: str) -> HttpResponse:
    """History, compare and "who wrote this" of a translation not written yet: say so, and where to write it."""
    return render(request, "drafting/parallel_missing.html", _base_context(section, language) | {"text": None})


def _base_context(section, language: str) -> dict:
    return {
        "section": section,
        "number": selectors.section_number(section),
        "language": language,
        "language_name": parallel_selectors.language_name(language),
    }


@require_safe
def translation_overview(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    """Every current section whose text in `language` is out of date or missing, with how much changed."""
    concept = get_concept(pk)
    language = parallel_selectors.parallel_language(concept, language)
    summary, items = parallel_selectors.translation_overview(concept, language)
    return render(
        request,
        "drafting/translation_overview.html",
        {
            "concept": concept,
            "language": language,
            "language_name": parallel_selectors.language_name(language),
            "summary": summary,
            "items": items,
            "watching": translation_watches.is_watching(user=request.user, concept=concept, language=language),
        },
    )


@require_POST
def translation_watch(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    """Start or stop hearing when a drafting change makes this language's text of a section out of date."""
    concept = get_concept(pk)
    if request.POST.get("watch") == "off":
        # Stopping needs no check of the language: a watch outlives a language the Concept has dropped.
        translation_watches.unwatch(user=request.user, concept=concept, language=language)
        messages.success(request, _("You will no longer hear when this translation becomes out of date."))
    else:
        language = parallel_selectors.parallel_language(concept, language)
        translation_watches.watch(user=request.user, concept=concept, language=language)
        messages.success(request, _("You will hear when a change makes a section of this translation out of date."))
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return redirect(next_url)  # "Everything I watch" sends people back to it
    if language not in parallel_selectors.concept_languages(concept):
        return redirect("notifications:watching")
    return redirect("drafting:translation", concept.pk, language)


def _edit_form(text: ParallelText | None, section) -> ParallelTextForm:
    return ParallelTextForm(
        initial={
            "heading": text.heading if text else "",
            "body": text.body if text else "",
            "base_version": text.version if text else 0,
            "source_version": section.version,
        }
    )


def _editor_context(section, language: str, text: ParallelText | None, form: ParallelTextForm) -> dict:
    return _base_context(section, language) | {
        "text": text,
        "status": parallel_selectors.ParallelStatus(section.pk, section.version, text),
        "change": parallel_selectors.source_change(section, text),
        "form": form,
    }


@require_http_methods(["GET", "POST"])
def parallel_edit(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    """The translator's page: what the drafting text changed since the translated revision, beside an editor."""
    section, language = _section_and_language(pk, language)
    if request.method == "POST":
        require_perm(request.user, EDIT_PERM, _("Only members of the Working Group may edit translations."))
    text = parallel_selectors.parallel_text(section, language)
    if request.method == "GET":
        return render(
            request, "drafting/parallel_edit.html", _editor_context(section, language, text, _edit_form(text, section))
        )
    if section.is_retired:
        raise PermissionDenied(_("This section has been retired; restore it before editing its translation."))
    form = ParallelTextForm(request.POST)
    if not form.is_valid():
        return render(
            request, "drafting/parallel_edit.html", _editor_context(section, language, text, form), status=400
        )
    data = form.cleaned_data
    try:
        outcome = parallel_services.parallel_text_save(
            section=section,
            language=language,
            base_version=data["base_version"] or None,
            source_version=data["source_version"],
            heading=data["heading"],
            body=data["body"],
            user=request.user,
            summary=data["summary"],
        )
    except MarkdownTooComplex as error:
        form.add_error("body", error)
        return render(
            request, "drafting/parallel_edit.html", _editor_context(section, language, text, form), status=400
        )
    except ValidationError as error:
        form.add_error(None, error)
        return render(
            request, "drafting/parallel_edit.html", _editor_context(section, language, text, form), status=409
        )
    if outcome.status == "conflict":
        form = ParallelTextForm(
            initial={
                "heading": data["heading"],
                "body": outcome.merge.text,
                "summary": data["summary"],
                "base_version": outcome.text.version,
                "source_version": data["source_version"],
            }
        )
        base_text = selectors.revision_text(outcome.text, outcome.base_version) if outcome.base_version else ""
        context = _editor_context(section, language, outcome.text, form) | {
            "conflict": outcome.merge,
            "their_change": selectors.compare_texts(base_text, outcome.text.body).inline_html,
            "authors": revision_authors(outcome.text, after=outcome.base_version),
        }
        return render(request, "drafting/parallel_edit.html", context, status=409)
    if outcome.status == "unchanged":
        messages.info(request, _("Nothing to save: the translation already has this text."))
    elif outcome.status == "merged":
        messages.success(
            request,
            _(
                "Saved as revision %(version)s of the translation. It had changed since you opened it; your change "
                "was merged with the other edit, word by word."
            )
            % {"version": outcome.text.version},
        )
    else:
        messages.success(
            request, _("Saved as revision %(version)s of the translation.") % {"version": outcome.text.version}
        )
    return redirect("drafting:parallel-edit", section.pk, language)


@require_POST
def parallel_confirm(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    """ "Still accurate": the translation says what the drafting text says now; no new text revision."""
    section, language = _section_and_language(pk, language)
    require_perm(request.user, EDIT_PERM, _("Only members of the Working Group may edit translations."))
    form = ParallelConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["source_version"]))
        return redirect("drafting:parallel-edit", section.pk, language)
    source_version = form.cleaned_data["source_version"]
    try:
        parallel_services.parallel_text_confirm(
            section=section, language=language, source_version=source_version, user=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Marked as still accurate for revision %(version)s of the section.") % {"version": source_version},
        )
    return redirect("drafting:parallel-edit", section.pk, language)


@require_safe
def parallel_history(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    section, language = _section_and_language(pk, language)
    text = parallel_selectors.parallel_text(section, language)
    if text is None:
        return _missing(request, section, language)
    text.section = section
    page = Paginator(selectors.section_history(text), HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    can_revert = request.user.has_perm(EDIT_PERM) and not section.is_retired
    return render(
        request,
        "drafting/parallel_history.html",
        _base_context(section, language) | {"text": text, "page": page, "can_revert": can_revert},
    )


@require_safe
def parallel_compare(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    section, language = _section_and_language(pk, language)
    text = parallel_selectors.parallel_text(section, language)
    if text is None:
        return _missing(request, section, language)
    text.section = section
    new_version = _version_param(request, "to", text.version)
    old_version = _version_param(request, "from", max(new_version - 1, 1))
    rows = selectors.revisions(text, [old_version, new_version])
    if old_version not in rows or new_version not in rows:
        raise Http404(_("This translation has no such revision."))
    mode = "side" if request.GET.get("mode") == "side" else "inline"
    return render(
        request,
        "drafting/parallel_compare.html",
        _base_context(section, language)
        | {
            "text": text,
            "comparison": selectors.section_comparison(rows[old_version], rows[new_version]),
            "mode": mode,
        },
    )


@require_safe
def parallel_attribution(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    section, language = _section_and_language(pk, language)
    text = parallel_selectors.parallel_text(section, language)
    if text is None:
        return _missing(request, section, language)
    text.section = section
    return render(
        request,
        "drafting/parallel_attribution.html",
        _base_context(section, language) | {"text": text, "paragraphs": selectors.section_attribution(text)},
    )


@require_http_methods(["GET", "POST"])
def parallel_revert(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    """GET (?version=N) shows what restoring revision N changes and asks why; POST restores it.

    The POST carries the revision of the translation the person saw: if it has changed since, nothing
    is restored and the page shows the diff from the text as it is now, with their reason kept.
    """
    section, language = _section_and_language(pk, language)
    require_perm(request.user, EDIT_PERM, _("Only members of the Working Group may edit translations."))
    if section.is_retired:
        raise PermissionDenied(_("This section has been retired; restore it before editing its translation."))
    text = parallel_selectors.parallel_text(section, language)
    if text is None:
        return _missing(request, section, language)
    text.section = section
    form = ParallelRevertForm(request.POST if request.method == "POST" else None)
    chosen = RevertForm(request.POST if request.method == "POST" else request.GET)
    if not chosen.is_valid():
        messages.error(request, _("Choose a revision of the translation to restore."))
        return redirect("drafting:parallel-history", section.pk, language)
    version = chosen.cleaned_data["version"]
    if request.method == "GET":
        form.initial = {"version": version, "base_version": text.version}
        return _revert_page(request, section, language, text, version, form)
    if not form.is_valid():
        if "base_version" in form.errors:
            form = _rebased(request, text, LOST_REVERT_BASE)
        return _revert_page(request, section, language, text, version, form, status=400)
    data = form.cleaned_data
    try:
        text = parallel_services.parallel_text_revert(
            section=section,
            language=language,
            version=version,
            base_version=data["base_version"],
            reason=data["reason"],
            user=request.user,
        )
    except ValidationError as error:
        text = parallel_selectors.parallel_text(section, language)
        text.section = section
        return _revert_page(request, section, language, text, version, _rebased(request, text, error), status=409)
    messages.success(
        request,
        _("Restored revision %(old)s of the translation as revision %(new)s.") % {"old": version, "new": text.version},
    )
    if text.source_version != section.version:
        messages.warning(
            request,
            _(
                "The restored translation is out of date with the section's current text: bring it up to date, or "
                "mark it as still accurate."
            ),
        )
    return redirect("drafting:parallel-edit", section.pk, language)


def _rebased(request: HttpRequest, text: ParallelText, error) -> ParallelRevertForm:
    """The person's form again, now from the current revision (the page shows the diff from it), reason kept."""
    data = request.POST.copy()
    data["base_version"] = text.version
    form = ParallelRevertForm(data)
    form.is_valid()
    form.add_error(None, error)
    return form


def _revert_page(request, section, language: str, text, version: int, form, *, status: int = 200) -> HttpResponse:
    """The confirmation: the word diff from the current text to the one restored, and what it will translate."""
    revision = parallel_selectors.parallel_revision(text, version)
    if revision is None or version >= text.version:
        messages.error(
            request, _("This translation has no earlier revision %(version)s to restore.") % {"version": version}
        )
        return redirect("drafting:parallel-history", section.pk, language)
    context = _base_context(section, language) | {
        "text": text,
        "revision": revision,
        "comparison": selectors.section_comparison(text, revision),
        "form": form,
    }
    return render(request, "drafting/parallel_revert_confirm.html", context, status=status)
