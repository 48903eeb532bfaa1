"""Forms of the Word pages: uploading a file, choosing the outline of an import, reviewing proposals."""

import os

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from drafting.forms import COMMENT_MAX_CHARS, SubmittedOnce
from drafting.selectors.word import review_fingerprint
from drafting.services.word_proposals import STALE_REVIEW
from drafting.word import safety

FILE_NAME_MAX = 200

LOST_REVIEW = _(
    "The form lost the mark of the review you saw, so it cannot tell whether the sections are still as shown. "
    "Nothing was created; check the sections below again, then confirm."
)


class WordUploadForm(forms.Form):
    """A .docx file, checked (size, format, zip bomb, encryption) before anything reads it."""

    file = forms.FileField(label=_("Word file (.docx)"), allow_empty_file=True)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        safety.check_size(upload.size)
        data = upload.read()
        safety.check_docx(data)
        name = os.path.basename((upload.name or "").replace("\\", "/")).replace("\x00", "").strip()
        self.cleaned_data["data"] = data
        self.cleaned_data["name"] = (name or "document.docx")[:FILE_NAME_MAX]
        return upload


class WordOutlineForm(SubmittedOnce):
    """Which heading levels start a section and a sub-section, and where the sections go."""

    INTO_THIS, INTO_NEW = "this", "new"

    section_level = forms.TypedChoiceField(label=_("A section starts at"), coerce=int)
    subsection_level = forms.TypedChoiceField(
        label=_("A sub-section starts at"), coerce=int, empty_value=0, required=False
    )
    into = forms.ChoiceField(
        label=_("Import into"),
        choices=[(INTO_THIS, _("this Concept")), (INTO_NEW, _("a new Concept"))],
        initial=INTO_THIS,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(label=_("Title of the new Concept"), max_length=300, required=False)

    def __init__(self, *args, levels: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        heading = _("Heading %(level)s")
        choices = [(level, heading % {"level": level}) for level in levels] or [(1, heading % {"level": 1})]
        self.fields["section_level"].choices = choices
        self.fields["subsection_level"].choices = [("", _("no sub-sections")), *choices]

    def clean(self):
        cleaned = super().clean()
        section, sub = cleaned.get("section_level"), cleaned.get("subsection_level")
        if section and sub and sub <= section:
            raise ValidationError(_("A sub-section must start at a deeper heading level than a section."))
        if cleaned.get("into") == self.INTO_NEW and not cleaned.get("title", "").strip():
            self.add_error("title", _("Give the new Concept a title."))
        return cleaned


class SectionIdsField(forms.TypedMultipleChoiceField):
    """Section ids sent by ticked boxes; which sections offer a box is the page's business, checked by the service."""

    def __init__(self, **kwargs):
        super().__init__(coerce=int, widget=forms.CheckboxSelectMultiple, **kwargs)

    def valid_value(self, value) -> bool:
        return str(value).isdigit()


class WordProposalsForm(SubmittedOnce):
    """One rationale for all the proposals; per section, whether to keep in the open proposals found in the file.

    `reviewed` carries the fingerprint of what the page showed (drafting.selectors.word.review_fingerprint),
    so confirming after the open proposals moved is refused instead of creating what nobody saw.
    """

    rationale = forms.CharField(
        label=_("Rationale"),
        max_length=COMMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Why the group should accept these changes; it goes with each proposal."),
    )
    keep_accepted = SectionIdsField(required=False)
    reviewed = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, changes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewed"].initial = review_fingerprint(changes)
        self.lost_review = self.is_bound and not self.data.get(self.add_prefix("reviewed"))
        if self.lost_review:
            self.renew_review(changes)

    def clean(self):
        cleaned = super().clean()
        if self.lost_review:
            raise ValidationError(LOST_REVIEW)
        return cleaned

    def renew_review(self, changes) -> None:
        """The next sending confirms the page shown now; if that differs from the one confirmed, say so."""
        current = review_fingerprint(changes)
        sent = self.data.get(self.add_prefix("reviewed"))
        if sent and sent != current and str(STALE_REVIEW) not in self.non_field_errors():
            self.add_error(None, STALE_REVIEW)
        self.data = self.data.copy()
        self.data[self.add_prefix("reviewed")] = current

    @property
    def kept_sections(self) -> set[int]:
        """The sections whose box to keep the proposals found in them is ticked, as sent (none at first)."""
        if not self.is_bound:
            return set()
        return {int(v) for v in self.data.getlist(self.add_prefix("keep_accepted")) if v.isdigit()}
