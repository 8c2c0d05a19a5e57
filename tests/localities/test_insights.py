"""Insights: who may read and write them, bad input, tags, filters, pages and the CSV."""

import csv
import io
from http import HTTPStatus

import pytest
from django.urls import reverse

from localities.models import Insight, Tag
from tests.localities.factories import (
    ChallengeFactory,
    InsightFactory,
    LocalityFactory,
    TagFactory,
)
from tests.roles import CONTENT_EDITORS, READERS, REFUSED_WRITERS, ROLES, WRITERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def insight(locality):
    return InsightFactory(locality=locality, statement="Dads feel the groups are for mums")


def url(name, *args, slug="northgate"):
    return reverse(f"localities:{name}", args=[slug, *args])


def page_urls(insight):
    return {
        "insight-list": url("insight-list"),
        "insight-export": url("insight-export"),
        "insight-detail": url("insight-detail", insight.pk),
        "insight-create": url("insight-create"),
        "insight-update": url("insight-update", insight.pk),
        "insight-delete": url("insight-delete", insight.pk),
    }


EXPECTED = {
    "insight-list": READERS,
    "insight-export": READERS,
    "insight-detail": READERS,
    "insight-create": CONTENT_EDITORS,
    "insight-update": CONTENT_EDITORS,
    "insight-delete": CONTENT_EDITORS,
}

VALID = {
    "statement": "Families new to the area do not know the children's centre exists",
    "subject": "families",
    "source": "family_interview",
    "detail": "“Nobody told us. We found it on Facebook.”",
    "gathered_on": "2026-03-12",
    "tag_names": "awareness, new arrivals",
}


def snapshot(locality):
    return sorted(
        (i.statement, i.subject, i.source, i.detail, tuple(t.name for t in i.tags.all()))
        for i in Insight.objects.filter(locality=locality).prefetch_related("tags")
    )


# Who may do what


@pytest.mark.parametrize("page", list(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_insight_pages_by_role(client_for, users, insight, page, role):
    response = client_for(users[role]).get(page_urls(insight)[page])
    assert response.status_code == EXPECTED[page][role]


@pytest.mark.parametrize("page", list(EXPECTED))
def test_anonymous_is_sent_to_login(client, insight, page):
    response = client.get(page_urls(insight)[page])
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", REFUSED_WRITERS)
def test_refused_create_saves_nothing(client_for, users, locality, role):
    response = client_for(users[role]).post(url("insight-create"), VALID)
    assert response.status_code == CONTENT_EDITORS[role]
    assert not Insight.objects.exists()
    assert not Tag.objects.exists()


@pytest.mark.parametrize("role", REFUSED_WRITERS)
def test_refused_edit_changes_nothing(client_for, users, locality, insight, role):
    before = snapshot(locality)
    response = client_for(users[role]).post(url("insight-update", insight.pk), VALID)
    assert response.status_code == CONTENT_EDITORS[role]
    assert snapshot(locality) == before


@pytest.mark.parametrize("role", REFUSED_WRITERS)
def test_refused_delete_keeps_the_insight(client_for, users, insight, role):
    response = client_for(users[role]).post(url("insight-delete", insight.pk))
    assert response.status_code == CONTENT_EDITORS[role]
    assert Insight.objects.filter(pk=insight.pk).exists()


@pytest.mark.parametrize("role", WRITERS)
def test_editors_leads_and_superusers_record_insights(client_for, users, locality, role):
    response = client_for(users[role]).post(url("insight-create"), VALID)
    insight = Insight.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == insight.get_absolute_url()
    assert insight.locality == locality
    assert insight.recorded_by == users[role]
    assert insight.statement == VALID["statement"]
    assert str(insight.gathered_on) == "2026-03-12"


def test_record_and_add_another_returns_to_an_empty_form(client_for, editor):
    response = client_for(editor).post(url("insight-create"), {**VALID, "add_another": "1"})
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == url("insight-create")
    assert Insight.objects.count() == 1


@pytest.mark.parametrize("page", ["insight-detail", "insight-update", "insight-delete"])
def test_another_localitys_insight_is_404_under_this_locality(
    client_for, superuser, locality, other_locality, page
):
    stranger = InsightFactory(locality=other_locality)
    response = client_for(superuser).get(url(page, stranger.pk))
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_another_localitys_insight_cannot_be_edited_through_this_locality(
    client_for, superuser, locality, other_locality
):
    stranger = InsightFactory(locality=other_locality, statement="Untouched")
    response = client_for(superuser).post(url("insight-update", stranger.pk), VALID)
    assert response.status_code == HTTPStatus.NOT_FOUND
    stranger.refresh_from_db()
    assert stranger.statement == "Untouched"
    assert stranger.locality == other_locality


def test_editor_of_another_locality_cannot_delete_here(client_for, outsider, insight):
    response = client_for(outsider).post(url("insight-delete", insight.pk))
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert Insight.objects.filter(pk=insight.pk).exists()


# Bad input: re-rendered with an error next to the field, nothing saved


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("statement", "", "This field is required."),
        ("statement", "x" * 301, "to 300 characters; it has 301."),
        ("subject", "", "This field is required."),
        ("subject", "parents", "Select a valid choice."),
        ("source", "", "This field is required."),
        ("source", "gossip", "Select a valid choice."),
        ("detail", "x" * 4001, "to 4000 characters; it has 4001."),
        ("gathered_on", "12th of never", "Enter a valid date."),
        ("tag_names", "transport, " + "t" * 51, "at most 50 characters"),
        ("tag_names", ", ".join(f"tag{n}" for n in range(21)), "at most 20 tags"),
        ("tag_names", "x, " * 400, "to 1000 characters; it has "),
    ],
)
def test_bad_input_is_a_field_error_and_saves_nothing(
    client_for, editor, locality, field, value, message
):
    response = client_for(editor).post(url("insight-create"), {**VALID, field: value})
    assert response.status_code == HTTPStatus.OK
    assert message in str(response.context["form"].errors[field])
    assert list(response.context["form"].errors) == [field]
    assert not Insight.objects.exists()
    assert not Tag.objects.exists()


