"""Freezing an edition."""

from django import forms
from django.utils.translation import gettext_lazy as _

from drafting.forms.base import COMMENT_MAX_CHARS, SubmittedOnce


class EditionForm(SubmittedOnce):
    name = forms.CharField(
        label=_("Name"), max_length=200, help_text=_("For example “Draft 0.3 for the meeting of 12 June”.")
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=COMMENT_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 3})
    )
