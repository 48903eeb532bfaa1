"""Staff read a record's history in the admin as experts do in the portal: readable, comparable, revertible."""

import io
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from drafting import services
from drafting.models import Comment, Proposal, RevisionKind
from tests.factories import StaffFactory, make_section


def history_url(section) -> str:
    return f"/admin/drafting/section/{section.pk}/history/"


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def three_revisions(concept, expert):
    section = make_section(concept, body="The council meets every month.")
    services.section_edit(
        section=section, base_version=1, body="The council meets every week.", user=expert, summary="Weekly"
    )
    services.section_edit(
        section=section, base_version=2, body="The council meets every week in Astana.", user=expert, summary="Place"
    )
    return section


@pytest.mark.django_db
def test_history_page_has_readable_columns_and_local_time(staff_client, three_revisions):
    three_revisions.history.filter(version=2).update(history_date=datetime(2026, 11, 29, 19, 38, tzinfo=UTC))

    response = staff_client.get(history_url(three_revisions))

    html = response.content.decode()
    assert response.status_code == 200
    for header in ("revision", "when", "who", "kind of change", "reason", "size change"):
        assert f'<th scope="col">{header}</th>' in html
    assert "30 Nov 2026, 00:38" in html  # 19:38 UTC is 00:38 the next day in Almaty
    assert "Weekly" in html and "[147 chars]" not in html and "HISTORY_CHANGE_REASON" not in html


@pytest.mark.django_db
def test_any_two_versions_are_compared_word_by_word(staff_client, three_revisions):
    first, last = three_revisions.history.get(version=1), three_revisions.history.get(version=3)

    response = staff_client.get(
        f"{history_url(three_revisions)}compare/", {"old": last.history_id, "new": first.history_id}
    )

    html = response.content.decode()
    removed = [part.split("</del>")[0] for part in html.split("<del")[1:]]
    added = [part.split("</ins>")[0] for part in html.split("<ins")[1:]]
    assert response.status_code == 200
    assert response.context["old"] == first  # the order given does not matter: older first
    assert any("month" in part for part in removed) and not any("every" in part for part in removed)
    assert any("week" in part for part in added) and any("Astana" in part for part in added)


@pytest.mark.django_db
def test_side_by_side_comparison(staff_client, three_revisions):
    first, second = three_revisions.history.get(version=1), three_revisions.history.get(version=2)
    response = staff_client.get(
        f"{history_url(three_revisions)}compare/", {"old": first.history_id, "new": second.history_id, "mode": "side"}
    )
    assert response.status_code == 200
    assert 'class="diff-side"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("old", ["abc", "999999", "", "99999999999999999999999"])
def test_bad_or_foreign_version_ids_are_404(staff_client, three_revisions, concept, old):
    other = make_section(concept, "Other", "Other text.")
    foreign = other.history.get().history_id
    url = f"{history_url(three_revisions)}compare/"
    assert staff_client.get(url, {"old": old, "new": three_revisions.history.latest().history_id}).status_code == 404
    assert (
        staff_client.get(url, {"old": foreign, "new": three_revisions.history.latest().history_id}).status_code == 404
    )


@pytest.mark.django_db
def test_history_filters_by_person_kind_date_and_reason(staff_client, three_revisions, coordinator):
    services.section_revert(section=three_revisions, to_version=1, user=coordinator, reason="Back to monthly")
    url = history_url(three_revisions)

    def versions(**params) -> list[int]:
        response = staff_client.get(url, params)
        assert response.status_code == 200
        return [entry["record"].version for entry in response.context["entries"]]

    assert versions() == [4, 3, 2, 1]
    assert versions(person=coordinator.pk) == [4]
    assert versions(kind=RevisionKind.REVERT) == [4]
    assert versions(q="weekly") == [2]
    three_revisions.history.filter(version=1).update(history_date=datetime(2026, 1, 10, 12, tzinfo=UTC))
    assert versions(date_to="2026-01-10") == [1]
    assert versions(date_from="2026-01-11") == [4, 3, 2]


@pytest.mark.django_db
def test_history_page_query_count_does_not_grow_with_rows(staff_client, concept, expert, django_assert_num_queries):
    section = make_section(concept, body="v1")
    for version in range(1, 4):
        services.section_edit(section=section, base_version=version, body=f"v{version + 1}", user=expert, summary="s")
    staff_client.get(history_url(section))  # warm caches (content types, sessions)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        staff_client.get(history_url(section))
    for version in range(4, 30):
        services.section_edit(
            section=section, base_version=version, body=f"v{version + 1}", user=StaffFactory(), summary="s"
        )
    with CaptureQueriesContext(connection) as many:
        response = staff_client.get(history_url(section))
    assert len(response.context["entries"]) == 30
    assert len(many) == len(few)