def test_bad_edit_changes_nothing(client_for, editor, locality, insight):
    before = snapshot(locality)
    response = client_for(editor).post(
        url("insight-update", insight.pk), {**VALID, "statement": "x" * 301}
    )
    assert response.status_code == HTTPStatus.OK
    assert snapshot(locality) == before


def test_statement_of_exactly_300_characters_is_accepted(client_for, editor):
    client_for(editor).post(url("insight-create"), {**VALID, "statement": "s" * 300})
    assert len(Insight.objects.get().statement) == 300


# Tags


def test_tags_are_created_for_this_locality(client_for, editor, locality):
    client_for(editor).post(url("insight-create"), {**VALID, "tag_names": "Transport, trust"})
    insight = Insight.objects.get()
    assert sorted(insight.tags.values_list("name", "locality")) == [
        ("Transport", locality.pk),
        ("trust", locality.pk),
    ]


def test_existing_tag_is_reused_ignoring_case(client_for, editor, locality):
    transport = TagFactory(locality=locality, name="transport")
    client_for(editor).post(url("insight-create"), {**VALID, "tag_names": "TRANSPORT"})
    assert list(Insight.objects.get().tags.all()) == [transport]
    assert Tag.objects.count() == 1


def test_repeated_tag_names_make_one_tag(client_for, editor, locality):
    client_for(editor).post(
        url("insight-create"), {**VALID, "tag_names": "trust, Trust ,  trust,, "}
    )
    assert list(Insight.objects.get().tags.values_list("name", flat=True)) == ["trust"]


def test_tag_of_the_same_name_in_another_locality_is_not_reused(
    client_for, editor, locality, other_locality
):
    theirs = TagFactory(locality=other_locality, name="stigma")
    client_for(editor).post(url("insight-create"), {**VALID, "tag_names": "stigma"})
    tag = Insight.objects.get().tags.get()
    assert tag != theirs
    assert tag.locality == locality


def test_edit_form_shows_current_tags_and_saving_replaces_them(
    client_for, editor, locality, insight
):
    insight.tags.set([TagFactory(locality=locality, name="awareness")])
    client = client_for(editor)
    form = client.get(url("insight-update", insight.pk)).context["form"]
    assert form.initial["tag_names"] == "awareness"
    client.post(url("insight-update", insight.pk), {**VALID, "tag_names": "working parents"})
    assert list(insight.tags.values_list("name", flat=True)) == ["working parents"]
    insight.refresh_from_db()
    assert insight.statement == VALID["statement"]


def test_form_suggests_this_localitys_tags_only(client_for, editor, locality, other_locality):
    TagFactory(locality=locality, name="volunteers")
    TagFactory(locality=other_locality, name="secret-elsewhere")
    response = client_for(editor).get(url("insight-create"))
    assert '<option value="volunteers">' in response.text
    assert "secret-elsewhere" not in response.text


@pytest.mark.parametrize("page", ["insight-create", "insight-update"])
def test_a_tag_name_is_shown_as_text_never_as_markup(client_for, lead, locality, insight, page):
    """A tag is typed by an editor and shown to the lead: markup in it must stay text."""
    TagFactory(locality=locality, name="<script>alert(1)</script>")
    args = [insight.pk] if page == "insight-update" else []
    response = client_for(lead).get(url(page, *args))
    assert response.status_code == HTTPStatus.OK
    assert "<script>alert(1)</script>" not in response.text
    assert "Tags already used here: &lt;script&gt;alert(1)&lt;/script&gt;." in response.text


