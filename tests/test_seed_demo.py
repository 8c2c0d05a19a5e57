"""The demo data command: accounts as DESIGN section 6 lists them, idempotent, and guarded.

What one run makes is read from one seeding shared by the module (`seeded_demo`); the
guards, which need an empty database, are in tests/test_seed_demo_guards.py.
"""

import operator
from decimal import Decimal
from itertools import combinations

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.db.models import Q, Sum
from django.test import RequestFactory
from django.urls import reverse

from blueprints.models import (
    Blueprint,
    Card,
    Comment,
    DeliveryChallenge,
    DeliveryQuestion,
    Prototype,
    StarterQuestion,
)
from blueprints.portfolio import build_portfolio
from blueprints.progress import counts_of, steps_of, with_progress
from consultations.demo import response_rows
from consultations.models import Idea, Response
from localities import permissions
from localities.demo import read_sites, tables
from localities.models import (
    Contribution,
    Locality,
    Membership,
    Opening,
    Partner,
    Space,
    VolunteerMonth,
    VolunteerRole,
)
from localities.progress import current_step
from tests.test_seed_demo_guards import SLUGS, counts, seed

pytestmark = pytest.mark.django_db

User = get_user_model()
RESOURCE_MODELS = (
    "Space",
    "Opening",
    "Partner",
    "Contribution",
    "VolunteerRole",
    "VolunteerMonth",
)


def test_seed_creates_six_localities_each_with_lead_editor_and_viewer(seeded_demo):
    assert set(Locality.objects.values_list("slug", flat=True)) == SLUGS
    for slug in SLUGS:
        roles = dict(
            Membership.objects.filter(locality__slug=slug).values_list("user__username", "role")
        )
        assert roles == {
            f"{slug}-lead": "lead",
            f"{slug}-editor": "editor",
            f"{slug}-viewer": "viewer",
        }


def test_seed_prints_accounts_and_every_password_works(seeded_demo):
    assert "northgate-editor" in seeded_demo.output
    assert "reviewer" in seeded_demo.output
    assert f"Every password is: {seeded_demo.password}" in seeded_demo.output
    lead = authenticate(
        RequestFactory().post("/"), username="millbrook-lead", password=seeded_demo.password
    )
    assert lead is not None
    reviewer = authenticate(
        RequestFactory().post("/"), username="reviewer", password=seeded_demo.password
    )
    assert permissions.is_reviewer(reviewer)


def test_seed_runs_with_debug_off_when_forced(seeded_demo, settings):
    """`seeded_demo` ran the command with DEBUG off and --force."""
    assert settings.DEBUG is False
    assert Locality.objects.count() == 6


def test_seed_twice_adds_nothing(seeded_demo, settings):
    settings.DEBUG = True
    first = counts()
    assert all(first[f"localities.{name}"] for name in RESOURCE_MODELS), first
    seed("--password", seeded_demo.password)
    assert counts() == first


# The six sites (issue 11): each its own place, at its own stage of the method


def sites_by_slug():
    return {site.slug: site for site in read_sites()}


def test_every_demo_file_reads_and_every_key_in_it_resolves():
    """read_sites checks every reference; the six files are the six localities."""
    assert set(sites_by_slug()) == SLUGS


def test_no_two_sites_blueprints_share_more_than_three_card_titles(seeded_demo):
    titles = {
        slug: set(
            Card.objects.filter(blueprint__locality__slug=slug).values_list("title", flat=True)
        )
        for slug in SLUGS
    }
    shared = {(a, b): titles[a] & titles[b] for a, b in combinations(sorted(SLUGS), 2)}
    assert {pair: common for pair, common in shared.items() if len(common) > 3} == {}


def test_no_prototype_title_appears_twice(seeded_demo):
    titles = list(Prototype.objects.values_list("title", flat=True))
    assert len(titles) >= 4
    assert len(set(titles)) == len(titles)


def test_the_six_sites_are_at_six_different_steps_of_the_method(seeded_demo):
    localities = with_progress(Locality.objects.all())
    steps = {locality.slug: current_step(steps_of(locality)) for locality in localities}
    assert len(set(steps.values())) == 6, steps
    assert min(steps.values()) <= 3  # one still gathering insights
    assert max(steps.values()) == 10  # one with every step done: approved and prototyping


