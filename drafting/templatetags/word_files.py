"""The Word files a Concept was imported from, for its contents page."""

from django import template

from drafting.selectors.word import imported_files

register = template.Library()


@register.simple_tag
def imported_word_files(concept):
    return imported_files(concept)
