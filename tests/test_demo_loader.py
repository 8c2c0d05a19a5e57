"""The demo loader (localities.demo, consultations.demo, blueprints.demo) on a small site file
with every part of the format (tests/demo_files/testbury.toml), and on broken copies of it.

What the six real sites hold is in tests/test_demo_sites.py."""

import datetime
import re
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from blueprints.demo import seed_blueprints
from blueprints.models import Blueprint, Comment, DeliveryQuestion, Prototype
from consultations.demo import seed_consultations
from consultations.models import Idea, Response
from localities.demo import DemoDataError, read_sites, seed_localities
from localities.models import (
    Challenge,
    Contribution,
    Insight,
    Locality,
    Opening,
    Partner,
    Space,
    VolunteerMonth,
    VolunteerRole,
)
from tests.test_seed_demo_guards import counts

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "demo_files"
TESTBURY = (FILES / "testbury.toml").read_text(encoding="utf-8")


def load(directory: Path = FILES):
    sites = read_sites(directory=directory)
    seed_localities(sites, password="pw")
    seed_consultations(sites)
    seed_blueprints(sites)
    return sites


def broken(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the Testbury file with one change, in a directory of its own."""
    assert old in TESTBURY
    (tmp_path / "testbury.toml").write_text(TESTBURY.replace(old, new, 1), encoding="utf-8")
    return tmp_path


@pytest.fixture
def testbury():
    load()
    return Blueprint.objects.get(locality__slug="testbury")


def test_insights_and_challenges_are_written_with_their_evidence(testbury):
    challenge = Challenge.objects.get(locality__slug="testbury")
    assert sorted(challenge.insights.values_list("statement", flat=True)) == [
        "Half the families with a new baby never visit the family hub.",
        "Parents hear of groups from other parents, not from leaflets.",
    ]
    quoted = Insight.objects.get(statement__startswith="Parents hear")
    assert quoted.detail == "“My neighbour told me.”"
    assert quoted.recorded_by.username == "testbury-editor"
    assert list(quoted.tags.values_list("name", flat=True)) == ["awareness"]


def test_the_top_idea_is_chosen_by_the_lead_with_the_files_rationale(testbury):
    idea = Idea.objects.get(status=Idea.Status.CHOSEN)
    assert (idea.title, idea.rationale) == ("Parent ambassadors", "Parents backed it most.")
    assert idea.chosen_by.username == "testbury-lead"
    assert testbury.idea == idea


def test_responses_are_the_written_ones_plus_scores_for_every_person_counted(testbury):
    responses = Response.objects.filter(consultation__title="Drop-in at the hub")
    commented = responses.exclude(comment="")
    assert [(r.idea.title, r.group, r.support) for r in commented] == [
        ("Parent ambassadors", "parent", 5)
    ]
    # 14 people, two ideas each, skipping about one in ten.
    assert 20 <= responses.count() - 1 <= 28
    assert set(responses.values_list("channel", flat=True)) == {Response.Channel.PUBLIC}


def test_generated_scores_centre_where_the_file_says_for_each_group(testbury):
    def mean(title, group):
        scores = Response.objects.filter(idea__title=title, group=group, comment="")
        return sum(scores.values_list("support", flat=True)) / scores.count()

    assert mean("Better leaflets", "parent") < 3 < mean("Better leaflets", "practitioner")


def test_the_blueprint_has_the_files_phases_lane_names_cards_and_links(testbury):
    assert list(testbury.phases.order_by("position").values_list("name", flat=True)) == [
        "Hearing of it",
        "First visit",
        "Use",
        "Telling others",
    ]
    assert testbury.lanes.get(role="frontline").name == "Parent ambassadors and hub staff"
    assert testbury.lanes.get(role="family").name == "Family experience"
    talk = testbury.cards.get(title="Ambassador talks to parents at pick-up")
    assert [c.title for c in talk.serves.all()] == [
        "Hears of the hub from a parent at the school gate"
    ]
    hears = testbury.cards.get(title__startswith="Hears of the hub")
    assert (hears.emotion, hears.insights.get().statement[:12]) == (1, "Parents hear")


def test_delivery_challenges_and_prototypes_link_what_the_file_names(testbury):
    challenge = testbury.delivery_challenges.get(title="Enough ambassadors")
    assert list(challenge.questions.values_list("text", "status", "owner")) == [
        ("How many parents will do it?", "open", None),
        ("How do we thank them?", "open", None),
    ]
    assert [c.title for c in challenge.cards.all()] == ["Ambassador talks to parents at pick-up"]
    prototype = Prototype.objects.get(blueprint=testbury)
    assert (prototype.status, prototype.decision, str(prototype.cost)) == (
        "finished",
        "adopt",
        "40.00",
    )
    assert list(prototype.delivery_challenges.all()) == [challenge]
    assert prototype.cards.count() == 2


def test_questions_written_as_tables_keep_status_owner_answer_and_evidence(testbury):
    challenge = testbury.delivery_challenges.get(title="Reaching parents who never come in")
    questions = list(challenge.questions.select_related("owner", "decided_by"))
    assert [(q.status, q.owner and q.owner.username) for q in questions] == [
        ("answered", "testbury-lead"),
        ("testing", "testbury-editor"),
        ("parked", None),
    ]
    answered = questions[0]
    assert answered.answer == "Yes: nine families came in a month, seven of them new to the hub."
    assert answered.answered_on == datetime.date(2026, 10, 2)
    assert answered.decided_by.username == "testbury-lead"
    assert [i.statement[:12] for i in answered.insights.all()] == ["Parents hear"]
    assert [idea.title for idea in answered.ideas.all()] == ["Parent ambassadors"]


def test_a_prototype_records_the_questions_it_tested_its_results_and_measures(testbury):
    prototype = Prototype.objects.get(blueprint=testbury)
    assert sorted(prototype.questions.values_list("text", flat=True)) == [
        "How do we thank the ambassadors?",
        "Will a parent's word bring in the families that leaflets missed?",
    ]
    assert (prototype.families_reached, prototype.hardest_to_reach) == (9, 4)
    assert (prototype.staff_hours, prototype.volunteer_hours) == (Decimal("12.5"), Decimal("30.3"))
    assert prototype.in_kind_description == "The school lent its hall for the coffee mornings."
    assert prototype.net_cost == Decimal("81.00")  # 40 cash + 50 in kind - 9 income
    assert prototype.cost_per_family == Decimal("9.00")
    assert list(prototype.measures.values_list("name", "unit", "baseline", "target", "actual")) == [
        ("Families new to the hub", "families", Decimal(0), Decimal(5), Decimal(7)),
        ("Ambassadors still active", "", None, Decimal(2), Decimal(2)),
    ]


def test_published_items_are_those_the_file_marks_published(testbury):
    published = DeliveryQuestion.objects.filter(published_at__isnull=False)
    assert list(published.values_list("text", flat=True)) == [
        "Will a parent's word bring in the families that leaflets missed?"
    ]
    assert list(
        Prototype.objects.filter(published_at__isnull=False).values_list("title", flat=True)
    ) == ["Two ambassadors for a month"]


def test_the_review_story_runs_through_the_review_services(testbury):
    moves = [(t.to_state, t.by.username) for t in testbury.transitions.order_by("at", "pk")]
    assert moves == [
        ("submitted", "testbury-editor"),
        ("changes_requested", "reviewer"),
        ("submitted", "testbury-editor"),
        ("approved", "reviewer"),
    ]
    reply = Comment.objects.get(parent__isnull=False)
    assert (reply.author.username, reply.parent.card.title) == (
        "testbury-editor",
        "Who trains the ambassadors?",
    )
    edited = testbury.cards.get(title="Who trains the ambassadors?")
    assert edited.details.startswith("The hub's volunteer coordinator")
    assert testbury.review_state == Blueprint.ReviewState.APPROVED


def test_dated_moves_keep_the_files_dates_and_undated_ones_the_time_of_loading(testbury):
    first, *later = testbury.transitions.order_by("pk")
    assert timezone.localdate(first.at) == datetime.date(2026, 7, 1)
    assert timezone.localdate(testbury.versions.order_by("number")[0].created_at) == (
        datetime.date(2026, 7, 1)
    )
    assert all(timezone.localdate(move.at) == timezone.localdate() for move in later)
    question = Comment.objects.get(parent__isnull=True)
    assert timezone.localdate(question.created_at) == datetime.date(2026, 7, 8)
    chosen = Idea.objects.get(status=Idea.Status.CHOSEN)
    assert timezone.localdate(chosen.chosen_at) == datetime.date(2026, 4, 20)


def test_loading_again_adds_nothing(testbury):
    before = counts()
    load()
    assert counts() == before


def test_a_key_the_file_does_not_define_fails_naming_the_file_and_the_key(tmp_path):
    directory = broken(tmp_path, 'insights = ["t-ins-01"]', 'insights = ["t-ins-99"]')
    message = 'blueprint.cards[0].insights names insight "t-ins-99", which the file does not'
    with pytest.raises(DemoDataError, match=re.escape(message)) as error:
        read_sites(directory=directory)
    assert str(directory / "testbury.toml") in str(error.value)


def test_a_key_of_the_wrong_kind_is_refused(tmp_path):
    directory = broken(tmp_path, 'serves = ["t-card-01"]', 'serves = ["t-ins-01"]')
    with pytest.raises(DemoDataError, match='serves names card "t-ins-01"'):
        read_sites(directory=directory)


def test_a_key_used_twice_is_refused(tmp_path):
    directory = broken(tmp_path, 'key = "t-ins-02"', 'key = "t-ins-01"')
    with pytest.raises(DemoDataError, match='insights\\[1\\] uses the key "t-ins-01" again'):
        read_sites(directory=directory)


def test_a_record_without_a_key_is_refused(tmp_path):
    directory = broken(tmp_path, 'key = "t-dc-01"\n', "")
    with pytest.raises(DemoDataError, match="blueprint.delivery_challenges\\[0\\] has no key"):
        read_sites(directory=directory)


def test_a_file_whose_slug_is_not_its_name_is_refused(tmp_path):
    directory = broken(tmp_path, 'slug = "testbury"', 'slug = "elsewhere"')
    with pytest.raises(DemoDataError, match='needs slug = "testbury"'):
        read_sites(directory=directory)


def test_a_value_the_model_refuses_fails_naming_the_record_and_saves_nothing(tmp_path):
    directory = broken(tmp_path, 'kind = "question"', 'kind = "wish"')
    before = counts()
    with pytest.raises(DemoDataError, match=r'blueprint.cards\[2\] \("t-card-03"\): .*wish'):
        load(directory)
    # seed_demo runs the whole load in one transaction; here the blueprint's own is undone.
    assert not Blueprint.objects.exists()
    assert counts()["blueprints.Card"] == before["blueprints.Card"]


def test_a_missing_field_is_named(tmp_path):
    directory = broken(tmp_path, 'theme = "volunteering"\n', "")
    with pytest.raises(DemoDataError, match=r'delivery_challenges\[0\] \("t-dc-01"\): .*theme'):
        load(directory)


def test_a_response_outside_the_scale_is_refused(tmp_path):
    directory = broken(tmp_path, "support = 5", "support = 9")
    with pytest.raises(DemoDataError, match="support from 1 to 5"):
        load(directory)


def test_seed_demo_names_the_file_when_a_site_cannot_load(tmp_path, settings, monkeypatch):
    settings.DEBUG = True
    directory = broken(tmp_path, 'insights = ["t-ins-01"]', 'insights = ["t-ins-99"]')
    monkeypatch.setattr("localities.demo.DEMO_DIR", directory)
    with pytest.raises(CommandError, match='testbury.toml: .*"t-ins-99"'):
        call_command("seed_demo")
    assert counts()["localities.Locality"] == 0


def test_seed_demo_site_loads_only_the_sites_named(settings):
    settings.DEBUG = True
    call_command("seed_demo", "--site", "hollins-vale", stdout=StringIO())
    assert set(Insight.objects.values_list("locality__slug", flat=True)) == {"hollins-vale"}


def test_seed_demo_refuses_a_site_with_no_file(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="No demo file has the site atlantis"):
        call_command("seed_demo", "--site", "atlantis")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'insights = ["t-ins-01"]\nideas',
            'insights = ["t-ins-99"]\nideas',
            'delivery_challenges[1].questions[0].insights names insight "t-ins-99"',
        ),
        (
            'ideas = ["t-idea-01"]',
            'ideas = ["t-ch-01"]',
            'delivery_challenges[1].questions[0].ideas names idea "t-ch-01"',
        ),
        (
            'questions = ["t-q-01", "t-q-02"]',
            'questions = ["t-q-01", "t-dc-02"]',
            'prototypes[0].questions names question "t-dc-02"',
        ),
    ],
)
def test_a_question_or_its_evidence_named_by_a_bad_key_is_refused(tmp_path, old, new, message):
    with pytest.raises(DemoDataError, match=re.escape(message)):
        read_sites(directory=broken(tmp_path, old, new))


def test_a_question_written_as_a_table_needs_a_key(tmp_path):
    directory = broken(tmp_path, 'key = "t-q-03"\n', "")
    with pytest.raises(
        DemoDataError, match=re.escape("delivery_challenges[1].questions[2] has no")
    ):
        read_sites(directory=directory)


def test_an_owner_who_is_not_on_the_team_is_refused(tmp_path):
    directory = broken(tmp_path, 'owner = "editor"', 'owner = "mayor"')
    with pytest.raises(DemoDataError, match=r'questions\[1\].owner is "mayor", not .*editor'):
        load(directory)
    assert not Blueprint.objects.exists()


def test_an_owner_from_outside_the_locality_is_refused_by_the_service(tmp_path):
    directory = broken(tmp_path, 'owner = "editor"', 'owner = "reviewer"')
    with pytest.raises(DemoDataError, match=r'\("t-q-02"\): owner: Choose a member'):
        load(directory)


def test_an_answered_question_needs_its_answer(tmp_path):
    directory = broken(
        tmp_path, "Yes: nine families came in a month, seven of them new to the hub.", ""
    )
    with pytest.raises(DemoDataError, match=r'\("t-q-01"\): answer: Say what the answer is'):
        load(directory)


def test_only_an_answered_question_may_be_published(tmp_path):
    directory = broken(tmp_path, 'status = "parked"', 'status = "parked"\npublished = true')
    with pytest.raises(
        DemoDataError, match=r'\("t-q-03"\): status: Answer the question before publishing'
    ):
        load(directory)
    assert not DeliveryQuestion.objects.exists()


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ('cash_cost = "40.00"', 'cash_cost = "forty"', "cash_cost"),
        ("staff_hours = 12.5", "staff_hours = -3", "staff_hours"),
        ("hardest_to_reach = 4", "hardest_to_reach = 12", "hardest_to_reach"),
        ("baseline = 0,", 'baseline = "none",', "baseline"),
    ],
)
def test_a_result_the_model_refuses_is_named_and_nothing_is_saved(tmp_path, old, new, field):
    with pytest.raises(DemoDataError, match=rf'prototypes\[0\] \("t-proto-01"\): {field}: '):
        load(broken(tmp_path, old, new))
    assert not Prototype.objects.exists()


def test_a_measure_with_a_field_measures_do_not_have_is_refused(tmp_path):
    directory = broken(tmp_path, "target = 2, actual", "goal = 2, actual")
    with pytest.raises(DemoDataError, match="unexpected keyword argument 'goal'"):
        load(directory)


# Community resources (issue 15): spaces, partners, volunteering


def test_spaces_are_written_with_their_opening_hours_and_who_staffs_them_late(testbury):
    hub = Space.objects.get(locality__slug="testbury", name="Testbury family hub")
    assert (hub.kind, hub.step_free, hub.income_per_hour) == (
        "childrens_centre",
        "yes",
        Decimal("25.00"),
    )
    assert hub.out_of_hours_staffed_by == "Hub volunteer coordinator"
    assert [
        (o.day, f"{o.opens:%H:%M}", f"{o.closes:%H:%M}", o.out_of_hours) for o in hub.openings.all()
    ] == [
        (Opening.Day.MONDAY, "09:00", "17:00", False),
        (Opening.Day.THURSDAY, "17:30", "19:30", True),
    ]
    library = Space.objects.get(name="Testbury library")
    assert [str(o) for o in library.openings.all()] == ["Saturday 10:00 to 12:00"]


def test_partners_are_written_with_each_contribution_its_status_and_date(testbury):
    school = Partner.objects.get(locality__slug="testbury")
    assert (school.organisation, school.kind, school.contact_role) == (
        "Testbury Primary School",
        "school",
        "Head teacher",
    )
    assert list(
        school.contributions.values_list("kind", "value", "quantity", "status", "status_on")
    ) == [
        ("space", Decimal("50.00"), Decimal("4.0"), "delivered", datetime.date(2026, 9, 1)),
        ("money", Decimal("200.00"), None, "pledged", datetime.date(2026, 10, 15)),
    ]


def test_volunteer_roles_are_written_with_their_months_and_the_sites_hours_limit(testbury):
    role = VolunteerRole.objects.get(locality__slug="testbury")
    assert (role.name, role.hours_needed) == ("Parent ambassador", Decimal("12.0"))
    assert role.training == "Two sessions on the hub and safeguarding."
    assert list(
        role.months.values_list(
            "month", "interested", "trained", "active", "former_users", "left_work_or_study"
        )
    ) == [
        (datetime.date(2026, 9, 1), 5, 2, 2, 0, 0),
        (datetime.date(2026, 10, 1), 2, 1, 3, 1, 0),
        (datetime.date(2026, 11, 1), 0, 0, 2, 0, 1),
    ]
    assert Locality.objects.get(slug="testbury").volunteer_hours_limit == Decimal("6.0")


def test_resources_are_keyed_records_of_the_file(testbury):
    site = read_sites(directory=FILES)[0]
    assert {
        key: kind
        for key, kind in site.kinds.items()
        if key.startswith(("t-space", "t-partner", "t-vol"))
    } == {
        "t-space-hub": "space",
        "t-space-library": "space",
        "t-partner-school": "partner",
        "t-vol-ambassador": "volunteer role",
    }


def test_loading_again_adds_no_space_opening_partner_contribution_role_or_month(testbury):
    models = (Space, Opening, Partner, Contribution, VolunteerRole, VolunteerMonth)
    before = [model.objects.count() for model in models]
    assert before == [2, 3, 1, 2, 1, 3]
    load()
    assert [model.objects.count() for model in models] == before


def test_a_space_with_a_field_spaces_do_not_have_is_refused_naming_file_and_record(tmp_path):
    directory = broken(tmp_path, 'kind = "library"', 'kind = "library"\ncolour = "blue"')
    with pytest.raises(DemoDataError) as error:
        load(directory)
    assert str(error.value) == (
        f'{directory / "testbury.toml"}: spaces[1] ("t-space-library"): '
        "space has no field 'colour'"
    )
    assert not Space.objects.exists()


def test_a_contribution_with_negative_money_is_refused_naming_file_and_record(tmp_path):
    directory = broken(tmp_path, 'value = "200.00"', 'value = "-200.00"')
    with pytest.raises(DemoDataError) as error:
        load(directory)
    assert str(error.value) == (
        f'{directory / "testbury.toml"}: partners[0].contributions[1] ("t-partner-school"): '
        "value: Enter zero or more."
    )
    assert not Partner.objects.exists()
    assert not Contribution.objects.exists()


def test_a_month_with_more_active_than_trained_and_carried_over_is_refused(tmp_path):
    directory = broken(tmp_path, "trained = 1, active = 3", "trained = 1, active = 4")
    with pytest.raises(DemoDataError) as error:
        load(directory)
    assert str(error.value) == (
        f"{directory / 'testbury.toml'}: volunteer_roles[0].months[1] "
        '("t-vol-ambassador, October 2026"): active: At most 3 can be active: 1 trained this '
        "month and 2 active in September 2026. Record the earlier month, or the training, first."
    )
    assert not VolunteerRole.objects.exists()
    assert not VolunteerMonth.objects.exists()


def test_the_first_month_of_a_role_carries_nothing_over(tmp_path):
    directory = broken(tmp_path, "trained = 2, active = 2", "trained = 2, active = 3")
    with pytest.raises(DemoDataError, match=r'months\[0\] \("t-vol-ambassador, September 2026"\)'):
        load(directory)


def test_a_month_recorded_twice_for_a_role_is_refused(tmp_path):
    directory = broken(tmp_path, "month = 2026-10-01", "month = 2026-09-01")
    with pytest.raises(DemoDataError) as error:
        load(directory)
    assert str(error.value) == (
        f"{directory / 'testbury.toml'}: volunteer_roles[0].months[1] "
        '("t-vol-ambassador, September 2026"): month: September 2026 is there twice'
    )
    assert not VolunteerMonth.objects.exists()


def test_a_space_key_used_twice_is_refused(tmp_path):
    directory = broken(tmp_path, 'key = "t-space-library"', 'key = "t-space-hub"')
    with pytest.raises(DemoDataError) as error:
        read_sites(directory=directory)
    assert str(error.value) == (
        f'{directory / "testbury.toml"}: spaces[1] uses the key "t-space-hub" again'
    )


def test_a_space_without_a_key_is_refused(tmp_path):
    directory = broken(tmp_path, 'key = "t-space-library"\n', "")
    with pytest.raises(DemoDataError, match=re.escape("spaces[1] has no key")):
        read_sites(directory=directory)


def test_an_opening_that_closes_before_it_opens_is_refused(tmp_path):
    directory = broken(
        tmp_path, 'opens = "10:00"\ncloses = "12:00"', 'opens = "10:00"\ncloses = "09:00"'
    )
    with pytest.raises(
        DemoDataError,
        match=re.escape('spaces[1].openings[0] ("t-space-library"): closes: Closing time must'),
    ):
        load(directory)
    assert not Opening.objects.exists()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('kind = "school"', 'kind = "spaceship"', 'partners[0] ("t-partner-school"): kind: '),
        (
            'kind = "space", description',
            'kind = "gift", description',
            'contributions[0] ("t-partner-school"): kind: ',
        ),
        ('day = "Saturday"', 'day = "Caturday"', 'openings[0] ("t-space-library"): day: '),
        (
            "hours_needed = 12",
            "hours_needed = -12",
            'volunteer_roles[0] ("t-vol-ambassador"): hours_needed: ',
        ),
        (
            "hours_limit = 6",
            "hours_limit = 80",
            'volunteering ("testbury"): volunteer_hours_limit: ',
        ),
        (
            "hours_limit = 6",
            "hours_limit = 6\nhours = 4",
            'volunteering ("testbury"): [volunteering] has no field hours',
        ),
        (
            "active = 2 }",
            "active = 2, former_users = 3 }",
            'months[0] ("t-vol-ambassador, September 2026"): former_users: ',
        ),
        (
            "month = 2026-10-01",
            "month = 2026-10-02",
            'months[1] ("t-vol-ambassador, October 2026"): ',
        ),
    ],
)
def test_a_resource_value_the_models_refuse_is_named_and_nothing_is_saved(
    tmp_path, old, new, message
):
    with pytest.raises(DemoDataError, match=re.escape(message)):
        load(broken(tmp_path, old, new))
    assert not Space.objects.exists()
    assert not Partner.objects.exists()
    assert not VolunteerRole.objects.exists()


# Cards and prototypes name the site's resources -----------------------------------------


def test_cards_name_the_space_partner_and_volunteer_role_the_file_gives(testbury):
    cards = {
        card.title: (
            card.space and card.space.name,
            card.partner and card.partner.organisation,
            card.volunteer_role and card.volunteer_role.name,
            card.volunteer_hours,
        )
        for card in testbury.cards.select_related("space", "partner", "volunteer_role")
    }
    assert cards["Hears of the hub from a parent at the school gate"] == (
        "Testbury library",
        None,
        None,
        None,
    )
    assert cards["Ambassador talks to parents at pick-up"] == (
        None,
        "Testbury Primary School",
        "Parent ambassador",
        Decimal("2.5"),
    )
    assert cards["Who trains the ambassadors?"] == (None, None, None, None)


def test_a_prototype_names_the_resources_it_uses(testbury):
    prototype = Prototype.objects.get(blueprint=testbury)
    assert sorted(prototype.spaces.values_list("name", flat=True)) == [
        "Testbury family hub",
        "Testbury library",
    ]
    assert list(prototype.partners.values_list("organisation", flat=True)) == [
        "Testbury Primary School"
    ]
    assert list(prototype.volunteer_roles.values_list("name", flat=True)) == ["Parent ambassador"]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'volunteer_role = "t-vol-ambassador"',
            'volunteer_role = "t-vol-nobody"',
            'blueprint.cards[1].volunteer_role names volunteer role "t-vol-nobody", which the '
            "file does not define",
        ),
        (
            'partner = "t-partner-school"',
            'partner = "t-space-hub"',
            'blueprint.cards[1].partner names partner "t-space-hub"',
        ),
        (
            'spaces = ["t-space-hub", "t-space-library"]',
            'spaces = ["t-space-hub", "t-ins-01"]',
            'blueprint.prototypes[0].spaces names space "t-ins-01"',
        ),
    ],
)
def test_a_resource_named_by_a_bad_key_is_refused(tmp_path, old, new, message):
    with pytest.raises(DemoDataError, match=re.escape(message)):
        read_sites(directory=broken(tmp_path, old, new))


def test_volunteer_hours_without_a_role_are_refused_naming_the_card(tmp_path):
    directory = broken(tmp_path, 'volunteer_role = "t-vol-ambassador"\n', "")
    with pytest.raises(
        DemoDataError, match=r'blueprint.cards\[1\] \("t-card-02"\): volunteer_hours'
    ):
        load(directory)
    assert not Blueprint.objects.exists()