@pytest.mark.django_db
def test_proposal_comment_expert_and_organisation_histories_open(staff_client, concept, expert):
    from members.models import Expert, Organisation

    section = make_section(concept)
    proposal = Proposal.objects.create(
        concept=concept, section=section, base_version=1, author=expert, title="T", text="A b c."
    )
    proposal.text = "A b d."
    proposal.save()
    comment = Comment.objects.create(section=section, author=expert, body="Hello")
    for url in (
        f"/admin/drafting/proposal/{proposal.pk}/history/",
        f"/admin/drafting/comment/{comment.pk}/history/",
        f"/admin/members/expert/{Expert.objects.first().pk}/history/",
        f"/admin/members/organisation/{Organisation.objects.first().pk}/history/",
    ):
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert '<th scope="col">kind of change</th>' in response.content.decode()
    old, new = proposal.history.order_by("history_id")
    response = staff_client.get(
        f"/admin/drafting/proposal/{proposal.pk}/history/compare/", {"old": old.history_id, "new": new.history_id}
    )
    assert response.status_code == 200
    assert "<del" in response.content.decode() and "<ins" in response.content.decode()


@pytest.mark.django_db
def test_revert_shows_a_preview_and_requires_a_reason(staff_client, three_revisions):
    first = three_revisions.history.get(version=1)
    url = f"{history_url(three_revisions)}{first.history_id}/"

    preview = staff_client.get(url)
    refused = staff_client.post(url, {"reason": ""})

    assert preview.status_code == 200
    assert "<del" in preview.content.decode() and "Restore this revision" in preview.content.decode()
    assert refused.status_code == 200 and refused.context["form"].errors
    three_revisions.refresh_from_db()
    assert three_revisions.version == 3


@pytest.mark.django_db
def test_revert_restores_the_exact_old_text_with_its_reason(staff_client, staff, concept, expert):
    original = "Line one.\r\nLine two.\r\n\r\nMore  spaces.  "
    section = make_section(concept, body=original)
    services.section_edit(section=section, base_version=1, body="Replaced.", user=expert, summary="x")
    first = section.history.get(version=1)

    response = staff_client.post(f"{history_url(section)}{first.history_id}/", {"reason": "Undo the rewrite"})

    assert response.status_code == 302 and response["Location"] == history_url(section)
    section.refresh_from_db()
    assert section.body.encode() == original.encode()
    latest = section.history.latest()
    assert (latest.version, latest.history_user, latest.change_kind) == (3, staff, RevisionKind.REVERT)
    assert latest.history_change_reason == "Undo the rewrite"


