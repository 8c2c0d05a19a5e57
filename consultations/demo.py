"""Demo ideas, consultations and responses for every locality (DESIGN section 6).

Idempotent: ideas and consultations are found by title, responses are only made for a
consultation that has none, and the top idea is only chosen where none is. Scores come
from a random generator seeded with the locality's slug, so every run gives the same demo.

Longer than ~400 lines because most of it is the demo's prose, not code; that prose is to
move into data files per site, read by a small loader, with the demo-data issue.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from consultations.models import Consultation, Idea, Response
from consultations.services import ResponseRow, choose_top_idea, record_responses
from localities.models import Locality, Membership


@dataclass(frozen=True)
class DemoIdea:
    title: str
    description: str
    proposed_by: str
    # Where parents' and professionals' scores centre, on the 1-5 scale.
    parents: float
    professionals: float


@dataclass(frozen=True)
class DemoPlan:
    ideas: tuple[DemoIdea, ...]
    chosen: int  # index of the idea the team chooses
    rationale: str
    venue: str


PLANS: dict[str, DemoPlan] = {
    "northgate": DemoPlan(
        ideas=(
            DemoIdea(
                "Welcome walks for new families",
                "Local parents walk families who have just moved in round the children's "
                "centre, the library and the clinic in their first month, and introduce them "
                "to the staff by name.",
                "Parent forum",
                4.4,
                4.0,
            ),
            DemoIdea(
                "A parents' WhatsApp group for every street",
                "Parents run a group chat for their street where anyone can ask what is on, "
                "swap baby clothes and find someone to walk to stay and play with.",
                "Drop-in brainstorm",
                4.4,
                2.3,
            ),
            DemoIdea(
                "A 'what's on' card at the new-birth visit",
                "Health visitors hand every family a card with the week's groups, in the "
                "family's language, and book them onto the first one there and then.",
                "Health visiting team",
                3.6,
                4.1,
            ),
            DemoIdea(
                "Stay and play in community languages",
                "Sessions in Arabic, Romanian and Urdu, led by bilingual volunteers with a "
                "children's centre practitioner.",
                "Family interviews",
                4.0,
                3.6,
            ),
            DemoIdea(
                "A children's centre stall at the school gate",
                "Staff stand at primary school gates at pick-up time once a week to meet "
                "parents with younger children.",
                "Children's centre staff",
                3.0,
                3.4,
            ),
        ),
        chosen=0,
        rationale="Parents and professionals both backed it strongly, and it answers the "
        "challenge we heard most: families new to Northgate do not know the centre exists.",
        venue="Northgate children's centre",
    ),
    "riverside": DemoPlan(
        ideas=(
            DemoIdea(
                "Nursery taster mornings",
                "Parent and child visit a nursery together for three mornings before the "
                "child starts their funded hours.",
                "Nursery managers",
                4.3,
                4.1,
            ),
            DemoIdea(
                "Community champions for funded childcare",
                "Trusted local parents explain the two-year-old offer at the groups families "
                "already go to, and help with the eligibility check.",
                "Tenants' association",
                4.2,
                3.7,
            ),
            DemoIdea(
                "Apply on the spot at the community centre",
                "Staff with a laptop help families do the eligibility check and find a place "
                "in one visit, with no letters to wait for.",
                "Early years team",
                3.8,
                3.9,
            ),
            DemoIdea(
                "Start nursery without a home visit",
                "Families choose whether the key worker visits them at home before the child "
                "starts; a meeting at the nursery does instead.",
                "Parents at the drop-in",
                4.5,
                2.4,
            ),
            DemoIdea(
                "A text when your child turns two",
                "Every family with a child turning two gets a text saying what they can "
                "have, with a number to call a person, not a switchboard.",
                "Local data review",
                3.3,
                3.6,
            ),
        ),
        chosen=1,
        rationale="Take-up follows trust: parents told us they listen to other parents, and "
        "the estates' strong community groups give champions somewhere to start.",
        venue="Riverside community centre",
    ),
    "hollins-vale": DemoPlan(
        ideas=(
            DemoIdea(
                "A mobile play bus for the villages",
                "A converted bus visits each village once a week with play, a practitioner and "
                "a health visitor clinic once a month.",
                "Parish councils",
                4.5,
                4.0,
            ),
            DemoIdea(
                "Volunteer-run stay and play in village halls",
                "Village halls host a weekly session run by local volunteers, with training "
                "and a visit from the children's centre each month.",
                "Village hall committees",
                3.8,
                3.4,
            ),
            DemoIdea(
                "Shared lifts to the market town clinic",
                "Parents with cars offer lifts to appointments through a simple sign-up "
                "sheet at the school and the shop.",
                "Parents at the drop-in",
                4.3,
                2.2,
            ),
            DemoIdea(
                "An online baby group",
                "A weekly video call for parents of babies, with a practitioner, for weeks "
                "when the bus or the weather make getting out impossible.",
                "Health visiting team",
                3.2,
                3.6,
            ),
            DemoIdea(
                "Outreach clinics in village halls",
                "Health visitors run drop-in clinics in the three largest villages instead "
                "of asking families to travel.",
                "Health visiting team",
                3.9,
                3.5,
            ),
        ),
        chosen=0,
        rationale="It brings services to families instead of asking them to travel on one "
        "bus an hour, and both parents and staff scored it highest.",
        venue="Hollins Vale village hall",
    ),
    "castlebrook": DemoPlan(
        ideas=(
            DemoIdea(
                "Walk and talk buggy group on the seafront",
                "A weekly buggy walk along the promenade, ending with a hot drink, led by a "
                "peer supporter and a nursery nurse.",
                "Peer supporters",
                4.1,
                3.8,
            ),
            DemoIdea(
                "Peer supporters for new mums",
                "Trained local mums who have had post-natal depression themselves visit new "
                "mothers at home and go with them to their first group.",
                "Perinatal mental health team",
                4.5,
                4.2,
            ),
            DemoIdea(
                "Evening and weekend sessions",
                "Groups on Saturday mornings and weekday evenings for parents in seasonal and "
                "shift work.",
                "Parents at the drop-in",
                4.0,
                3.5,
            ),
            DemoIdea(
                "Self-referral to perinatal mental health",
                "Mothers can refer themselves to the perinatal team by text, without going "
                "through their GP or health visitor first.",
                "Family interviews",
                4.4,
                2.5,
            ),
            DemoIdea(
                "A baby bank with a cuppa",
                "Nappies, clothes and equipment given out at the children's centre, with "
                "time for a chat and a practitioner on hand.",
                "Food bank volunteers",
                3.6,
                3.5,
            ),
        ),
        chosen=1,
        rationale="Post-natal depression is what health visitors see most here, and mums "
        "told us they would talk to someone who has been through it before a professional.",
        venue="Castlebrook family hub",
    ),
    "ashworth-green": DemoPlan(
        ideas=(
            DemoIdea(
                "Bilingual rhyme time at the library",
                "The library's rhyme time runs in English with Polish and Romanian, with "
                "bilingual volunteers and books to borrow in all three.",
                "Library staff",
                4.4,
                4.2,
            ),
            DemoIdea(
                "A school-gate café for younger siblings",
                "A room at the primary school opens after drop-off for parents with babies "
                "and toddlers, with play and a practitioner.",
                "Primary head teachers",
                3.8,
                3.5,
            ),
            DemoIdea(
                "Family link workers who speak Polish and Romanian",
                "Two link workers help families with forms, appointments and finding "
                "groups, in their own language.",
                "Community association",
                4.1,
                3.9,
            ),
            DemoIdea(
                "Grandparents bring children to groups",
                "Grandparents who look after children while parents work can join groups "
                "and book services without a parent there.",
                "Parents at the drop-in",
                4.3,
                2.4,
            ),
            DemoIdea(
                "A translated 'first 1000 days' app",
                "The council's early-years app in Polish and Romanian, with reminders for "
                "checks and jabs.",
                "Digital team",
                2.9,
                3.3,
            ),
        ),
        chosen=0,
        rationale="It builds on something families already love, and every group we asked "
        "supported it.",
        venue="Ashworth Green library",
    ),
    "millbrook": DemoPlan(
        ideas=(
            DemoIdea(
                "A young parents' evening club",
                "An evening session for parents under 25 at the youth centre, with food, "
                "play for the children and a youth worker they already know.",
                "Young parents",
                4.5,
                4.0,
            ),
            DemoIdea(
                "A volunteer-run family kitchen",
                "Volunteers cook with families once a week and everyone eats together.",
                "Volunteers' group",
                4.0,
                3.6,
            ),
            DemoIdea(
                "Mentors for parents who are care leavers",
                "Care leavers who are now parents are matched with a mentor who has been "
                "through it.",
                "Leaving care team",
                3.9,
                4.1,
            ),
            DemoIdea(
                "Groups without sign-in forms",
                "Parents can come to groups without registering or giving their details; "
                "staff count who comes, not who they are.",
                "Parents at the drop-in",
                4.6,
                2.2,
            ),
            DemoIdea(
                "Baby massage at the youth centre",
                "A six-week baby massage course run by a health visitor at the youth centre.",
                "Health visiting team",
                3.4,
                3.8,
            ),
        ),
        chosen=0,
        rationale="Young parents told us daytime groups feel like they are being watched; "
        "an evening club in a place they already use answers that, and staff back it.",
        venue="Millbrook youth and community centre",
    ),
}

GENERIC_PLAN = DemoPlan(
    ideas=(
        DemoIdea(
            "Stay and play at the community centre",
            "A weekly play session for parents and under-fives, with a practitioner.",
            "Team brainstorm",
            4.2,
            3.9,
        ),
        DemoIdea(
            "Parent-run group chat",
            "Parents run a group chat to share what is on and support each other.",
            "Parents at the drop-in",
            4.4,
            2.3,
        ),
        DemoIdea(
            "A what's-on card at the new-birth visit",
            "Health visitors give every family a card with local groups.",
            "Health visiting team",
            3.6,
            4.0,
        ),
        DemoIdea(
            "Evening sessions for working parents",
            "Groups in the early evening for parents who work in the day.",
            "Family interviews",
            3.9,
            3.5,
        ),
        DemoIdea(
            "A baby bank",
            "Nappies, clothes and equipment for families who need them.",
            "Volunteers",
            3.6,
            3.5,
        ),
    ),
    chosen=0,
    rationale="Strong support from parents and professionals alike.",
    venue="the community centre",
)

# Who came: (group, how many) for each consultation.
DROP_IN_PEOPLE = (
    (Response.Group.PARENT, 6),
    (Response.Group.VOLUNTEER, 1),
    (Response.Group.OTHER, 1),
    (Response.Group.PRACTITIONER, 1),
)
WORKSHOP_PEOPLE = ((Response.Group.PRACTITIONER, 4), (Response.Group.PARTNER, 2))

COMMENTS = {
    "high": (
        "I'd go to this, especially if I could bring my older one too.",
        "This would have made a real difference when my first was born.",
        "Yes please. Nothing like this near us at the moment.",
        "We could support this from our service straight away.",
        "Families we work with ask for exactly this.",
    ),
    "low": (
        "Not sure who would run it or how it would be kept safe.",
        "Sounds good but I doubt people would use it.",
        "We would need to think about safeguarding and information sharing.",
        "I worry this would not reach the families who need it most.",
    ),
    "middle": (
        "Depends on the time of day.",
        "Would need to be free.",
        "Good idea if it is properly advertised.",
    ),
}


def _score(rng: random.Random, centre: float) -> int:
    """A score whose average over many people is about `centre`, with a little spread."""
    low = int(centre)
    score = low + (1 if rng.random() < centre - low else 0)
    roll = rng.random()
    if roll < 0.1:
        score -= 1
    elif roll < 0.2:
        score += 1
    return max(1, min(5, score))


def _centre(idea: DemoIdea, group: str) -> float:
    if group == Response.Group.PARENT:
        return idea.parents
    if group in (Response.Group.PRACTITIONER, Response.Group.PARTNER):
        return idea.professionals
    return (idea.parents + idea.professionals) / 2


def _rows(
    rng: random.Random, plan: DemoPlan, ideas: list[Idea], people: tuple
) -> list[ResponseRow]:
    rows = []
    for group, count in people:
        for _ in range(count):
            for demo_idea, idea in zip(plan.ideas, ideas, strict=True):
                if rng.random() < 0.1:
                    continue  # people skip an idea now and then
                support = _score(rng, _centre(demo_idea, group))
                comment = ""
                if rng.random() < 0.3:
                    mood = "high" if support >= 4 else "low" if support <= 2 else "middle"
                    comment = rng.choice(COMMENTS[mood])
                rows.append(ResponseRow(idea=idea, group=group, support=support, comment=comment))
    return rows


def _consultations(locality: Locality, plan: DemoPlan, number: int) -> list[tuple]:
    held = date(2026, 2, 3) + timedelta(days=7 * number)
    return [
        (
            f"Community drop-in at {plan.venue}",
            {
                "held_on": held,
                "audience": Consultation.Audience.COMMUNITY,
                "method": Consultation.Method.DROP_IN,
                "place": plan.venue[:1].upper() + plan.venue[1:],
                "notes": "Ideas on boards round the room; people scored them on paper or "
                "through the QR code on each table. Free crèche. The link stays open for "
                "a fortnight for those who could not come.",
                "is_open": True,
            },
            DROP_IN_PEOPLE,
        ),
        (
            "Staff and partners workshop",
            {
                "held_on": held + timedelta(days=9),
                "audience": Consultation.Audience.STAFF,
                "method": Consultation.Method.WORKSHOP,
                "place": plan.venue[:1].upper() + plan.venue[1:],
                "notes": "Health visitors, children's centre and nursery staff, and partners "
                "from the voluntary sector.",
                "is_open": False,
            },
            WORKSHOP_PEOPLE,
        ),
    ]


def seed_locality(locality: Locality, number: int = 0) -> None:
    plan = PLANS.get(locality.slug, GENERIC_PLAN)
    rng = random.Random(f"consultations-demo:{locality.slug}")
    lead = (
        Membership.objects.filter(locality=locality, role=Membership.Role.LEAD)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    challenges = list(locality.challenges.order_by("pk"))
    ideas = []
    for i, demo_idea in enumerate(plan.ideas):
        idea, _ = Idea.objects.get_or_create(
            locality=locality,
            title=demo_idea.title,
            defaults={
                "description": demo_idea.description,
                "proposed_by": demo_idea.proposed_by,
                "status": Idea.Status.SHORTLISTED if i < 4 else Idea.Status.BRAINSTORMED,
            },
        )
        if challenges and not idea.challenges.exists():
            idea.challenges.add(challenges[i % len(challenges)])
            if len(challenges) > 1 and i % 2 == 0:
                idea.challenges.add(challenges[(i + 1) % len(challenges)])
        ideas.append(idea)

    for title, defaults, people in _consultations(locality, plan, number):
        consultation, _ = Consultation.objects.get_or_create(
            locality=locality, title=title, defaults=defaults
        )
        consultation.ideas.add(*ideas)
        if not consultation.responses.exists():
            record_responses(
                consultation=consultation,
                rows=_rows(rng, plan, ideas, people),
                channel=Response.Channel.TEAM,
            )

    if not Idea.objects.filter(locality=locality, status=Idea.Status.CHOSEN).exists():
        choose_top_idea(
            idea=ideas[plan.chosen],
            rationale=plan.rationale,
            by=lead.user if lead else None,
        )


def seed_consultations() -> None:
    """Ideas, two consultations with responses and a top idea for every locality."""
    for number, locality in enumerate(Locality.objects.order_by("pk")):
        seed_locality(locality, number)
