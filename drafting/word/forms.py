"""Forms of the Word pages: uploading a file, choosing the outline of an import, reviewing proposals."""

import os

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from drafting.forms import COMMENT_MAX_CHARS, SubmittedOnce
from drafting.word import safety

FILE_NAME_MAX = 200


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


class WordProposalsForm(SubmittedOnce):
    rationale = forms.CharField(
        label=_("Rationale"),
        max_length=COMMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Why the group should accept these changes; it goes with each proposal."),
    )
