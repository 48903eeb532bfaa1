"""Comments and replies, and comments or suggestions on a selected passage."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from drafting.forms.base import COMMENT_MAX_CHARS, SubmittedOnce, Versioned
from drafting.forms.proposals import ProposalForm
from drafting.forms.sections import SectionEditForm


class CommentForm(SubmittedOnce):
    body = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Markdown."),
    )
    quote = forms.CharField(
        label=_("Quote from the section (optional)"),
        required=False,
        max_length=2000,
        help_text=_("Copy the passage you are commenting on; the comment stays linked to it as the text changes."),
    )
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CommentEditForm(Versioned):
    body = CommentForm.base_fields["body"]


QUOTE_MAX_CHARS = 2_000


TOO_LONG_QUOTE = _(
    "The selected passage is too long to quote (%(length)s characters; at most %(limit)s). "
    "Select a sentence or a paragraph of one section."
)


def _clean_quote(value: str) -> str:
    value = value.replace("\r\n", "\n")
    if len(value) > QUOTE_MAX_CHARS:
        raise forms.ValidationError(TOO_LONG_QUOTE % {"length": len(value), "limit": QUOTE_MAX_CHARS})
    return value


class QuotedCommentForm(CommentForm):
    """A comment that may quote a passage, as selected in the text or pasted, and the revision it was read in."""

    quote = forms.CharField(
        label=_("Quoted passage (optional)"),
        required=False,
        max_length=settings.SECTION_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Select words in the text, or copy them here; the comment stays linked to them as the text changes."
        ),
    )
    # The revision the passage was selected in; a missing or garbled one only means "not known".
    quote_version = forms.CharField(widget=forms.HiddenInput, required=False, max_length=12)
    # The words around the selection, to tell apart a passage that occurs twice.
    quote_prefix = forms.CharField(widget=forms.HiddenInput, required=False, strip=False, max_length=200)
    quote_suffix = forms.CharField(widget=forms.HiddenInput, required=False, strip=False, max_length=200)

    def clean_quote(self):
        return _clean_quote(self.cleaned_data["quote"])

    def clean_quote_version(self) -> int | None:
        value = self.cleaned_data["quote_version"]
        # isdigit() accepts "²", which int() refuses: only ASCII digits are a revision number.
        return int(value) if value.isascii() and value.isdigit() and int(value) >= 1 else None


class SuggestionForm(SubmittedOnce):
    """A change to one passage: the words as they are, the words proposed instead, and why."""

    quote = forms.CharField(
        label=_("Passage to change"),
        strip=False,
        max_length=settings.SECTION_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Select words in the text, or copy them here."),
    )
    replacement = forms.CharField(
        label=_("Replace it with"),
        required=False,
        strip=False,
        max_length=COMMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Leave empty to propose deleting the passage."),
    )
    rationale = ProposalForm.base_fields["rationale"]
    base_version = SectionEditForm.base_fields["base_version"]
    # The words around the selection, to tell apart a passage that occurs twice.
    prefix = forms.CharField(widget=forms.HiddenInput, required=False, strip=False, max_length=200)
    suffix = forms.CharField(widget=forms.HiddenInput, required=False, strip=False, max_length=200)

    clean_base_version = SectionEditForm.clean_base_version

    def clean_quote(self):
        value = _clean_quote(self.cleaned_data["quote"])
        if not value.strip():
            raise forms.ValidationError(_("Select or copy the passage you want to change."))
        return value

    def clean_replacement(self):
        return self.cleaned_data["replacement"].replace("\r\n", "\n")
