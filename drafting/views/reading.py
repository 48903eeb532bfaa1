"""What the section page and the document need to show the discussion in the text."""

from django.http import HttpRequest

from drafting import selectors
from drafting.forms import QUOTE_MAX_CHARS, QuotedCommentForm, SuggestionForm
from drafting.models import Section
from drafting.selectors.reading import ReadingFilters, section_reading
from members.models import Expert
from members.services import account_paragraph_numbers_set, paragraph_numbers_shown


def paragraph_numbers_on(request: HttpRequest) -> bool:
    """Paragraph numbers show unless the reader switched them off, and the switch is remembered.

    ``?numbers=off`` or ``?numbers=on`` (plain links, no JS needed) saves the choice on the
    person's account; without it, the saved choice holds, on every section and the document.
    """
    choice = request.GET.get("numbers")
    if choice in ("on", "off") and request.user.is_authenticated and request.method == "GET":
        shown = choice == "on"
        if shown != paragraph_numbers_shown(request.user):
            request.user.account_settings = account_paragraph_numbers_set(user=request.user, shown=shown)
        return shown
    return paragraph_numbers_shown(request.user)


def section_page_context(
    request: HttpRequest,
    section: Section,
    *,
    comment_form: QuotedCommentForm | None = None,
    suggestion_form: SuggestionForm | None = None,
) -> dict:
    """The section page: its text with the discussed passages marked, the thread panel and both forms.

    A ``quote`` GET parameter (a selection made on the document page) fills in the comment form.
    """
    number = selectors.section_number(section)
    numbers = paragraph_numbers_on(request)
    filters = ReadingFilters.from_query(request.GET)
    quote = request.GET.get("quote", "")[:QUOTE_MAX_CHARS]
    return {
        "section": section,
        "number": number,
        "recent_changes": selectors.section_recent_changes(section),
        "reading": section_reading(section, user=request.user, filters=filters, number=number),
        "numbers": numbers,
        "blocs": Expert.Bloc.choices,
        "comment_form": comment_form
        or QuotedCommentForm(
            initial={"quote": quote if request.GET.get("action") != "suggest" else "", "quote_version": section.version}
        ),
        "suggestion_form": suggestion_form
        or SuggestionForm(
            prefix="suggest",
            initial={"base_version": section.version, "quote": quote if request.GET.get("action") == "suggest" else ""},
        ),
    }
