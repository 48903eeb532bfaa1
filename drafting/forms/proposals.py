"""Proposals, positions, and the decisions on them: merge (over objections too) and reject."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from drafting.forms.base import COMMENT_MAX_CHARS, SubmittedOnce, Versioned
from drafting.forms.sections import SectionEditForm
from drafting.models import Position, Section


class ProposalForm(SubmittedOnce):
    title = forms.CharField(label=_("Title"), max_length=200, help_text=_("What the proposal does, in a line."))
    text = forms.CharField(
        label=_("Proposed text"),
        strip=False,
        max_length=settings.SECTION_MAX_CHARS,
        widget=forms.Textarea(attrs={"class": "editor", "rows": 20}),
        help_text=_("The whole section as you propose it. Markdown."),
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        max_length=COMMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Why the group should accept it."),
    )
    base_version = SectionEditForm.base_fields["base_version"]

    clean_base_version = SectionEditForm.clean_base_version

    def clean_text(self):
        return self.cleaned_data["text"].replace("\r\n", "\n")


class NewSectionProposalForm(SubmittedOnce):
    title = ProposalForm.base_fields["title"]
    heading = forms.CharField(label=_("Heading of the new section"), max_length=300)
    parent = forms.ModelChoiceField(
        label=_("Place"),
        queryset=Section.objects.none(),
        required=False,
        empty_label=_("Top level"),
        help_text=_("The new section would go at the end of this section's sub-sections."),
    )
    text = ProposalForm.base_fields["text"]
    rationale = ProposalForm.base_fields["rationale"]

    def __init__(self, *args, concept, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Section.objects.current().filter(concept=concept)
        self.fields["text"].help_text = _("The text of the new section. Markdown.")

    def clean_text(self):
        return self.cleaned_data["text"].replace("\r\n", "\n")


class ProposalEditForm(Versioned, ProposalForm):
    submission = None  # a revision changes the proposal it was opened for; it creates nothing


class NewSectionProposalEditForm(Versioned, NewSectionProposalForm):
    submission = None


class PositionForm(forms.Form):
    stance = forms.ChoiceField(label=_("Your position"), choices=Position.Stance.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=COMMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you object."),
    )

    def clean(self):
        data = super().clean()
        if data.get("stance") == Position.Stance.OBJECT and not data.get("reason", "").strip():
            self.add_error("reason", _("An objection needs a reason, so the author and the group can answer it."))
        return data


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the rejection"),
        max_length=COMMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to the author."),
    )


class MergeForm(forms.Form):
    text = forms.CharField(
        label=_("Resulting text"),
        strip=False,
        max_length=settings.SECTION_MAX_CHARS,
        widget=forms.Textarea(attrs={"class": "editor", "rows": 20}),
    )
    planned_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def clean_text(self):
        return self.cleaned_data["text"].replace("\r\n", "\n")


class MergeOverObjectionsForm(MergeForm):
    """The merge form; when experts object, the coordinator confirms and says why they merge anyway."""

    confirm_objections = forms.BooleanField(
        label=_("I have read the objections and merge the proposal anyway"), required=False
    )
    override_reason = forms.CharField(
        label=_("Why merge over the objections"),
        required=False,
        max_length=COMMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded with the merge and shown in the history and in “who wrote this”."),
    )

    def clean(self):
        data = super().clean()
        reason = data.get("override_reason", "").strip()
        if reason and not data.get("confirm_objections"):
            self.add_error("confirm_objections", _("Confirm that you have read the objections."))
        if data.get("confirm_objections") and not reason:
            self.add_error("override_reason", _("Give the reason for merging over the objections."))
        return data
