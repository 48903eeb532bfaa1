"""Naming a person inside a translated sentence, where an included template cannot go."""

from django import template

from drafting.selectors.sentences import person_name as _person_name

register = template.Library()


@register.filter
def person_name(user) -> str:
    """The person as the interface names them, as text (escaped by the template like any value)."""
    return _person_name(user)