def test_each_sites_next_step_reads_differently_on_the_reviewers_dashboard(seeded_demo, client):
    client.force_login(User.objects.get(username="reviewer"))
    localities = client.get(reverse("dashboard")).context["localities"]
    assert len({locality.next_step.text for locality in localities}) == 6


def test_the_portfolio_shows_common_and_rare_themes(seeded_demo):
    themes = build_portfolio(Locality.objects.all()).themes
    assert any(row.common for row in themes)
    assert any(row.site_count == 1 for row in themes)


def test_the_blueprints_are_at_every_review_state_and_the_reviewer_has_work(seeded_demo):
    states = sorted(Blueprint.objects.values_list("review_state", flat=True))
    assert states == sorted(["draft", "submitted", "changes_requested", "approved"])


def test_the_sent_back_blueprint_has_the_reviewers_comments_and_a_reply(seeded_demo):
    sent_back = Blueprint.objects.get(review_state=Blueprint.ReviewState.CHANGES_REQUESTED)
    comments = list(Comment.objects.filter(blueprint=sent_back).select_related("author"))
    assert any(c.card_id is None and c.parent_id is None for c in comments)
    on_card = next(c for c in comments if c.card_id and c.parent_id is None)
    assert on_card.author.username == "reviewer"
    assert any(c.parent_id == on_card.pk for c in comments)


def test_the_approved_blueprint_was_submitted_twice_with_an_edit_between(seeded_demo):
    approved = Blueprint.objects.get(review_state=Blueprint.ReviewState.APPROVED)
    moves = list(approved.transitions.order_by("at", "pk"))
    assert [m.to_state for m in moves] == [
        "submitted",
        "changes_requested",
        "submitted",
        "approved",
    ]
    assert moves[2].blueprint_version > moves[0].blueprint_version


def test_the_prototyping_site_has_decided_prototypes_with_what_they_taught(seeded_demo):
    approved = Blueprint.objects.get(review_state=Blueprint.ReviewState.APPROVED)
    decided = approved.prototypes.exclude(decision=Prototype.Decision.UNDECIDED)
    assert {p.decision for p in decided} >= {"adopt", "adapt", "drop"}
    assert all(p.learning and p.status == Prototype.Status.FINISHED for p in decided)
    assert (
        not Prototype.objects.filter(status=Prototype.Status.PLANNED)
        .exclude(decision=Prototype.Decision.UNDECIDED)
        .exists()
    )


@pytest.mark.parametrize(
    ("name", "low", "high"), [("insights", 6, 20), ("ideas", 3, 8), ("delivery_challenges", 2, 8)]
)
def test_counts_differ_between_sites_within_the_programmes_range(seeded_demo, name, low, high):
    counts = [
        count
        for locality in with_progress(Locality.objects.all())
        if (count := counts_of(locality)[name])
    ]
    assert all(low <= count <= high for count in counts), counts
    assert len(set(counts)) > 1, counts


def test_the_database_holds_what_the_files_say(seeded_demo):
    """Cell by cell and response by response, so SQLite and PostgreSQL hold the same demo."""
    for slug, site in sites_by_slug().items():
        spec = site.doc.get("blueprint")
        if spec:
            blueprint = Blueprint.objects.get(locality__slug=slug)
            in_db = [
                (card.phase.name, card.lane.role, card.title)
                for card in blueprint.cards.select_related("phase", "lane").order_by(
                    "phase__position", "lane__position", "position"
                )
            ]
            phases = [phase["name"] for phase in spec["phases"]]
            roles = ["evidence", "family", "frontline", "backstage", "support"]
            in_file = sorted(
                ((c["phase"], c["lane"], c["title"]) for c in spec["cards"]),
                key=lambda c: (phases.index(c[0]), roles.index(c[1])),
            )
            assert in_db == in_file, slug
        site.records = {
            **{
                row["key"]: Idea.objects.get(locality__slug=slug, title=row["title"])
                for row in site.doc.get("ideas", [])
            },
        }
        for where, row in tables(site.doc, ("consultations",)):
            expected = sorted(
                (r.idea.title, r.group, r.support, r.comment)
                for r in response_rows(site, where, row)
            )
            saved = sorted(
                Response.objects.filter(
                    consultation__locality__slug=slug, consultation__title=row["title"]
                ).values_list("idea__title", "group", "support", "comment")
            )
            assert saved == expected, (slug, row["title"])


