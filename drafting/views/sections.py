"""Reading a section and its history, editing its text, and reverting it."""

import time

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from drafting import selectors, services
from drafting.forms import RevertForm, SectionEditForm
from drafting.markdown import MarkdownTooComplex
from drafting.selectors.history import revision_authors
from drafting.selectors.parallel import concept_languages, language_name, parallel_language, parallel_view
from drafting.selectors.parallel_exports import export_choices
from drafting.views import reading
from drafting.views.access import get_concept, get_section, get_section_for_edit, require_perm
from notifications.services.visits import mark_visited

HISTORY_PAGE_SIZE = 25


@require_safe
def concept_toc(request: HttpRequest, pk: int) -> HttpResponse:
    concept = get_concept(pk)
    outline = selectors.concept_outline(concept)
    return render(request, "drafting/concept_toc.html", {"concept": concept, "outline": outline})


@require_safe
def concept_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole Concept as one numbered document, from stored HTML (never rendered on read)."""
    concept = get_concept(pk)
    parallel = _parallel_param(request, concept)
    body = selectors.document_body_html(
        concept, can_edit=request.user.has_perm("drafting.edit_section_text"), parallel=parallel
    )
    return render(
        request,
        "drafting/concept_document.html",
        {
            "concept": concept,
            "body": body,
            "numbers": reading.paragraph_numbers_on(request),
            "parallel": parallel,
            "parallel_choices": [(code, language_name(code)) for code in concept_languages(concept)],
            "export_choices": export_choices(concept),
        },
    )


def _parallel_param(request: HttpRequest, concept) -> str | None:
    """The side-by-side language asked for with `?parallel=kk`: None without it, 404 for one the Concept lacks."""
    code = request.GET.get("parallel")
    return parallel_language(concept, code) if code else None


@require_safe
def section_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A section with its discussion in the text: marked passages, the thread panel, comment and suggest."""
    section = get_section(pk)
    parallel = _parallel_param(request, section.concept)
    mark_visited(request.user, section=section)
    context = reading.section_page_context(request, section)
    context["parallel_choices"] = [(code, language_name(code)) for code in concept_languages(section.concept)]
    if parallel:
        context |= parallel_view(section, parallel, context["reading"].html)
    return render(request, "drafting/section_detail.html", context)


def _conflict_context(outcome: services.EditOutcome) -> dict:
    section = outcome.section
    base_text = selectors.revision_text(section, outcome.base_version)
    their_change = selectors.compare_texts(base_text, section.body).inline_html
    authors = revision_authors(section, after=outcome.base_version)
    return {"conflict": outcome.merge, "their_change": their_change, "current_section": section, "authors": authors}


@require_http_methods(["GET", "POST"])
def section_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a section's text. A stale edit is merged word by word; a true overlap shows the conflict page."""
    section = get_section_for_edit(request.user, pk)
    context = {"section": section, "number": selectors.section_number(section)}
    if request.method == "GET":
        form = SectionEditForm(initial={"body": section.body, "base_version": section.version})
        return render(request, "drafting/section_edit.html", context | {"form": form})

    form = SectionEditForm(request.POST)
    if "preview" in request.POST:
        return _preview(request, form, context)
    if not form.is_valid():
        return render(request, "drafting/section_edit.html", context | {"form": form}, status=400)
    try:
        outcome = services.section_edit(
            section=section,
            base_version=form.cleaned_data["base_version"],
            body=form.cleaned_data["body"],
            user=request.user,
            summary=form.cleaned_data["summary"],
        )
    except MarkdownTooComplex as error:
        form.add_error("body", error)
        return render(request, "drafting/section_edit.html", context | {"form": form}, status=400)
    except ValidationError as error:
        form.add_error(None, error)
        return render(request, "drafting/section_edit.html", context | {"form": form}, status=409)

    if outcome.status == "conflict":
        # The person's words stay in the editor (with the other change's clean parts merged
        # in); the next save starts from the current revision and is checked again.
        form = SectionEditForm(
            initial={
                "body": outcome.merge.text,
                "summary": form.cleaned_data["summary"],
                "base_version": outcome.section.version,
            }
        )
        return render(
            request, "drafting/section_edit.html", context | {"form": form, **_conflict_context(outcome)}, status=409
        )
    _announce_edit(request, outcome)
    return redirect(section)


def _preview(request: HttpRequest, form: SectionEditForm, context: dict) -> HttpResponse:
    """The same pipeline as the saved page; a missing summary is no reason to refuse a preview.

    Rendering costs up to settings.MARKDOWN_RENDER_SECONDS of a worker, so previews are counted
    per person; a refused text stays in the editor with the reason.
    """
    if form["body"].errors:
        return render(request, "drafting/section_edit.html", context | {"form": form, "preview": None})
    kept = SectionEditForm(initial=request.POST.dict())
    if not _preview_allowed(request.user):
        limit = _previews_per_minute()
        message = ngettext(
            "You have asked for %(limit)s preview in the last minute. Wait a minute before the next one; your text "
            "is kept below.",
            "You have asked for %(limit)s previews in the last minute. Wait a minute before the next one; your text "
            "is kept below.",
            limit,
        ) % {"limit": limit}
        return render(
            request, "drafting/section_edit.html", context | {"form": kept, "preview_errors": [message]}, status=429
        )
    try:
        preview = selectors.preview_html(form.cleaned_data["body"])
    except MarkdownTooComplex as error:
        return render(
            request,
            "drafting/section_edit.html",
            context | {"form": kept, "preview_errors": error.messages},
            status=400,
        )
    return render(request, "drafting/section_edit.html", context | {"form": kept, "preview": preview})


