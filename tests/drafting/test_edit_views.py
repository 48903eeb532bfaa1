import pytest
from django.conf import settings
from django.urls import reverse

from drafting import services
from tests.factories import make_section

BODY = "Первое предложение. Второе предложение."


@pytest.fixture
def section(concept):
    return make_section(concept, "Goals", BODY)


def edit_url(section):
    return reverse("drafting:section-edit", args=[section.pk])


def post_edit(client, section, **data):
    return client.post(edit_url(section), {"base_version": 1, "body": BODY, "summary": "Change", **data})


# --- who may edit ---


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client, section):
    response = post_edit(client, section, body="X")
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["expert", "coordinator"])
def test_members_may_edit(client, section, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(edit_url(section)).status_code == 200
    response = post_edit(client, section, body="Новый текст.")
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.body == "Новый текст."


@pytest.mark.django_db
def test_staff_without_a_seat_may_not_edit(client, section, staff):
    client.force_login(staff)
    response = client.get(edit_url(section))
    assert response.status_code == 403
    assert "Only members of the Working Group may edit sections." in response.text


@pytest.mark.django_db
def test_edit_rejects_other_methods(expert_client, section):
    assert expert_client.put(edit_url(section)).status_code == 405
    assert expert_client.delete(edit_url(section)).status_code == 405


@pytest.mark.django_db
def test_editing_a_retired_section_is_forbidden_with_a_message(expert_client, section, coordinator):
    services.section_set_retired(section=section, retired=True, user=coordinator)
    response = expert_client.get(edit_url(section))
    assert response.status_code == 403
    assert "retired" in response.text


@pytest.mark.django_db
def test_unknown_section_is_404(expert_client):
    assert expert_client.get(reverse("drafting:section-edit", args=[999999])).status_code == 404


# --- happy paths ---


@pytest.mark.django_db
def test_saving_returns_to_the_section_with_a_confirmation(expert_client, section, expert):
    response = post_edit(expert_client, section, body="Новый текст.", summary="Shorter", follow=False)
    assert response["Location"] == section.get_absolute_url()
    page = expert_client.get(response["Location"])
    assert "Saved as revision 2." in page.text
    assert "Новый текст." in page.text
    latest = section.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (expert, "Shorter")


@pytest.mark.django_db
def test_a_stale_edit_is_merged_and_the_person_is_told_with_a_diff_link(expert_client, section, other_expert):
    services.section_edit(
        section=section, base_version=1, body=BODY.replace("Первое", "Начальное"), user=other_expert, summary="Other"
    )
    response = post_edit(expert_client, section, body=BODY.replace("Второе", "Последнее"))
    page = expert_client.get(response["Location"])
    assert "your change was merged with the other edit" in page.text
    assert "compare/?from=1&amp;to=3" in page.text
    section.refresh_from_db()
    assert section.body == "Начальное предложение. Последнее предложение."


@pytest.mark.django_db
def test_an_overlap_shows_the_conflict_page_and_keeps_the_persons_text(expert_client, section, other_expert):
    services.section_edit(
        section=section, base_version=1, body=BODY.replace("Второе", "Иное"), user=other_expert, summary="Other"
    )

    response = post_edit(expert_client, section, body=BODY.replace("Второе", "Моё"), summary="Mine")

    assert response.status_code == 409
    assert "Someone else changed the same words" in response.text
    assert "Первое предложение. Моё предложение." in response.text  # in the editor
    assert "Иное" in response.text  # the other person's wording beside it
    form = response.context["form"]
    assert form.initial["base_version"] == 2 and form.initial["summary"] == "Mine"
    section.refresh_from_db()
    assert section.version == 2


@pytest.mark.django_db
def test_resolving_a_conflict_is_checked_again_and_saved(expert_client, section, other_expert):
    services.section_edit(
        section=section, base_version=1, body=BODY.replace("Второе", "Иное"), user=other_expert, summary="Other"
    )
    post_edit(expert_client, section, body=BODY.replace("Второе", "Моё"))
    response = post_edit(expert_client, section, base_version=2, body="Первое предложение. Иное и моё предложение.")
    assert response.status_code == 302
    section.refresh_from_db()
    assert (section.version, section.body) == (3, "Первое предложение. Иное и моё предложение.")


@pytest.mark.django_db
def test_preview_renders_through_the_pipeline_and_saves_nothing(expert_client, section):
    response = expert_client.post(
        edit_url(section), {"base_version": 1, "body": "**жирный**", "summary": "", "preview": "1"}
    )
    assert response.status_code == 200
    assert "<strong>жирный</strong>" in response.text
    assert "This field is required" not in response.text
    section.refresh_from_db()
    assert section.version == 1


# --- bad input: a message, the text kept, never a 500 ---


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, message",
    [
        ({"summary": ""}, "This field is required."),
        ({"body": "Текст с \x00 нулём"}, "Null characters are not allowed."),
        ({"summary": "a\x00b"}, "Null characters are not allowed."),
        ({"body": "я" * (settings.SECTION_MAX_CHARS + 1)}, "at most 200000 characters"),
        ({"base_version": ""}, "lost the revision you started from"),
        ({"base_version": "abc"}, "lost the revision you started from"),
    ],
)
def test_bad_input_is_a_form_error_and_the_text_is_kept(expert_client, section, data, message):
    typed = {"body": "Мой новый текст.", "summary": "Мой итог", **data}
    response = post_edit(expert_client, section, **typed)
    assert response.status_code == 400
    assert message in response.text
    if "\x00" not in typed["body"] and len(typed["body"]) < 1000:
        assert typed["body"] in response.text
    section.refresh_from_db()
    assert section.version == 1


@pytest.mark.django_db
@pytest.mark.parametrize("base", [7, 0])
def test_forged_base_revision_gets_a_message_and_keeps_the_text(expert_client, section, base):
    response = post_edit(expert_client, section, base_version=base, body="Мой текст сохранён.")
    assert response.status_code in (400, 409)
    assert "Мой текст сохранён." in response.text
    assert "revision" in response.text
    section.refresh_from_db()
    assert section.version == 1


@pytest.mark.django_db
def test_base_revision_of_another_section_cannot_overwrite_this_one(expert_client, concept, section, other_expert):
    """A base revision number copied from a longer-lived section is refused, not trusted."""
    other = make_section(concept, "Other", "Other text.")
    for i in range(3):
        services.section_edit(
            section=other, base_version=other.version + i, body=f"v{i}", user=other_expert, summary="x"
        )
    response = post_edit(expert_client, section, base_version=4, body="Forged.")
    assert response.status_code == 409
    assert "Forged." in response.text
    section.refresh_from_db()
    assert section.version == 1