# Issue 12: questions as pieces of work, prototypes with results, learning shared


def test_each_site_with_delivery_challenges_has_questions_at_several_statuses(seeded_demo):
    statuses = {}
    for slug, status in DeliveryQuestion.objects.values_list(
        "challenge__blueprint__locality__slug", "status"
    ):
        statuses.setdefault(slug, set()).add(status)
    with_challenges = set(
        DeliveryChallenge.objects.values_list("blueprint__locality__slug", flat=True)
    )
    assert with_challenges >= {"castlebrook", "northgate", "millbrook"}
    assert {slug for slug in with_challenges if len(statuses.get(slug, ())) < 2} == set()
    assert set().union(*statuses.values()) == set(DeliveryQuestion.Status.values)


def test_answered_questions_say_what_was_found_when_and_who_owns_and_decided_them(seeded_demo):
    answered = DeliveryQuestion.objects.filter(status=DeliveryQuestion.Status.ANSWERED)
    assert answered.count() >= 6
    assert not answered.filter(Q(answer="") | Q(answered_on__isnull=True)).exists()
    assert not answered.filter(Q(owner__isnull=True) | Q(decided_by__isnull=True)).exists()
    assert answered.filter(insights__isnull=False).distinct().count() >= 5


def test_a_decided_prototype_has_results_measures_and_a_cost_per_family(seeded_demo):
    decided = Prototype.objects.exclude(decision=Prototype.Decision.UNDECIDED)
    with_results = [p for p in decided if p.cost_per_family is not None and p.measures.exists()]
    assert with_results, "no decided prototype with results"
    pilot = Prototype.objects.get(title__startswith="Six Thursday pilot nights")
    assert (pilot.families_reached, pilot.net_cost) == (31, Decimal("1430.00"))
    assert pilot.cost_per_family == Decimal("46.13")


def test_decided_prototypes_results_agree_with_what_their_learning_says(seeded_demo):
    decided = Prototype.objects.exclude(decision=Prototype.Decision.UNDECIDED)
    costed = [p for p in decided if p.cash_cost is not None]
    assert len(costed) >= 3
    assert [p.title for p in costed if f"£{p.cash_cost:,.0f}" not in p.learning] == []


def test_a_decided_prototype_leaves_none_of_its_questions_being_tested(seeded_demo):
    """Deciding answers (or re-opens) the questions a prototype tested, in the same form."""
    decided = Prototype.objects.exclude(decision=Prototype.Decision.UNDECIDED)
    assert DeliveryQuestion.objects.filter(prototypes__in=decided).exists()
    assert not DeliveryQuestion.objects.filter(
        prototypes__in=decided, status=DeliveryQuestion.Status.TESTING
    ).exists()
    answered = DeliveryQuestion.objects.filter(
        prototypes__in=decided, status=DeliveryQuestion.Status.ANSWERED
    )
    assert answered.distinct().count() >= 4


def test_northgates_running_prototype_tests_two_questions_being_tested(seeded_demo):
    running = Prototype.objects.get(
        blueprint__locality__slug="northgate", status=Prototype.Status.RUNNING
    )
    assert list(running.questions.values_list("status", flat=True)) == ["testing", "testing"]


def test_millbrook_publishes_one_answered_question_and_one_decided_prototype(seeded_demo):
    questions = DeliveryQuestion.objects.filter(published_at__isnull=False)
    prototypes = Prototype.objects.filter(published_at__isnull=False)
    assert [(q.challenge.blueprint.locality.slug, q.status) for q in questions] == [
        ("millbrook", "answered")
    ]
    assert [(p.blueprint.locality.slug, p.decision) for p in prototypes] == [("millbrook", "adopt")]


