"""Scheduling, changing and recording a meeting."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from drafting.forms.base import COMMENT_MAX_CHARS, SubmittedOnce, Versioned
from drafting.models import AgendaItem, Edition, Proposal
from members.models import Expert


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


class MeetingChangeForm(forms.Form):
    """Change a scheduled meeting (mail helper): the invited get an updated invitation."""

    title = MeetingForm.base_fields["title"]
    starts_at = MeetingForm.base_fields["starts_at"]
    video_url = MeetingForm.base_fields["video_url"]
    agenda_note = MeetingForm.base_fields["agenda_note"]

    clean_video_url = MeetingForm.clean_video_url
