"""Word files: importing a draft (coordinators), its kept original, and proposals from an edited export."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_safe

from drafting.selectors import word as word_selectors
from drafting.services.imports import concept_has_text, concept_import_word
from drafting.services.word_proposals import proposals_from_word
from drafting.views.access import get_concept, require_perm
from drafting.views.submissions import submit_once
from drafting.word import safety, storage
from drafting.word.docx_import import ParsedDocx, build_outline, parse_docx
from drafting.word.forms import WordOutlineForm, WordProposalsForm, WordUploadForm

ONLY_COORDINATORS = gettext_lazy("Only coordinators may import a Word draft.")
ONLY_MEMBERS = gettext_lazy("Only members of the Working Group may propose.")


def _parse(data: bytes) -> ParsedDocx:
    try:
        return parse_docx(data)
    except Exception as error:  # mammoth and lxml raise many kinds on a damaged file
        raise ValidationError(
            _("This Word file is damaged and cannot be read. Open it in Word, save it again and upload it.")
        ) from error


def _limit_mb() -> int:
    return safety.upload_max_bytes() // (1024 * 1024)


def _file_name(request: HttpRequest, sha256: str) -> str:
    return request.session.get(f"word-file-{sha256}", "document.docx")


def _pending(request: HttpRequest, sha256: str) -> bytes:
    data = storage.read_pending(request.user.pk, sha256)
    if data is None:
        raise Http404(_("This upload is not yours or has expired; upload the file again."))
    return data


@require_http_methods(["GET", "POST"])
def word_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a Word draft; the outline is chosen and confirmed on the preview page."""
    concept = get_concept(pk)
    require_perm(request.user, "drafting.shape_outline", str(ONLY_COORDINATORS))
    form = WordUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            _parse(form.cleaned_data["data"])
        except ValidationError as error:
            form.add_error("file", error)
        else:
            sha256 = storage.save_pending(request.user.pk, form.cleaned_data["data"])
            request.session[f"word-file-{sha256}"] = form.cleaned_data["name"]
            return redirect("drafting:word-import-preview", pk=concept.pk, sha256=sha256)
    context = {"concept": concept, "form": form, "has_text": concept_has_text(concept), "limit_mb": _limit_mb()}
    return render(request, "drafting/word_import.html", context, status=400 if form.is_bound else 200)


def _levels(source, parsed: ParsedDocx) -> tuple[int, int]:
    levels = parsed.levels or [1]

    def number(name, default):
        try:
            value = int(source.get(name, default) or 0)
        except (TypeError, ValueError):
            return default
        return value if value in levels or (value == 0 and name == "subsection_level") else default

    section = number("section_level", levels[0])
    deeper = [level for level in levels if level > section]
    sub = number("subsection_level", deeper[0] if deeper else 0)
    return section, sub if sub > section else 0


