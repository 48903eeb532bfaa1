"""Scheduling, changing, cancelling and recording a meeting."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from drafting.forms.base import COMMENT_MAX_CHARS, SubmittedOnce, Versioned
from drafting.models import DEFAULT_MEETING_LENGTH, MAX_MEETING_LENGTH, AgendaItem, Edition, Proposal
from drafting.selectors.meetings import invitee_choices
from members.models import Expert

MAX_MINUTES = int(MAX_MEETING_LENGTH.total_seconds()) // 60


class MeetingLengthField(forms.IntegerField):
    """A meeting's length, typed as a whole number of minutes; cleaned to a timedelta (None when left empty)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Length in minutes"))
        kwargs.setdefault("initial", int(DEFAULT_MEETING_LENGTH.total_seconds()) // 60)
        kwargs.setdefault(
            "help_text", _("For example 90 for an hour and a half. At most 12 hours (720 minutes); empty: two hours.")
        )
        super().__init__(
            required=False,
            min_value=1,
            max_value=MAX_MINUTES,
            error_messages={
                "invalid": _("Enter the length as a whole number of minutes, for example 120."),
                "min_value": _("A meeting must last at least one minute."),
                "max_value": _("A meeting can last at most 12 hours (720 minutes)."),
            },
            **kwargs,
        )

    def clean(self, value):
        minutes = super().clean(value)
        return None if minutes is None else timedelta(minutes=minutes)


class MeetingTimeField(forms.DateTimeField):
    """A meeting's date and time, in Almaty time, within a span a calendar and a page can show.

    Without a bound, a start near the year 9999 (or before the year 1 in UTC) overflows when its
    end or its UTC time is computed, and every page listing the meeting would fail.
    """

    EARLIEST_YEAR, LATEST_YEAR = 2000, 2100

    def to_python(self, value):
        try:
            moment = super().to_python(value)
        except OverflowError:
            raise forms.ValidationError(self._out_of_range(), code="out_of_range") from None
        if moment is not None and not self.EARLIEST_YEAR <= moment.year <= self.LATEST_YEAR:
            raise forms.ValidationError(self._out_of_range(), code="out_of_range")
        return moment

    def _out_of_range(self) -> str:
        return _("Enter a date between the years %(earliest)s and %(latest)s.") % {
            "earliest": self.EARLIEST_YEAR,
            "latest": self.LATEST_YEAR,
        }


class InviteesMixin:
    """The invitees field: every active member, shown grouped by bloc; none ticked means everyone."""

    def _init_invitees(self) -> None:
        self.fields["invitees"].queryset = invitee_choices()

    def invitee_groups(self) -> list[dict]:
        """The choices by bloc, each marked as ticked as the form was sent (or as it starts)."""
        chosen = {str(v) for v in (self["invitees"].value() or [])}
        groups: dict[str, dict] = {}
        for expert in self.fields["invitees"].queryset:
            group = groups.setdefault(expert.bloc, {"label": expert.get_bloc_display(), "options": []})
            group["options"].append(
                {
                    "value": expert.pk,
                    "label": expert.display_name,
                    "checked": str(expert.pk) in chosen,
                    "id": f"{self['invitees'].auto_id}_{expert.pk}",
                }
            )
        return list(groups.values())


def invitees_field():
    return forms.ModelMultipleChoiceField(
        label=_("Invited"),
        required=False,
        queryset=Expert.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Leave every box empty to invite the whole Working Group. Only the people ticked get the invitation, "
            "its changes, the reminder and the minutes by mail."
        ),
    )


def validate_http_url(value: str) -> None:
    if value and not value.lower().startswith(("http://", "https://")):
        raise forms.ValidationError(_("The videoconference link must be an http(s) address."))


class MeetingForm(InviteesMixin, SubmittedOnce):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = MeetingTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("A meeting that already took place can be recorded too."),
    )
    duration = MeetingLengthField()
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
    invitees = invitees_field()

    def __init__(self, *args, concept, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].queryset = candidates
        self.fields["edition"].queryset = concept.editions.all()
        self._init_invitees()

    def clean_duration(self):
        return self.cleaned_data["duration"] or DEFAULT_MEETING_LENGTH

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


class MeetingChangeForm(InviteesMixin, Versioned):
    """Change a scheduled meeting: the invited get an updated invitation, those taken off a cancellation."""

    title = MeetingForm.base_fields["title"]
    starts_at = MeetingForm.base_fields["starts_at"]
    duration = MeetingLengthField(
        help_text=_("For example 90 for an hour and a half. At most 12 hours (720 minutes); empty: unchanged.")
    )
    video_url = MeetingForm.base_fields["video_url"]
    agenda_note = MeetingForm.base_fields["agenda_note"]
    invitees = invitees_field()

    clean_video_url = MeetingForm.clean_video_url

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_invitees()


class MeetingCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=COMMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to the invited with the cancellation."),
    )
