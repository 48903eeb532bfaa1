"""A section's text in a parallel language, confirming it is still accurate, and restoring an earlier revision."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from drafting.forms.base import LOST_BASE
from drafting.forms.sections import SectionEditForm


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


LOST_REVERT_BASE = _(
    "The form lost the revision of the translation you saw. Nothing was restored and your reason is kept below; "
    "check what restoring changes now, then restore again."
)


class ParallelRevertForm(forms.Form):
    """Restoring an earlier revision of a parallel text: which one, from which revision seen, and why."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    # The revision of the translation whose diff the confirmation page showed.
    base_version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        required=False,
        error_messages={"invalid": LOST_REVERT_BASE, "min_value": LOST_REVERT_BASE},
    )
    reason = forms.CharField(
        label=_("Why restore this revision?"),
        max_length=settings.SUMMARY_MAX_CHARS,
        error_messages={"required": _("Say why you restore this revision: the history shows it to everyone.")},
    )

    def clean_base_version(self):
        base = self.cleaned_data.get("base_version")
        if base is None:
            raise forms.ValidationError(LOST_REVERT_BASE)
        return base