def test_editing_keeps_recorded_by(client_for, editor, lead, locality):
    insight = InsightFactory(locality=locality, recorded_by=lead)
    client_for(editor).post(url("insight-update", insight.pk), VALID)
    insight.refresh_from_db()
    assert insight.recorded_by == lead


# Detail and delete


def test_detail_shows_the_challenges_that_cite_it(client_for, viewer, locality, insight):
    ChallengeFactory(locality=locality, title="Dads are invisible to services", insights=[insight])
    ChallengeFactory(locality=locality, title="Unrelated challenge")
    response = client_for(viewer).get(url("insight-detail", insight.pk))
    assert "Dads are invisible to services" in response.text
    assert "Unrelated challenge" not in response.text


def test_viewer_sees_no_edit_or_delete_links(client_for, viewer, insight):
    response = client_for(viewer).get(url("insight-detail", insight.pk))
    assert url("insight-update", insight.pk) not in response.text
    assert url("insight-delete", insight.pk) not in response.text


def test_delete_asks_for_confirmation_first(client_for, editor, locality, insight):
    ChallengeFactory(locality=locality, title="Cites it", insights=[insight])
    response = client_for(editor).get(url("insight-delete", insight.pk))
    assert response.status_code == HTTPStatus.OK
    assert "Cites it" in response.text
    assert Insight.objects.filter(pk=insight.pk).exists()


def test_delete_removes_the_insight_but_not_the_challenge(client_for, editor, locality, insight):
    challenge = ChallengeFactory(locality=locality, insights=[insight])
    response = client_for(editor).post(url("insight-delete", insight.pk))
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == url("insight-list")
    assert not Insight.objects.filter(pk=insight.pk).exists()
    assert challenge.insights.count() == 0


# The list: filters, search and pages


def listed(response):
    return [insight.statement for insight in response.context["insights"]]


@pytest.fixture
def varied(locality):
    transport = TagFactory(locality=locality, name="transport")
    InsightFactory(
        locality=locality,
        statement="The bus to the centre stops at 3pm",
        subject="system",
        source="local_data",
    ).tags.set([transport])
    InsightFactory(
        locality=locality,
        statement="Mums walk an hour with a pushchair",
        subject="families",
        source="family_interview",
        detail="She misses the bus most weeks.",
    ).tags.set([transport])
    InsightFactory(
        locality=locality,
        statement="Health visitors have no time for groups",
        subject="system",
        source="practitioner_interview",
        detail="",
    )
    InsightFactory(locality=LocalityFactory(), statement="Elsewhere, about the bus")
    return transport


def test_list_shows_only_this_localitys_insights(client_for, viewer, varied):
    response = client_for(viewer).get(url("insight-list"))
    assert sorted(listed(response)) == [
        "Health visitors have no time for groups",
        "Mums walk an hour with a pushchair",
        "The bus to the centre stops at 3pm",
    ]


def test_filter_by_subject(client_for, viewer, varied):
    response = client_for(viewer).get(url("insight-list"), {"subject": "system"})
    assert sorted(listed(response)) == [
        "Health visitors have no time for groups",
        "The bus to the centre stops at 3pm",
    ]


def test_filter_by_source(client_for, viewer, varied):
    response = client_for(viewer).get(url("insight-list"), {"source": "family_interview"})
    assert listed(response) == ["Mums walk an hour with a pushchair"]


def test_filter_by_tag(client_for, viewer, varied):
    response = client_for(viewer).get(url("insight-list"), {"tag": varied.pk})
    assert sorted(listed(response)) == [
        "Mums walk an hour with a pushchair",
        "The bus to the centre stops at 3pm",
    ]


def test_search_looks_in_statement_and_detail(client_for, viewer, varied):
    response = client_for(viewer).get(url("insight-list"), {"q": "BUS"})
    assert sorted(listed(response)) == [
        "Mums walk an hour with a pushchair",
        "The bus to the centre stops at 3pm",
    ]


def test_filters_combine(client_for, viewer, varied):
    response = client_for(viewer).get(
        url("insight-list"), {"q": "bus", "subject": "families", "tag": varied.pk}
    )
    assert listed(response) == ["Mums walk an hour with a pushchair"]


@pytest.mark.parametrize(
    "params",
    [
        {"subject": "martians"},
        {"source": "<script>"},
        {"tag": "abc"},
        {"tag": "999999"},
        {"q": "x" * 500},
        {"page": "abc"},
        {"page": "-3"},
        {"page": "9999"},
    ],
)
def test_unknown_filter_values_show_the_page(client_for, viewer, varied, params):
    response = client_for(viewer).get(url("insight-list"), params)
    assert response.status_code == HTTPStatus.OK
    assert len(listed(response)) == 3


