"""Editing a section's text, and the outline: add, rename, move under another section, revert."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from drafting.forms.base import LOST_BASE, body_help
from drafting.models import Section


class SectionEditForm(forms.Form):
    body = forms.CharField(
        label=_("Text"),
        required=False,
        strip=False,
        max_length=settings.SECTION_MAX_CHARS,
        widget=forms.Textarea(attrs={"class": "editor", "rows": 24, "spellcheck": "true"}),
        help_text=body_help(settings.SECTION_MAX_CHARS),
    )
    summary = forms.CharField(
        label=_("Summary of your change"),
        max_length=settings.SUMMARY_MAX_CHARS,
        help_text=_("Required: one line that tells the group what you changed and why."),
    )
    base_version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        required=False,
        error_messages={"invalid": LOST_BASE, "min_value": LOST_BASE},
    )

    def clean_base_version(self):
        base = self.cleaned_data.get("base_version")
        if base is None:
            raise forms.ValidationError(LOST_BASE)
        return base

    def clean_body(self):
        # Browsers send CRLF; store LF so diffs do not show invisible changes.
        return self.cleaned_data["body"].replace("\r\n", "\n")


class SectionAddForm(forms.Form):
    heading = forms.CharField(label=_("Heading"), max_length=300)
    parent = forms.ModelChoiceField(
        label=_("Place"),
        queryset=Section.objects.none(),
        required=False,
        empty_label=_("Top level"),
        help_text=_("The new section goes at the end of this section's sub-sections."),
    )
    body = SectionEditForm.base_fields["body"]

    def __init__(self, *args, concept, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Section.objects.current().filter(concept=concept)


class SectionRenameForm(forms.Form):
    heading = forms.CharField(label=_("New heading"), max_length=300)


class SectionReparentForm(forms.Form):
    parent = forms.ModelChoiceField(
        label=_("Move under"), queryset=Section.objects.none(), required=False, empty_label=_("Top level")
    )

    def __init__(self, *args, section, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = (
            Section.objects.current().filter(concept_id=section.concept_id).exclude(pk=section.pk)
        )


class RevertForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