@pytest.mark.django_db
def test_non_staff_get_the_admin_login(client, expert, three_revisions):
    client.force_login(expert)
    first = three_revisions.history.get(version=1)
    for url in (
        history_url(three_revisions),
        f"{history_url(three_revisions)}compare/?old={first.history_id}&new={first.history_id}",
        f"{history_url(three_revisions)}{first.history_id}/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url


@pytest.mark.django_db
def test_crlf_posted_to_the_admin_is_stored_as_lf(staff_client, concept):
    section = make_section(concept, body="Before.")
    response = staff_client.post(
        f"/admin/drafting/section/{section.pk}/change/",
        {
            "concept": concept.pk,
            "parent": "",
            "order": section.order,
            "heading": section.heading,
            "body": "One.\r\nTwo.\rThree.",
            "base_version": 1,
        },
    )
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.body == "One.\nTwo.\nThree."


@pytest.mark.django_db
def test_crlf_posted_in_the_portal_is_stored_as_lf(expert_client, concept):
    from django.urls import reverse

    from drafting.forms import new_submission_token

    section = make_section(concept, body="Before.")
    edited = expert_client.post(
        reverse("drafting:section-edit", args=[section.pk]),
        {"base_version": 1, "body": "One.\r\n\r\nTwo.", "summary": "Split"},
    )
    proposed = expert_client.post(
        reverse("drafting:proposal-create", args=[section.pk]),
        {
            "title": "T",
            "text": "One.\r\n\r\nTwo.\r\n\r\nThree.",
            "rationale": "Why:\r\nbecause.",
            "base_version": 2,
            "submission": new_submission_token(),
        },
    )
    commented = expert_client.post(
        reverse("drafting:section-comment-add", args=[section.pk]),
        {"body": "First line.\r\nSecond line.", "quote": "", "submission": new_submission_token()},
    )

    assert (edited.status_code, proposed.status_code, commented.status_code) == (302, 302, 302)
    section.refresh_from_db()
    proposal, comment = Proposal.objects.get(), Comment.objects.get()
    assert section.body == "One.\n\nTwo."
    assert (proposal.text, proposal.rationale) == ("One.\n\nTwo.\n\nThree.", "Why:\nbecause.")
    assert comment.body == "First line.\nSecond line."


def test_line_endings_middleware_normalises_multipart_and_keeps_other_values(rf):
    from kisi_portal.middleware import LineEndingsMiddleware

    request = rf.post("/x/", {"body": "a\r\nb\rc", "tags": ["x\r\ny", "z"]})
    seen = {}
    LineEndingsMiddleware(lambda r: seen.setdefault("post", r.POST))(request)
    assert seen["post"]["body"] == "a\nb\nc"
    assert seen["post"].getlist("tags") == ["x\ny", "z"]
    assert not seen["post"]._mutable


def test_a_comment_pasted_from_word_with_a_manual_line_break_still_exports_to_docx(expert_client, expert, concept):
    """Word's manual line break (\v) is a control character XML cannot hold: it becomes a line break."""
    from docx import Document

    from drafting.forms import new_submission_token

    section = make_section(concept, "Goals", "Unity of the people.", user=expert)
    response = expert_client.post(
        reverse("drafting:section-comment-add", args=[section.pk]),
        {"body": "First line\x0bsecond line\x0cthird\x07.", "quote": "Unity", "submission": new_submission_token()},
    )
    assert response.status_code == 302
    assert Comment.objects.get().body == "First line\nsecond line\nthird."
    export = expert_client.get(reverse("drafting:document-export", args=[concept.pk, "docx"]))
    assert export.status_code == 200
    Document(io.BytesIO(export.content))


RECENT = "/admin/drafting/section/recent-changes/"


def add_section_history_rows(section, user, count: int) -> None:
    """`count` more history rows for `section`, written at once (the page reads them, never builds them)."""
    rows = [
        section.history.model(
            id=section.pk,
            concept_id=section.concept_id,
            order=section.order,
            heading=section.heading,
            body=f"v{n}",
            version=section.version,
            is_retired=False,
            updated_at=section.updated_at,
            created_at=section.created_at,
            history_date=datetime(2026, 1, 1, tzinfo=UTC),
            history_type="~",
            history_user=user,
            history_change_reason=f"bulk {n}",
        )
        for n in range(count)
    ]
    section.history.model.objects.bulk_create(rows)


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [10, 1000])
def test_recent_changes_query_count_is_fixed(staff_client, staff, concept, rows, django_assert_num_queries):
    section = make_section(concept)
    add_section_history_rows(section, staff, rows)
    staff_client.get(RECENT)  # the session and permissions are read once per client

    with django_assert_num_queries(QUERIES_ON_RECENT_CHANGES):
        response = staff_client.get(RECENT)

    assert response.status_code == 200
    total = response.context["page_obj"].paginator.count
    assert total >= rows + 1 and len(response.context["entries"]) == min(total, 50)
    assert f"{history_url(section)}" in response.content.decode()


# Sign-in and permissions, the people of the filter, the count, the page, the page's people.
QUERIES_ON_RECENT_CHANGES = 7


@pytest.mark.django_db
def test_recent_changes_lists_every_model_newest_first_with_filters(staff_client, concept, expert, coordinator):
    from members.models import Organisation

    section = make_section(concept, body="A.")
    services.section_edit(section=section, base_version=1, body="B.", user=expert, summary="Clearer")
    organisation = Organisation.objects.first()
    organisation.name = organisation.name + " (renamed)"
    organisation._change_reason = "New name"
    organisation.save()

    def reasons(**params) -> list[str]:
        response = staff_client.get(RECENT, params)
        assert response.status_code == 200
        return [entry["history_change_reason"] for entry in response.context["entries"]]

    everything = staff_client.get(RECENT).context["entries"]
    assert everything[0]["model_label"] == "members.organisation"  # the newest first
    assert {entry["model_label"] for entry in everything} >= {"drafting.section", "members.organisation"}
    assert reasons(q="clearer") == ["Clearer"]
    assert reasons(person=expert.pk, kind="~") == ["Clearer"]
    assert reasons(date_to="2000-01-01") == []


@pytest.mark.django_db
def test_recent_changes_is_linked_from_the_admin_index_and_refused_to_non_staff(staff_client, client, expert):
    assert RECENT in staff_client.get("/admin/").content.decode()
    client.force_login(expert)
    response = client.get(RECENT)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_a_deleted_records_history_still_opens(staff_client, concept, expert):
    comment = Comment.objects.create(section=make_section(concept), author=expert, body="Gone soon")
    pk = comment.pk
    comment.delete()

    response = staff_client.get(f"/admin/drafting/comment/{pk}/history/")

    assert response.status_code == 200
    assert [entry["kind"] for entry in response.context["entries"]] == ["Deleted", "Created"]
    assert staff_client.get("/admin/drafting/comment/987654/history/").status_code == 404
