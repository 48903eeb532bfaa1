"""What every form shares: one-time submission marks, the version a change started from, size limits.

Every text field limits its size and (through Django's CharField) refuses NUL bytes, so bad input
becomes a message next to the field, with the typed text kept."""

import secrets

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


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


COMMENT_MAX_CHARS = 20_000
