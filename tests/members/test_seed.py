"""The starter portal speaks the Working Group's language: a Russian Concept, Russian demo names."""

import re

import pytest
from django.core.management import call_command

from drafting.models import Concept, Section
from drafting.outline import CONCEPT_TITLE, STARTER_OUTLINE
from members.models import Expert, Organisation

LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def test_starter_outline_is_in_russian():
    assert CONCEPT_TITLE == "Концепция государственной политики в сфере межэтнических отношений Республики Казахстан"
    texts = [CONCEPT_TITLE]
    for heading, body, children in STARTER_OUTLINE:
        texts += [heading, body] + [text for child in children for text in child]
    assert [text for text in texts if LATIN_WORD.search(text)] == []


@pytest.mark.django_db
def test_seed_creates_the_russian_concept_and_demo_people(settings):
    settings.DEBUG = True
    call_command("seed_portal", stdout=None)
    call_command("seed_portal", stdout=None)  # idempotent

    concept = Concept.objects.get()
    assert concept.title == CONCEPT_TITLE
    headings = set(Section.objects.filter(concept=concept).values_list("heading", flat=True))
    assert {"Общие положения", "Цель и сфера действия Концепции", "Ожидаемые результаты"} <= headings

    demo = Expert.objects.get(user__username="demo-expert")
    assert (demo.full_name, demo.full_name_latin) == ("Демо-эксперт", "Demo Expert")
    kisi = demo.organisation
    assert kisi.name == "Казахстанский институт стратегических исследований при Президенте Республики Казахстан"
    assert kisi.name_kk == "Қазақстан Республикасының Президенті жанындағы Қазақстан стратегиялық зерттеулер институты"
    assert Organisation.objects.filter(name_en=kisi.name_en).count() == 1
    assert Expert.objects.get(user__username="g.kan").full_name == "Георгий Кан"