def test_sites_ask_starter_questions_in_their_own_words(seeded_demo):
    """Each site's questions are its own: none is a starter question copied word for word,
    and the programme's themes that every site meets (volunteering, engaging families)
    carry questions at each of the three."""
    starters = set(StarterQuestion.objects.values_list("text", flat=True))
    asked = set(DeliveryQuestion.objects.values_list("text", flat=True))
    assert starters
    assert not starters & asked
    for theme in ("volunteering", "engaging_families"):
        sites = DeliveryQuestion.objects.filter(challenge__theme=theme).values_list(
            "challenge__blueprint__locality__slug", flat=True
        )
        assert set(sites) >= {"castlebrook", "northgate", "millbrook"}, theme


# Issue 15: each site's community resources, as its file tells them


def _money(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def test_the_seeded_spaces_and_their_opening_hours_are_the_files(seeded_demo):
    days = {label: value for value, label in Opening.Day.choices}
    for slug, site in sites_by_slug().items():
        in_file = sorted(
            (
                row["name"],
                row["kind"],
                row.get("area", ""),
                row.get("step_free", "unknown"),
                row.get("managed_by", ""),
                row.get("out_of_hours_staffed_by", ""),
                _money(row.get("hire_cost_per_hour")),
                _money(row.get("income_per_hour")),
                tuple(
                    sorted(
                        (days[o["day"]], o["opens"], o["closes"], o.get("out_of_hours", False))
                        for o in row.get("openings", [])
                    )
                ),
            )
            for row in site.doc.get("spaces", [])
        )
        in_db = sorted(
            (
                space.name,
                space.kind,
                space.area,
                space.step_free,
                space.managed_by,
                space.out_of_hours_staffed_by,
                space.hire_cost_per_hour,
                space.income_per_hour,
                tuple(
                    sorted(
                        (o.day, f"{o.opens:%H:%M}", f"{o.closes:%H:%M}", o.out_of_hours)
                        for o in space.openings.all()
                    )
                ),
            )
            for space in Space.objects.filter(locality__slug=slug).prefetch_related("openings")
        )
        assert in_db == in_file, slug


def test_the_seeded_partners_and_contributions_are_the_files(seeded_demo):
    for slug, site in sites_by_slug().items():
        in_file = sorted(
            (
                row["organisation"],
                row["kind"],
                row.get("contact_role", ""),
                tuple(
                    sorted(
                        (
                            c["kind"],
                            c.get("description", ""),
                            _money(c.get("value")),
                            _money(c.get("quantity")),
                            c["status"],
                            c["status_on"],
                        )
                        for c in row.get("contributions", [])
                    )
                ),
            )
            for row in site.doc.get("partners", [])
        )
        in_db = sorted(
            (
                partner.organisation,
                partner.kind,
                partner.contact_role,
                tuple(
                    sorted(
                        (c.kind, c.description, c.value, c.quantity, c.status, c.status_on)
                        for c in partner.contributions.all()
                    )
                ),
            )
            for partner in Partner.objects.filter(locality__slug=slug).prefetch_related(
                "contributions"
            )
        )
        assert in_db == in_file, slug


def test_the_seeded_volunteer_roles_months_and_hours_limit_are_the_files(seeded_demo):
    counted = ("interested", "checked", "trained", "active", *VolunteerMonth.LEFT_FIELDS)
    counted += ("former_users",)
    for slug, site in sites_by_slug().items():
        locality = Locality.objects.get(slug=slug)
        assert locality.volunteer_hours_limit == _money(
            site.doc.get("volunteering", {}).get("hours_limit")
        ), slug
        in_file = sorted(
            (
                row["name"],
                _money(row.get("hours_needed")),
                row.get("tasks", "").strip(),
                tuple((m["month"], *(m.get(name, 0) for name in counted)) for m in row["months"]),
            )
            for row in site.doc.get("volunteer_roles", [])
        )
        in_db = sorted(
            (
                role.name,
                role.hours_needed,
                role.tasks,
                tuple(
                    (m.month, *(getattr(m, name) for name in counted))
                    for m in role.months.order_by("month")
                ),
            )
            for role in VolunteerRole.objects.filter(locality=locality).prefetch_related("months")
        )
        assert in_db == in_file, slug


def test_every_site_has_spaces_partners_and_volunteering(seeded_demo):
    for locality in Locality.objects.all():
        assert locality.spaces.count() >= 2, locality.slug
        assert locality.partners.exists(), locality.slug
        assert locality.volunteer_roles.exists(), locality.slug
        assert locality.volunteer_hours_limit, locality.slug
        late = Opening.objects.filter(space__locality=locality, out_of_hours=True)
        assert late.exists(), locality.slug


def test_hollins_vale_still_gathering_has_two_spaces_and_one_partner(seeded_demo):
    hollins = Locality.objects.get(slug="hollins-vale")
    assert (hollins.spaces.count(), hollins.partners.count()) == (2, 1)
    others = Locality.objects.exclude(slug="hollins-vale")
    assert all(3 <= o.spaces.count() <= 5 and 3 <= o.partners.count() <= 5 for o in others)


def test_contributions_stand_at_every_status_on_dates_in_2026(seeded_demo):
    assert set(Contribution.objects.values_list("status", flat=True)) == set(
        Contribution.Status.values
    )
    assert {day.year for day in Contribution.objects.values_list("status_on", flat=True)} == {2026}


def _latest_capacity(locality: Locality) -> tuple[Decimal, Decimal]:
    """Hours a week the site's roles need, and what their latest active can give."""
    needed = active = Decimal(0)
    for role in locality.volunteer_roles.all():
        needed += role.hours_needed
        active += role.months.order_by("-month").first().active
    return needed, active * locality.volunteer_hours_limit


def _money_given(locality: Locality) -> Decimal:
    given = Contribution.objects.filter(
        partner__locality=locality,
        kind=Contribution.Kind.MONEY,
        status__in=["pledged", "delivered"],
    )
    return sum(given.values_list("value", flat=True), Decimal(0))


def test_northgate_leans_most_on_volunteers_and_has_too_few_for_its_walks(seeded_demo):
    needs = {loc.slug: _latest_capacity(loc) for loc in Locality.objects.all()}
    assert max(needs, key=lambda slug: needs[slug][0]) == "northgate"
    needed, capacity = needs["northgate"]
    assert needed >= 2 * capacity, needs["northgate"]


def test_ashworth_green_has_little_volunteering_and_the_most_partner_money(seeded_demo):
    money = {loc.slug: _money_given(loc) for loc in Locality.objects.all()}
    assert max(money, key=money.get) == "ashworth-green"
    needed, _ = _latest_capacity(Locality.objects.get(slug="ashworth-green"))
    assert needed == min(_latest_capacity(loc)[0] for loc in Locality.objects.all())


def test_every_volunteer_pipeline_has_leavers_and_former_users_but_fewer_trained_than_interested(
    seeded_demo,
):
    months = VolunteerMonth.objects.all()
    assert sum(months.values_list("trained", flat=True)) < sum(
        months.values_list("interested", flat=True)
    )
    left = {name: sum(months.values_list(name, flat=True)) for name in VolunteerMonth.LEFT_FIELDS}
    assert left["left_work_or_study"] > 0, left
    assert left["left_moved"] > 0, left
    assert months.filter(former_users__gt=0).exists()


# The story the resources tell across the portfolio ---------------------------------------
#
# Figures from the ORM directly: what a blueprint's cards ask of each volunteer role, and
# what the role's active volunteers (in its latest month) can give within the site's limit.


def _card_hours(locality: Locality) -> dict[str, Decimal]:
    """Volunteer hours a week the site's blueprint cards need, by role."""
    return {
        row["volunteer_role__name"]: row["hours"]
        for row in Card.objects.filter(blueprint__locality=locality)
        .exclude(volunteer_role=None)
        .values("volunteer_role__name")
        .annotate(hours=Sum("volunteer_hours"))
    }


def _can_give(locality: Locality) -> dict[str, Decimal]:
    """Hours a week each role's active volunteers can give, in its latest month."""
    return {
        role.name: role.months.order_by("-month").first().active * locality.volunteer_hours_limit
        for role in locality.volunteer_roles.all()
    }


def test_northgates_cards_need_what_its_roles_say_and_it_is_24_hours_short(seeded_demo):
    northgate = Locality.objects.get(slug="northgate")
    needed = _card_hours(northgate)
    assert needed == {role.name: role.hours_needed for role in northgate.volunteer_roles.all()}
    can_give = _can_give(northgate)
    assert sum(needed.values()) == Decimal(44)
    assert sum(can_give.values()) == Decimal(20)
    assert sum(needed.values()) - sum(can_give.values()) == Decimal(24)
    assert all(needed[role] > can_give[role] for role in needed)


def test_northgate_leans_most_on_volunteers_and_is_the_only_site_short_of_them(seeded_demo):
    needs = {}
    for locality in Locality.objects.all():
        needed, can_give = _card_hours(locality), _can_give(locality)
        short = sum(max(hours - can_give[role], 0) for role, hours in needed.items())
        needs[locality.slug] = (sum(needed.values(), Decimal(0)), short)
    assert max(needs, key=lambda slug: needs[slug][0]) == "northgate"
    assert {slug for slug, (_, short) in needs.items() if short} == {"northgate"}, needs
    # And by the roles' own needs, as the portfolio reckons them.
    roles_short = {
        loc.slug for loc in Locality.objects.all() if operator.gt(*_latest_capacity(loc))
    }
    assert roles_short == {"northgate"}


def test_millbrook_has_hours_to_spare_in_every_role(seeded_demo):
    millbrook = Locality.objects.get(slug="millbrook")
    needed, can_give = _card_hours(millbrook), _can_give(millbrook)
    assert set(needed) == set(can_give)
    assert all(can_give[role] > hours for role, hours in needed.items()), (needed, can_give)
    assert sum(can_give.values()) >= 2 * sum(needed.values())


def test_castlebrooks_partner_money_is_pledged_and_none_delivered(seeded_demo):
    money = Contribution.objects.filter(
        partner__locality__slug="castlebrook", kind=Contribution.Kind.MONEY
    )
    assert sum(money.filter(status="pledged").values_list("value", flat=True)) == Decimal(2900)
    assert not money.filter(status="delivered").exists()
    # And a card waits on it: the peer supporters' fares.
    assert Card.objects.filter(
        blueprint__locality__slug="castlebrook", partner__organisation="Mums Matter Castlebrook"
    ).exists()


def test_only_riversides_hub_is_used_out_of_hours_with_nobody_named(seeded_demo):
    unstaffed = Space.objects.filter(openings__out_of_hours=True, out_of_hours_staffed_by="")
    assert list(unstaffed.distinct().values_list("locality__slug", "name")) == [
        ("riverside", "Riverside East family hub")
    ]
    # Its blueprint's Saturday taster mornings happen there.
    assert Card.objects.filter(space__in=unstaffed, title__icontains="Saturday").exists()


def test_every_blueprints_cards_name_spaces_partners_and_roles_of_their_own_site(seeded_demo):
    for blueprint in Blueprint.objects.all():
        cards = blueprint.cards.all()
        for field in ("space", "partner", "volunteer_role"):
            named = cards.exclude(**{field: None})
            assert named.exists(), (blueprint.locality.slug, field)
            assert not named.exclude(**{f"{field}__locality": blueprint.locality}).exists()
        assert not cards.filter(volunteer_role=None, volunteer_hours__isnull=False).exists()


def test_prototypes_that_run_name_the_resources_they_use(seeded_demo):
    running = Prototype.objects.exclude(status=Prototype.Status.PLANNED)
    assert running.exists()
    for prototype in running:
        assert prototype.spaces.exists() or prototype.volunteer_roles.exists(), prototype.title
        locality = prototype.blueprint.locality
        for related in (prototype.spaces, prototype.partners, prototype.volunteer_roles):
            assert not related.exclude(locality=locality).exists(), prototype.title
