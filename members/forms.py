from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


class TwoFactorCodeForm(forms.Form):
    """One code: six digits from the authenticator app, or one recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        strip=True,
        help_text=_("The six digits your authenticator app shows now, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
    )


class TwoFactorSetupForm(forms.Form):
    """The first code from the newly scanned authenticator, which confirms it."""

    code = forms.CharField(
        label=_("Code from the app"),
        max_length=12,
        strip=True,
        help_text=_("Enter the six digits the app shows for this account."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}),
    )
