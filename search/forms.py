from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from drafting.models import Section
from drafting.selectors.sentences import person_name
from search.models import SearchEntry
from search.selectors import PERSON
from search.text import search_terms

MAX_QUERY_CHARS = 200


class AuthorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return person_name(obj)


class SearchForm(forms.Form):
    """What to search for, and the filters; every field but the words is optional."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=MAX_QUERY_CHARS,
        error_messages={"max_length": _("Search for at most %(limit_value)d characters (you typed %(show_value)d).")},
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    section = forms.ModelChoiceField(label=_("Section"), queryset=Section.objects.none(), required=False,
                                 empty_label=_("All sections"))  # fmt: skip
    author = AuthorChoiceField(
        label=_("Author"), queryset=get_user_model().objects.none(), required=False, empty_label=_("Anyone")
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, outline=(), **kwargs):
        """`outline` is the Concept's flattened outline: the sections offered, numbered, in reading order."""
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Everything")), *SearchEntry.Kind.choices, (PERSON, _("People"))]
        section = self.fields["section"]
        section.queryset = Section.objects.current()
        section.choices = [("", section.empty_label)] + [
            (node.section.pk, f"{node.number} {node.section.heading}") for node in outline
        ]
        self.fields["author"].queryset = (
            get_user_model().objects.filter(expert__isnull=False).select_related("expert").order_by("expert__full_name")
        )

    def clean_q(self):
        query = self.cleaned_data["q"].strip()
        if query and not search_terms(query):
            raise forms.ValidationError(
                _("Type at least one word of two or more letters or digits to search for."), code="no_terms"
            )
        return query

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data
