"""The translations a person watches, on "Everything I watch": listed, linked, and stopped from there."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.models import TranslationWatch, Watch
from tests.factories import ConceptFactory, make_section

pytestmark = pytest.mark.django_db

WATCHING = "/notifications/watching/"


def watch_translation(user, concept, language="kk"):
    return TranslationWatch.objects.create(user=user, concept=concept, language=language)


def unwatch_url(concept, language="kk"):
    return reverse("drafting:translation-watch", args=[concept.pk, language])


def test_the_translations_a_person_watches_are_listed_with_a_link_to_each(expert_client, expert, concept):
    concept.parallel_languages = ["kk", "en"]
    concept.save()
    watch_translation(expert, concept, "kk")
    watch_translation(expert, concept, "en")
    page = expert_client.get(WATCHING).text
    assert f"Translation of “{concept.title}” (Kazakh)" in page
    assert f"Translation of “{concept.title}” (English)" in page
    assert f'href="{reverse("drafting:translation", args=[concept.pk, "kk"])}"' in page
    assert f'href="{reverse("drafting:translation", args=[concept.pk, "en"])}"' in page
    assert "You watch nothing yet" not in page


def test_only_ones_own_translation_watches_are_listed(expert_client, other_expert, concept):
    watch_translation(other_expert, concept)
    page = expert_client.get(WATCHING).text
    assert "Translation of" not in page and "You watch nothing yet" in page


def test_stopping_a_translation_watch_from_the_list_returns_to_the_list(expert_client, expert, concept):
    watch_translation(expert, concept)
    page = expert_client.get(WATCHING).text
    form = page.split(f'action="{unwatch_url(concept)}"')[1].split("</form>")[0]
    assert 'name="watch" value="off"' in form and f'name="next" value="{WATCHING}"' in form
    response = expert_client.post(unwatch_url(concept), {"watch": "off", "next": WATCHING}, follow=True)
    assert response.redirect_chain == [(WATCHING, 302)]
    assert "You will no longer hear when this translation becomes out of date." in response.text
    assert not TranslationWatch.objects.filter(user=expert).exists()
    assert "Translation of" not in response.text


def test_a_next_address_on_another_site_is_ignored(expert_client, expert, concept):
    response = expert_client.post(unwatch_url(concept), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("drafting:translation", args=[concept.pk, "kk"])
    assert TranslationWatch.objects.filter(user=expert, language="kk").exists()


def test_a_watch_of_a_language_the_concept_dropped_is_listed_unlinked_and_can_be_stopped(
    expert_client, expert, concept
):
    watch_translation(expert, concept, "en")  # the Concept has only Kazakh
    page = expert_client.get(WATCHING).text
    assert f"Translation of “{concept.title}” (English)" in page
    assert "The Concept no longer has this language." in page
    assert f'href="{reverse("drafting:translation", args=[concept.pk, "en"])}"' not in page
    response = expert_client.post(unwatch_url(concept, "en"), {"watch": "off"})
    assert response.status_code == 302 and response["Location"] == reverse("notifications:watching")
    assert not TranslationWatch.objects.exists()
    # Starting to watch it again is refused: the Concept has no such text.
    assert expert_client.post(unwatch_url(concept, "en")).status_code == 404
    assert not TranslationWatch.objects.exists()


def test_the_watching_page_takes_a_fixed_number_of_queries(
    expert_client, expert, coordinator, concept, django_assert_max_num_queries
):
    def add(n):
        for _ in range(n):
            other = ConceptFactory(title=f"Concept {ConceptFactory._meta.model.objects.count()}")
            watch_translation(expert, other)
            Watch.objects.create(user=expert, section=make_section(other, "Goals", "Unity.", user=coordinator))

    add(1)
    expert_client.get(WATCHING)  # the first page of a session fills caches the next ones read
    with CaptureQueriesContext(connection) as small:
        assert expert_client.get(WATCHING).status_code == 200
    add(8)
    with django_assert_max_num_queries(6), CaptureQueriesContext(connection) as large:
        response = expert_client.get(WATCHING)
    assert response.text.count("data-translation-watch=") == 9
    assert len(large.captured_queries) == len(small.captured_queries)