def test_unknown_subject_is_explained_next_to_the_filter(client_for, viewer, varied):
    response = client_for(viewer).get(url("insight-list"), {"subject": "martians"})
    assert "Select a valid choice" in str(response.context["filters"].errors["subject"])


def test_tag_of_another_locality_does_not_filter(client_for, viewer, varied, other_locality):
    theirs = TagFactory(locality=other_locality, name="transport")
    response = client_for(viewer).get(url("insight-list"), {"tag": theirs.pk})
    assert "not used in this locality" in str(response.context["filters"].errors["tag"])
    assert len(listed(response)) == 3


def test_list_pages_by_25_and_keeps_filters_in_page_links(client_for, viewer, locality):
    InsightFactory.create_batch(30, locality=locality, subject="system")
    InsightFactory.create_batch(3, locality=locality, subject="families")
    client = client_for(viewer)
    first = client.get(url("insight-list"), {"subject": "system", "q": "Parents"})
    assert len(listed(first)) == 25
    assert first.context["page_obj"].paginator.count == 30
    assert 'href="?subject=system&amp;q=Parents&amp;page=2"' in first.text
    second = client.get(url("insight-list"), {"subject": "system", "q": "Parents", "page": 2})
    assert len(listed(second)) == 5
    assert set(listed(first)).isdisjoint(listed(second))


def test_page_beyond_the_end_shows_the_last_page(client_for, viewer, locality):
    InsightFactory.create_batch(27, locality=locality)
    response = client_for(viewer).get(url("insight-list"), {"page": 9999})
    assert response.context["page_obj"].number == 2


def test_export_link_carries_the_filters(client_for, viewer, varied):
    response = client_for(viewer).get(url("insight-list"), {"subject": "system", "page": "1"})
    assert f'href="{url("insight-export")}?subject=system"' in response.text


@pytest.mark.parametrize("rows", [5, 60])
def test_list_query_count_does_not_grow_with_insights(
    client_for, viewer, locality, django_assert_max_num_queries, rows
):
    tags = TagFactory.create_batch(3, locality=locality)
    for insight in InsightFactory.create_batch(rows, locality=locality):
        insight.tags.set(tags)
    client = client_for(viewer)
    with django_assert_max_num_queries(9):
        response = client.get(url("insight-list"), {"tag": tags[0].pk})
    assert response.status_code == HTTPStatus.OK
    assert len(listed(response)) == min(rows, 25)
    assert listed(response)[0] in response.text


# CSV export


def exported(response):
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_export_has_every_field_of_the_filtered_insights(client_for, viewer, varied, lead):
    Insight.objects.filter(statement__startswith="Mums").update(recorded_by=lead)
    response = client_for(viewer).get(url("insight-export"), {"q": "bus", "subject": "families"})
    rows = exported(response)
    assert len(rows) == 1
    row = rows[0]
    assert row["statement"] == "Mums walk an hour with a pushchair"
    assert row["subject"] == "Families"
    assert row["source"] == "Family interview"
    assert row["detail or quote"] == "She misses the bus most weeks."
    assert row["tags"] == "transport"
    assert row["recorded by"] == "lead"


def test_export_without_filters_has_all_this_localitys_insights(client_for, viewer, varied):
    rows = exported(client_for(viewer).get(url("insight-export")))
    assert sorted(row["statement"] for row in rows) == [
        "Health visitors have no time for groups",
        "Mums walk an hour with a pushchair",
        "The bus to the centre stops at 3pm",
    ]


def test_export_ignores_the_page_number(client_for, viewer, locality):
    InsightFactory.create_batch(30, locality=locality)
    rows = exported(client_for(viewer).get(url("insight-export"), {"page": 2}))
    assert len(rows) == 30


def test_export_cannot_smuggle_a_spreadsheet_formula(client_for, viewer, locality):
    InsightFactory(locality=locality, statement='=HYPERLINK("http://evil")', detail="+1")
    row = exported(client_for(viewer).get(url("insight-export")))[0]
    assert row["statement"] == '\'=HYPERLINK("http://evil")'
    assert row["detail or quote"] == "'+1"


@pytest.mark.parametrize("rows", [5, 60])
def test_export_query_count_does_not_grow(
    client_for, viewer, locality, django_assert_max_num_queries, rows
):
    tags = TagFactory.create_batch(2, locality=locality)
    for insight in InsightFactory.create_batch(rows, locality=locality):
        insight.tags.set(tags)
    client = client_for(viewer)
    with django_assert_max_num_queries(6):
        response = client.get(url("insight-export"))
    assert response.status_code == HTTPStatus.OK
    assert len(exported(response)) == rows