def _previews_per_minute() -> int:
    return int(getattr(settings, "MARKDOWN_PREVIEWS_PER_MINUTE", 20))


def _preview_allowed(user) -> bool:
    """Count this preview in the shared cache (one key per person and clock minute)."""
    key = f"section-preview:{user.pk}:{int(time.time() // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        count = 1
        cache.set(key, count, timeout=120)
    return count <= _previews_per_minute()


def _announce_edit(request: HttpRequest, outcome: services.EditOutcome) -> None:
    section = outcome.section
    if outcome.status == "unchanged":
        messages.info(request, _("Nothing to save: the section already has this text."))
    elif outcome.status == "merged":
        diff_url = reverse("drafting:section-compare", args=[section.pk])
        messages.success(
            request,
            format_html(
                _(
                    "Saved as revision {version}. The section had changed since you opened it; your change was merged "
                    'with the other edit, word by word. <a href="{url}">See what changed since your revision '
                    "{base}</a>."
                ),
                version=section.version,
                base=outcome.base_version,
                url=f"{diff_url}?from={outcome.base_version}&to={section.version}",
            ),
        )
    else:
        messages.success(request, _("Saved as revision %(version)s.") % {"version": section.version})


@require_safe
def section_history(request: HttpRequest, pk: int) -> HttpResponse:
    section = get_section(pk)
    page = Paginator(selectors.section_history(section), HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "drafting/section_history.html",
        {"section": section, "page": page, "can_revert": request.user.has_perm("drafting.revert_section")},
    )


def _version_param(request: HttpRequest, name: str, default: int) -> int:
    try:
        return int(request.GET.get(name, default))
    except ValueError:
        raise Http404(_("Revision numbers are whole numbers.")) from None


@require_safe
def section_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """Word-level comparison of any two revisions, inline or side by side."""
    section = get_section(pk)
    new_version = _version_param(request, "to", section.version)
    old_version = _version_param(request, "from", max(new_version - 1, 1))
    rows = selectors.revisions(section, [old_version, new_version])
    if old_version not in rows or new_version not in rows:
        raise Http404(_("This section has no such revision."))
    mode = "side" if request.GET.get("mode") == "side" else "inline"
    return render(
        request,
        "drafting/section_compare.html",
        {
            "section": section,
            "comparison": selectors.section_comparison(rows[old_version], rows[new_version]),
            "mode": mode,
        },
    )


@require_safe
def section_revision(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    section = get_section(pk)
    row = selectors.revisions(section, [version]).get(version)
    if row is None:
        raise Http404(_("This section has no such revision."))
    return render(
        request,
        "drafting/section_revision.html",
        {
            "section": section,
            "revision": row,
            "html": selectors.revision_html(section.pk, row.version, row.body),
            "can_revert": request.user.has_perm("drafting.revert_section") and row.version < section.version,
        },
    )


@require_safe
def section_attribution(request: HttpRequest, pk: int) -> HttpResponse:
    section = get_section(pk)
    return render(
        request,
        "drafting/section_attribution.html",
        {"section": section, "paragraphs": selectors.section_attribution(section)},
    )


@require_http_methods(["GET", "POST"])
def section_revert(request: HttpRequest, pk: int) -> HttpResponse:
    """GET (?version=N) asks for confirmation and shows what restoring changes; POST restores.

    The confirmation is a page, so it works without JavaScript; the history and revision pages link to it.
    """
    section = get_section(pk)
    require_perm(request.user, "drafting.revert_section", _("Only coordinators may revert a section."))
    form = RevertForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        messages.error(request, _("Choose a revision to restore."))
        return redirect("drafting:section-history", section.pk)
    if request.method == "GET":
        return _revert_confirmation(request, section, form.cleaned_data["version"])
    try:
        section = services.section_revert(section=section, to_version=form.cleaned_data["version"], user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("drafting:section-history", section.pk)
    messages.success(
        request,
        _("Restored revision %(old)s as revision %(new)s.")
        % {"old": form.cleaned_data["version"], "new": section.version},
    )
    return redirect(section)


def _revert_confirmation(request: HttpRequest, section, version: int) -> HttpResponse:
    rows = selectors.revisions(section, [version, section.version])
    if version not in rows or version >= section.version:
        messages.error(request, _("There is no earlier revision %(version)s to restore.") % {"version": version})
        return redirect("drafting:section-history", section.pk)
    context = {
        "section": section,
        "revision": rows[version],
        "comparison": selectors.section_comparison(rows[section.version], rows[version]),
    }
    return render(request, "drafting/section_revert_confirm.html", context)