@require_http_methods(["GET", "POST"])
def word_import_preview(request: HttpRequest, pk: int, sha256: str) -> HttpResponse:
    """The outline the file would make, numbered, for the levels chosen; confirming creates it."""
    concept = get_concept(pk)
    require_perm(request.user, "drafting.shape_outline", str(ONLY_COORDINATORS))
    data = _pending(request, sha256)
    parsed = _parse(data)
    has_text = concept_has_text(concept)
    section_level, subsection_level = _levels(request.POST if request.method == "POST" else request.GET, parsed)
    initial = {
        "section_level": section_level,
        "subsection_level": subsection_level or "",
        "into": WordOutlineForm.INTO_NEW if has_text else WordOutlineForm.INTO_THIS,
        "title": parsed.title,
    }
    form = WordOutlineForm(request.POST or None, levels=parsed.levels, initial=initial)
    if request.method == "POST" and form.is_valid():
        into_new = form.cleaned_data["into"] == WordOutlineForm.INTO_NEW
        sections = build_outline(
            parsed,
            section_level=form.cleaned_data["section_level"],
            subsection_level=form.cleaned_data["subsection_level"] or None,
        )
        try:
            sent = submit_once(
                request,
                form,
                lambda cleaned: concept_import_word(
                    concept=None if into_new else concept,
                    title=cleaned["title"],
                    user=request.user,
                    file_name=_file_name(request, sha256),
                    data=data,
                    sections=sections,
                ),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if sent.created:
                messages.success(request, _("The Word draft was imported. Read it through before sharing it."))
            return redirect("drafting:concept-toc", pk=sent.obj.pk)
    outline = build_outline(parsed, section_level=section_level, subsection_level=subsection_level or None)
    context = {
        "concept": concept,
        "form": form,
        "parsed": parsed,
        "outline": outline,
        "file_name": _file_name(request, sha256),
        "has_text": has_text,
        "levels": (section_level, subsection_level),
    }
    return render(request, "drafting/word_import_preview.html", context, status=400 if form.is_bound else 200)


@require_safe
def word_import_file(request: HttpRequest, pk: int, sha256: str) -> FileResponse:
    """The original Word file a Concept was imported from (any signed-in member may read it)."""
    concept = get_concept(pk)
    kept = word_selectors.imported_file(concept, sha256)
    if kept is None:
        raise Http404(_("This Concept was not imported from such a file."))
    try:
        file = storage.open_kept(concept.pk, sha256)
    except FileNotFoundError:
        raise Http404(_("The original file is no longer in the file storage.")) from None
    return FileResponse(file, as_attachment=True, filename=kept.name or f"{sha256[:12]}.docx")


@require_http_methods(["GET", "POST"])
def word_proposals_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Propose changes from a Word file": upload an edited export of this Concept."""
    concept = get_concept(pk)
    require_perm(request.user, "drafting.add_proposal", str(ONLY_MEMBERS))
    form = WordUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["data"]
        try:
            word_selectors.word_file_changes(concept=concept, author=request.user, data=data)
        except ValidationError as error:
            form.add_error("file", error)
        except Exception:  # a damaged file that passed the container checks
            form.add_error("file", _("This Word file is damaged and cannot be read. Save it again in Word."))
        else:
            sha256 = storage.save_pending(request.user.pk, data)
            request.session[f"word-file-{sha256}"] = form.cleaned_data["name"]
            return redirect("drafting:word-proposals-review", pk=concept.pk, sha256=sha256)
    context = {"concept": concept, "form": form, "limit_mb": _limit_mb()}
    return render(request, "drafting/word_proposals_upload.html", context, status=400 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
def word_proposals_review(request: HttpRequest, pk: int, sha256: str) -> HttpResponse:
    """Each changed section as was / proposed, and one rationale; confirming creates the proposals.

    Open proposals accepted in Word are named per section and left out unless the person keeps them.
    """
    concept = get_concept(pk)
    require_perm(request.user, "drafting.add_proposal", str(ONLY_MEMBERS))
    data = _pending(request, sha256)
    try:
        changes = word_selectors.word_file_changes(concept=concept, author=request.user, data=data)
    except ValidationError as error:  # e.g. an export of another Concept, opened under this one's address
        messages.error(request, " ".join(error.messages))
        return redirect("drafting:word-proposals", pk=concept.pk)
    form = WordProposalsForm(request.POST or None, changes=changes)
    if request.method == "POST" and form.is_valid():
        created = []

        def create(cleaned):
            created.extend(
                proposals_from_word(
                    concept=concept,
                    author=request.user,
                    data=data,
                    rationale=cleaned["rationale"],
                    keep_accepted=set(cleaned["keep_accepted"]),
                    reviewed=cleaned["reviewed"],
                )
            )
            return created[0] if created else concept

        try:
            sent = submit_once(request, form, create)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if created:
                count = len(created)
                messages.success(
                    request,
                    ngettext("%(count)s proposal was created.", "%(count)s proposals were created.", count)
                    % {"count": count},
                )
            return redirect(
                reverse("drafting:proposal-list", args=[concept.pk]) if created or not sent.created else sent.obj
            )
    if form.is_bound:
        form.renew_review(changes)  # the page shows the sections as they are now
    context = {
        "concept": concept,
        "form": form,
        "file_name": _file_name(request, sha256),
        "changed": [c for c in changes if c.status == "changed"],
        "others": [c for c in changes if c.status not in ("changed", "unchanged")],
        "unchanged": [c for c in changes if c.status == "unchanged"],
    }
    return render(request, "drafting/word_proposals_review.html", context, status=400 if form.is_bound else 200)
