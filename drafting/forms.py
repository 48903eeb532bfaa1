"""Forms: every text field limits its size and (through Django's CharField) refuses NUL bytes,
so bad input becomes a message next to the field, with the typed text kept."""

import secrets

from django import forms
from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from drafting.models import AgendaItem, Edition, Position, Proposal, Section
from members.models import Expert


def _body_help(limit: int) -> str:
    # Made in the reader's language when the form is shown, with the noun agreeing with the number.
    return ngettext(
        "Markdown: **bold**, *italic*, lists with “-”, headings with “#”. At most %(limit)s character.",
        "Markdown: **bold**, *italic*, lists with “-”, headings with “#”. At most %(limit)s characters.",
        limit,
    ) % {"limit": f"{limit:,}".replace(",", " ")}


body_help = lazy(_body_help, str)

LOST_BASE = _(
    "The form lost the revision you started from. Your text is kept below; open the section again in another tab "
    "to see its current revision, then copy your text there."
)


def new_submission_token() -> str:
    """A one-time token for a form that creates something (drafting.models.SubmissionToken)."""
    return secrets.token_urlsafe(24)


LOST_SUBMISSION = _(
    "The form lost its one-time mark, so it cannot tell a first sending from a repeat. Nothing was saved and your "
    "text is kept below; send it again."
)
LOST_VERSION = _(
    "The form lost the version you started from. Nothing was saved and your text is kept below; open the page "
    "again in another tab to see what it says now, then copy your text there."
)


class SubmittedOnce(forms.Form):
    """A form that creates something, carrying a one-time token made when the form is shown.

    A form sent without its token gets a new one and an error, so sending it again works.
    """

    submission = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64, initial=new_submission_token)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        once = "submission" in self.fields
        self.lost_submission = once and self.is_bound and not self.data.get(self.add_prefix("submission"))
        if self.lost_submission:
            self.renew_submission()

    def renew_submission(self) -> None:
        """A fresh token: the next sending of this form is a new submission."""
        self.data = self.data.copy()
        self.data[self.add_prefix("submission")] = new_submission_token()

    def clean(self):
        cleaned = super().clean()
        if self.lost_submission:
            raise forms.ValidationError(LOST_SUBMISSION)
        return cleaned

    def service_data(self) -> dict:
        """The cleaned data without the token, for the service that creates."""
        return {name: value for name, value in self.cleaned_data.items() if name != "submission"}


class Versioned(forms.Form):
    """A form that changes something, carrying the version it was opened at (drafting.services.versions)."""

    base_history_id = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("base_history_id") is None:
            raise forms.ValidationError(LOST_VERSION)
        return cleaned

    def rebase(self, conflict) -> None:
        """After a conflict: show the merged drafts, starting from the version the person has now seen."""
        data = self.data.copy()
        data[self.add_prefix("base_history_id")] = (
            "" if conflict.current_history_id is None else str(conflict.current_history_id)
        )
        for name, value in conflict.drafts.items():
            if name not in self.fields:
                continue
            if isinstance(value, list | set | tuple):
                data.setlist(self.add_prefix(name), [str(v) for v in value])
            else:
                data[self.add_prefix(name)] = "" if value is None else str(value)
        self.data = data


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


COMMENT_MAX_CHARS = 20_000


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


class EditionForm(SubmittedOnce):
    name = forms.CharField(
        label=_("Name"), max_length=200, help_text=_("For example “Draft 0.3 for the meeting of 12 June”.")
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=COMMENT_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 3})
    )


def validate_http_url(value: str) -> None:
    if value and not value.lower().startswith(("http://", "https://")):
        raise forms.ValidationError(_("The videoconference link must be an http(s) address."))


class MeetingForm(SubmittedOnce):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("A meeting that already took place can be recorded too."),
    )
    video_url = forms.CharField(
        label=_("Videoconference link"), required=False, max_length=500, validators=[validate_http_url]
    )
    agenda_note = forms.CharField(
        label=_("Agenda notes"), required=False, max_length=COMMENT_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 3})
    )
    proposals = forms.ModelMultipleChoiceField(
        label=_("Open disagreements for the agenda"),
        required=False,
        queryset=Proposal.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    edition = forms.ModelChoiceField(
        label=_("The draft discussed"),
        required=False,
        queryset=Edition.objects.none(),
        empty_label=_("No edition"),
    )

    def __init__(self, *args, concept, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].queryset = candidates
        self.fields["edition"].queryset = concept.editions.all()

    def clean_video_url(self):
        value = self.cleaned_data["video_url"]
        if value:
            forms.URLField().clean(value)
        return value


class MeetingRecordForm(Versioned):
    attendees = forms.ModelMultipleChoiceField(
        label=_("Attendance"), required=False, queryset=Expert.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    minutes = forms.CharField(
        label=_("Minutes (Markdown)"),
        required=False,
        max_length=settings.SECTION_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    edition = forms.ModelChoiceField(
        label=_("The draft discussed"),
        required=False,
        queryset=Edition.objects.none(),
        empty_label=_("No edition"),
    )

    def __init__(self, *args, concept, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = Expert.objects.active()
        self.fields["edition"].queryset = concept.editions.all()


class OutcomeForm(Versioned):
    proposal = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[c for c in AgendaItem.Outcome.choices if c[0] != AgendaItem.Outcome.PENDING]
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=COMMENT_MAX_CHARS)


# --- Reading together: comments and suggestions on a selected passage ---------------------------

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


# Merge over objections (search helper): the merge form asks for a confirmation and a reason.
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


class MeetingChangeForm(forms.Form):
    """Change a scheduled meeting (mail helper): the invited get an updated invitation."""

    title = MeetingForm.base_fields["title"]
    starts_at = MeetingForm.base_fields["starts_at"]
    video_url = MeetingForm.base_fields["video_url"]
    agenda_note = MeetingForm.base_fields["agenda_note"]

    clean_video_url = MeetingForm.clean_video_url


class ParallelTextForm(forms.Form):
    """A section's text in a parallel language (parallel-core): saved from its own revision and a section revision."""

    heading = forms.CharField(label=_("Heading"), max_length=300, required=False)
    body = SectionEditForm.base_fields["body"]
    summary = forms.CharField(label=_("Summary of your change"), max_length=settings.SUMMARY_MAX_CHARS, required=False)
    # The parallel text's own revision the form started from; 0 when there was no text yet.
    base_version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        required=False,
        error_messages={"invalid": LOST_BASE, "min_value": LOST_BASE},
    )
    # The section revision being translated: the one whose diff the page showed.
    source_version = forms.IntegerField(widget=forms.HiddenInput, required=False, error_messages={"invalid": LOST_BASE})

    def clean_base_version(self):
        base = self.cleaned_data.get("base_version")
        if base is None:
            raise forms.ValidationError(LOST_BASE)
        return base

    def clean_source_version(self):
        source = self.cleaned_data.get("source_version")
        if source is None:
            raise forms.ValidationError(LOST_BASE)
        return source

    def clean_body(self):
        return self.cleaned_data["body"].replace("\r\n", "\n")


class ParallelConfirmForm(forms.Form):
    """ "Still accurate" (parallel-core): the section revision the translator checked the translation against."""

    source_version = forms.IntegerField(
        error_messages={
            "required": _("The form lost the revision you checked. Open the page again and check it."),
            "invalid": _("The form lost the revision you checked. Open the page again and check it."),
        }
    )
