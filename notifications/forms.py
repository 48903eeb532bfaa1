from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.categories import Category, Frequency


class WatchForm(forms.Form):
    """Which item to watch or stop watching, and the page to go back to."""

    target = forms.ChoiceField(choices=[(t, t) for t in ("concept", "section", "proposal", "meeting")])
    pk = forms.IntegerField(min_value=1, max_value=2**62)
    next = forms.CharField(required=False, max_length=2000)


class MailSettingsForm(forms.Form):
    """One choice per kind of mail: immediately, daily digest, weekly digest or off."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for category in Category:
            self.fields[category.value] = forms.ChoiceField(
                label=category.label,
                choices=Frequency.choices,
                initial=current[category.value],
                widget=forms.RadioSelect,
            )


class PeopleQueryForm(forms.Form):
    q = forms.CharField(required=False, max_length=150, label=_("Name"))
