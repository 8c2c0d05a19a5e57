"""Demo blueprints (DESIGN section 6): one for each locality's top idea. Idempotent.

Everything is written through `blueprints.services`, as a team would in the editor. The
content follows one of three plans, picked from the idea's wording and filled with words
that fit it: a person who goes alongside new families (a navigator, peer supporter or
community champion), sessions in one place (a library stay and play, a youth-centre club),
or sessions that travel to families (a play bus, village halls). Localities whose top idea
has not been chosen yet are skipped.

Longer than ~400 lines because most of it is the demo's prose, not code; that prose is to
move into data files per site, read by a small loader, with the demo-data issue.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from blueprints import services
from blueprints.models import Blueprint, Card, DeliveryChallenge, Lane, Prototype, ReviewTransition
from blueprints.review import actions as review_actions
from blueprints.review import comments as review_comments
from consultations.models import Idea
from localities.models import Insight, Locality, Membership

User = get_user_model()

EVIDENCE, FAMILY, FRONTLINE, BACKSTAGE, SUPPORT = (
    Lane.Role.EVIDENCE,
    Lane.Role.FAMILY,
    Lane.Role.FRONTLINE,
    Lane.Role.BACKSTAGE,
    Lane.Role.SUPPORT,
)
STEP, TOUCHPOINT, PAIN, OPPORTUNITY, QUESTION = (
    Card.Kind.STEP,
    Card.Kind.TOUCHPOINT,
    Card.Kind.PAIN_POINT,
    Card.Kind.OPPORTUNITY,
    Card.Kind.QUESTION,
)
Theme = DeliveryChallenge.Theme


@dataclass(frozen=True)
class C:
    """A card of a plan: phase name, lane role, kind, title, details, emotion."""

    phase: str
    lane: str
    kind: str
    title: str
    details: str = ""
    emotion: int | None = None


@dataclass(frozen=True)
class Challenge:
    theme: str
    title: str
    questions: tuple[str, ...]
    cards: tuple[str, ...] = ()


@dataclass(frozen=True)
class Trial:
    title: str
    hypothesis: str
    method: str
    cost: str
    risk: str
    starts_in_days: int
    lasts_days: int
    status: str
    cards: tuple[str, ...]
    challenges: tuple[str, ...] = ()
    learning: str = ""
    decision: str = Prototype.Decision.UNDECIDED


@dataclass(frozen=True)
class Plan:
    summary: str
    extra_phases: tuple[tuple[int, str, str], ...]  # (position, name, description)
    cards: tuple[C, ...]
    links: tuple[tuple[str, str], ...]  # (title of the card that serves, title it serves)
    challenges: tuple[Challenge, ...]
    trials: tuple[Trial, ...] = field(default_factory=tuple)


AW, FC, USE, SET, EXIT = "Awareness", "First contact", "Use", "Settling in", "Exit and advocacy"

NAVIGATOR = Plan(
    summary=(
        "A named {helper} meets every family new to {place} with a child under five, helps "
        "them find their way into health, childcare and community services, and stays "
        "alongside them for their first few months."
    ),
    extra_phases=(
        (1, FC, "From the referral to the first meeting with a {helper}."),
        (3, SET, "The family goes on its own, with the {helper} in the background."),
    ),
    cards=(
        C(
            AW,
            EVIDENCE,
            TOUCHPOINT,
            "Welcome card in the health visitor's new-birth bag",
            "A postcard in six languages with the {helper}'s name, photo and mobile number.",
        ),
        C(
            AW,
            EVIDENCE,
            TOUCHPOINT,
            "Posters in the GP surgery, the launderette and the corner shops",
        ),
        C(
            AW,
            FAMILY,
            STEP,
            "Hears about the service from a health visitor or neighbour",
            "Most families we spoke to trust a person more than a leaflet.",
            0,
        ),
        C(
            AW,
            FAMILY,
            PAIN,
            "Does not know which services exist or who they are for",
            "“Children's centre? I thought that was a nursery you had to pay for.”",
            -2,
        ),
        C(AW, FAMILY, STEP, "Looks the service up on their phone", "", -1),
        C(AW, FRONTLINE, STEP, "Health visitor mentions the {helper} at the new-birth visit"),
        C(AW, FRONTLINE, STEP, "Community connectors hand out cards at the school gate"),
        C(AW, BACKSTAGE, STEP, "Midwives and the registrar pass on consented referrals weekly"),
        C(AW, SUPPORT, STEP, "Information-sharing agreement with the health visiting service"),
        C(AW, SUPPORT, QUESTION, "Could the council-tax team tell us about new arrivals?"),
        C(FC, EVIDENCE, TOUCHPOINT, "Text from a named {helper} within two working days"),
        C(FC, FAMILY, STEP, "Takes a call from a {helper} and agrees a first meeting", "", 1),
        C(
            FC,
            FAMILY,
            PAIN,
            "Worries the visit is social services checking up on them",
            "Families who had contact with children's services before were the most wary.",
            -2,
        ),
        C(
            FC,
            FRONTLINE,
            STEP,
            "{Helper} meets the family at home or in the library",
            "With a telephone interpreter when the family would like one.",
        ),
        C(FC, BACKSTAGE, STEP, "{Helper} checks for open cases before the first visit"),
        C(FC, SUPPORT, STEP, "Telephone interpreting contract covering 40 languages"),
        C(USE, EVIDENCE, TOUCHPOINT, "One-page 'my family plan' that the family keeps"),
        C(USE, FAMILY, STEP, "Goes with the {helper} to a first stay and play", "", 1),
        C(USE, FAMILY, STEP, "Registers with a GP and applies for a funded childcare place", "", 2),
        C(
            USE,
            FAMILY,
            PAIN,
            "Forms ask for documents the family does not have",
            "Proof of address is the usual stumbling block for families in temporary housing.",
            -1,
        ),
        C(USE, FAMILY, OPPORTUNITY, "Meets other parents who arrived recently", "", 2),
        C(USE, FRONTLINE, STEP, "{Helper} books the first session and meets them at the door"),
        C(USE, FRONTLINE, STEP, "{Helper} helps with the funded childcare application"),
        C(USE, BACKSTAGE, STEP, "Weekly huddle of {helper}s, hub manager and health visitors"),
        C(USE, BACKSTAGE, PAIN, "{Helper}s type the same details into three systems"),
        C(USE, SUPPORT, STEP, "Shared caseload tracker on the family hub's system"),
        C(USE, SUPPORT, QUESTION, "Who holds safeguarding responsibility during a visit?"),
        C(SET, FAMILY, STEP, "Goes to sessions on their own", "", 1),
        C(SET, FRONTLINE, STEP, "{Helper} phones at four and at eight weeks"),
        C(SET, BACKSTAGE, OPPORTUNITY, "Session leaders tell the {helper} when a family stops"),
        C(EXIT, EVIDENCE, TOUCHPOINT, "A card to pass on to the next family who moves in"),
        C(EXIT, FAMILY, PAIN, "Feels dropped when the visits stop", "", -1),
        C(EXIT, FAMILY, STEP, "Brings a newly arrived neighbour to a session", "", 2),
        C(EXIT, FRONTLINE, STEP, "{Helper} closes the plan together with the family"),
        C(EXIT, BACKSTAGE, STEP, "Closing conversation recorded, with an invitation to volunteer"),
        C(EXIT, SUPPORT, OPPORTUNITY, "Parent champion volunteer scheme"),
    ),
    links=(
        (
            "Health visitor mentions the {helper} at the new-birth visit",
            "Hears about the service from a health visitor or neighbour",
        ),
        (
            "Community connectors hand out cards at the school gate",
            "Hears about the service from a health visitor or neighbour",
        ),
        (
            "{Helper} meets the family at home or in the library",
            "Takes a call from a {helper} and agrees a first meeting",
        ),
        (
            "{Helper} books the first session and meets them at the door",
            "Goes with the {helper} to a first stay and play",
        ),
        (
            "{Helper} helps with the funded childcare application",
            "Registers with a GP and applies for a funded childcare place",
        ),
        ("{Helper} phones at four and at eight weeks", "Goes to sessions on their own"),
        (
            "{Helper} closes the plan together with the family",
            "Feels dropped when the visits stop",
        ),
        (
            "Midwives and the registrar pass on consented referrals weekly",
            "Health visitor mentions the {helper} at the new-birth visit",
        ),
    ),
    challenges=(
        Challenge(
            Theme.ENGAGING_FAMILIES,
            "Reaching families who never meet a health visitor",
            (
                "How do we hear about families who arrive with children over one?",
                "Which community leaders would families listen to?",
            ),
            ("Hears about the service from a health visitor or neighbour",),
        ),
        Challenge(
            Theme.VOLUNTEERING,
            "Parent champions who stay longer than a term",
            (
                "What would make a parent want to volunteer after their own plan closes?",
                "How much training and supervision can we offer?",
            ),
            ("Parent champion volunteer scheme",),
        ),
        Challenge(
            Theme.INCENTIVE_SCHEMES,
            "Whether a small welcome gift helps or patronises",
            (
                "Would a book bag or a bus pass bring families to a first meeting?",
                "How do we avoid it feeling like a reward for being assessed?",
            ),
        ),
        Challenge(
            Theme.COMMUNITY_BUY_IN,
            "Health visitors and schools referring in, not holding on",
            (
                "What do health visitors need to hear back to trust the {helper}s?",
                "Could the schools' family support workers share the caseload?",
            ),
            ("Health visitor mentions the {helper} at the new-birth visit",),
        ),
        Challenge(
            Theme.CHANGING_PERCEPTIONS,
            "{Helper}s seen as friends of the family, not inspectors",
            (
                "What should a {helper} say, and not say, in the first five minutes?",
                "Should {helper}s wear council lanyards on visits?",
            ),
            ("Worries the visit is social services checking up on them",),
        ),
        Challenge(
            Theme.USE_OF_SPACE,
            "A welcoming place to meet that is not an office",
            (
                "Can the library's meeting room be booked at short notice?",
                "Where can a parent feed a baby in private on the high street?",
            ),
            ("{Helper} meets the family at home or in the library",),
        ),
    ),
    trials=(
        Trial(
            "{Helper} visits for ten new families",
            "If a named person contacts new families within two days, at least seven in ten "
            "will come to a first session.",
            "Two {helper}s, seconded for six weeks, take the next ten consented referrals.",
            "450.00",
            Prototype.Risk.LOW,
            -90,
            42,
            Prototype.Status.FINISHED,
            (
                "Text from a named {helper} within two working days",
                "Takes a call from a {helper} and agrees a first meeting",
                "{Helper} meets the family at home or in the library",
            ),
            ("{Helper}s seen as friends of the family, not inspectors",),
            learning=(
                "Eight of the ten families came to a first session. Meeting in the library "
                "mattered more than we expected: three families refused a home visit but "
                "came to the library. Phone calls were missed; texts were answered."
            ),
            decision=Prototype.Decision.ADAPT,
        ),
        Trial(
            "Welcome card in six languages",
            "Families reply to a card in their own language more often than to an English one.",
            "Health visitors give out cards in two versions for a month; we count replies.",
            "120.00",
            Prototype.Risk.LOW,
            -14,
            30,
            Prototype.Status.RUNNING,
            ("Welcome card in the health visitor's new-birth bag",),
            ("Reaching families who never meet a health visitor",),
        ),
        Trial(
            "Parent champions at the school gate",
            "Parents who used the service will recruit more families than posters do.",
            "Three parent champions spend two mornings a week at the school gate for a month.",
            "300.00",
            Prototype.Risk.MEDIUM,
            21,
            28,
            Prototype.Status.PLANNED,
            ("Community connectors hand out cards at the school gate",),
            ("Parent champions who stay longer than a term",),
        ),
    ),
)

FV = "First visit"

STAY_AND_PLAY = Plan(
    summary=(
        "A free stay and play in the {venue}, twice a week, where parents and carers of "
        "under-fives play, sing and share a book, and meet the health visitor, the speech and "
        "language team and each other."
    ),
    extra_phases=((1, FV, "The first time a family comes through the door of the {venue}."),),
    cards=(
        C(AW, EVIDENCE, TOUCHPOINT, "Timetable on the {venue}'s Facebook page"),
        C(AW, EVIDENCE, TOUCHPOINT, "Flyers at the nurseries, the GP surgery and the food bank"),
        C(AW, FAMILY, STEP, "Sees the flyer at nursery pick-up", "", 0),
        C(
            AW,
            FAMILY,
            PAIN,
            "Thinks the {venue} is not a place for toddlers",
            "“I'd be worried he'd run about and someone would shush us.”",
            -2,
        ),
        C(AW, FAMILY, STEP, "Asks a friend whether it is any good", "", 0),
        C(AW, FRONTLINE, STEP, "{Host} mentions the sessions to parents they meet"),
        C(AW, FRONTLINE, STEP, "Health visitor hands out the timetable at the one-year review"),
        C(AW, BACKSTAGE, STEP, "{Venue} and health visitors agree a shared timetable each term"),
        C(AW, SUPPORT, STEP, "Family hub marketing budget pays for translated flyers"),
        C(FV, EVIDENCE, TOUCHPOINT, "Buggy park by the door and a sign saying noise is welcome"),
        C(FV, FAMILY, STEP, "Arrives with a toddler and a baby and is greeted by name", "", 1),
        C(FV, FAMILY, PAIN, "Does not know anyone and stands by the wall", "", -1),
        C(FV, FAMILY, PAIN, "Is asked to fill in a registration form at the door", "", -2),
        C(FV, FRONTLINE, STEP, "Volunteer welcomer introduces them to another parent"),
        C(FV, FRONTLINE, QUESTION, "Do we need the registration form on the first visit?"),
        C(FV, BACKSTAGE, STEP, "Session leader sets out the room before opening"),
        C(USE, EVIDENCE, TOUCHPOINT, "A first book to take home, chosen by the child"),
        C(USE, FAMILY, STEP, "Joins in songs and rhymes", "", 2),
        C(USE, FAMILY, STEP, "Borrows books to share at home", "", 1),
        C(USE, FAMILY, OPPORTUNITY, "Asks the health visitor a question over a cup of tea", "", 1),
        C(USE, FAMILY, PAIN, "Sessions clash with nursery pick-up for older siblings", "", -1),
        C(USE, FRONTLINE, STEP, "Session leader runs songs and rhymes, some in home languages"),
        C(USE, FRONTLINE, STEP, "Speech and language assistant drops in once a month"),
        C(USE, BACKSTAGE, STEP, "Volunteers are rota'd and DBS-checked by the hub"),
        C(USE, BACKSTAGE, PAIN, "The room is booked by another group on Thursdays"),
        C(USE, SUPPORT, STEP, "The {venue} lends the room free of charge"),
        C(USE, SUPPORT, QUESTION, "Who pays for replacing worn-out toys?"),
        C(EXIT, EVIDENCE, TOUCHPOINT, "'Starting school' leaflet with the nursery list"),
        C(EXIT, FAMILY, STEP, "Moves on to a funded nursery place", "", 1),
        C(EXIT, FAMILY, STEP, "Tells a new mum at the school gate about the group", "", 2),
        C(EXIT, FRONTLINE, STEP, "Session leader gives a last book and a goodbye card"),
        C(EXIT, BACKSTAGE, OPPORTUNITY, "Leaving parents are asked to become volunteer welcomers"),
        C(EXIT, SUPPORT, STEP, "Attendance figures go to the family hub board each quarter"),
    ),
    links=(
        ("{Host} mentions the sessions to parents they meet", "Sees the flyer at nursery pick-up"),
        (
            "Volunteer welcomer introduces them to another parent",
            "Does not know anyone and stands by the wall",
        ),
        (
            "Session leader runs songs and rhymes, some in home languages",
            "Joins in songs and rhymes",
        ),
        (
            "Speech and language assistant drops in once a month",
            "Asks the health visitor a question over a cup of tea",
        ),
        (
            "Session leader gives a last book and a goodbye card",
            "Moves on to a funded nursery place",
        ),
        (
            "Volunteers are rota'd and DBS-checked by the hub",
            "Volunteer welcomer introduces them to another parent",
        ),
    ),
    challenges=(
        Challenge(
            Theme.ENGAGING_FAMILIES,
            "Families who have never been inside the {venue}",
            (
                "How do we show the {venue} is for noisy toddlers too?",
                "Would a first session in the park bring new families indoors later?",
            ),
            ("Thinks the {venue} is not a place for toddlers",),
        ),
        Challenge(
            Theme.VOLUNTEERING,
            "Enough volunteer welcomers for two sessions a week",
            (
                "How long does a DBS check take through the hub?",
                "What do welcomers need to feel confident greeting strangers?",
            ),
            ("Volunteer welcomer introduces them to another parent",),
        ),
        Challenge(
            Theme.INCENTIVE_SCHEMES,
            "A book for every visit: help or distraction?",
            (
                "Does a free book bring families back, or just once?",
                "Could the Bookstart packs do the job at no cost?",
            ),
            ("A first book to take home, chosen by the child",),
        ),
        Challenge(
            Theme.COMMUNITY_BUY_IN,
            "Nurseries and health visitors sending families our way",
            (
                "Would the nurseries put the timetable in their newsletters?",
                "Can the health visitors run a clinic at the end of a session?",
            ),
            ("Health visitor hands out the timetable at the one-year review",),
        ),
        Challenge(
            Theme.CHANGING_PERCEPTIONS,
            "Stay and play seen as for 'other' families",
            (
                "Do families from every community see the sessions as theirs?",
                "Would sessions co-led by parents from those communities change that?",
            ),
        ),
        Challenge(
            Theme.USE_OF_SPACE,
            "Sharing the {venue}'s only meeting room",
            (
                "Would the other group move to another day?",
                "Is there a safe corner for crawling babies?",
            ),
            ("The room is booked by another group on Thursdays",),
        ),
    ),
    trials=(
        Trial(
            "No forms on the first visit",
            "Families who are not asked to register on the way in will come back more often.",
            "For four weeks the welcomer takes only a first name; registration waits until "
            "the third visit.",
            "0.00",
            Prototype.Risk.LOW,
            -60,
            28,
            Prototype.Status.FINISHED,
            (
                "Is asked to fill in a registration form at the door",
                "Volunteer welcomer introduces them to another parent",
            ),
            ("Families who have never been inside the {venue}",),
            learning=(
                "Return visits rose from four in ten to seven in ten. The hub needs a name and "
                "a postcode for its figures, so we now ask for those at the second visit."
            ),
            decision=Prototype.Decision.ADOPT,
        ),
        Trial(
            "Sessions co-led by parents",
            "Sessions co-led by a parent from a community we miss bring in families who "
            "stayed away.",
            "A parent from one of those communities co-leads two sessions a month for a term.",
            "240.00",
            Prototype.Risk.LOW,
            7,
            84,
            Prototype.Status.PLANNED,
            (
                "Session leader runs songs and rhymes, some in home languages",
                "Joins in songs and rhymes",
            ),
            ("Stay and play seen as for 'other' families",),
        ),
    ),
)

OUTREACH = Plan(
    summary=(
        "Play sessions that travel to the villages and estates of {place}, in the {venue}, "
        "community rooms and parks, so that families who cannot get to the family hub still "
        "meet the people and services in it."
    ),
    extra_phases=(),
    cards=(
        C(AW, EVIDENCE, TOUCHPOINT, "Timetable on the village noticeboards and parish newsletter"),
        C(AW, EVIDENCE, TOUCHPOINT, "WhatsApp message shared in the local parents' group"),
        C(AW, FAMILY, STEP, "Sees a post in the village parents' WhatsApp group", "", 0),
        C(AW, FAMILY, PAIN, "Cannot get to the family hub: one bus an hour, no car", "", -2),
        C(AW, FAMILY, PAIN, "Assumes services are only for families 'with problems'", "", -1),
        C(AW, FRONTLINE, STEP, "Outreach worker visits the village school's coffee morning"),
        C(AW, FRONTLINE, STEP, "Health visitor mentions the sessions at home visits"),
        C(AW, BACKSTAGE, STEP, "Team plans a six-week route around the villages, with bookings"),
        C(AW, SUPPORT, STEP, "Vehicle and play kit leased through the council fleet"),
        C(AW, SUPPORT, QUESTION, "Can parish councils contribute to the running costs?"),
        C(USE, EVIDENCE, TOUCHPOINT, "Play mats, sensory kit and a tea urn in the {venue}"),
        C(USE, FAMILY, STEP, "Walks to the {venue} with the pram", "", 1),
        C(USE, FAMILY, STEP, "Plays alongside their child and chats to other parents", "", 2),
        C(USE, FAMILY, OPPORTUNITY, "Gets the baby weighed without going into town", "", 2),
        C(
            USE,
            FAMILY,
            PAIN,
            "The {venue} is cold in winter, with nowhere to change a nappy",
            "",
            -1,
        ),
        C(USE, FAMILY, QUESTION, "Will the same faces be there next time?", "", 0),
        C(USE, FRONTLINE, STEP, "Outreach worker sets up and greets each family"),
        C(USE, FRONTLINE, STEP, "Health visitor runs a drop-in clinic corner"),
        C(USE, FRONTLINE, STEP, "Volunteer from the village makes tea and keeps the sign-in sheet"),
        C(USE, BACKSTAGE, STEP, "Kit is cleaned and restocked at the hub between sessions"),
        C(USE, BACKSTAGE, PAIN, "Every stop needs its own booking, parking and key-holder"),
        C(USE, SUPPORT, STEP, "Risk assessment for each venue, renewed yearly"),
        C(USE, SUPPORT, STEP, "Mileage and fuel from the outreach budget"),
        C(EXIT, EVIDENCE, TOUCHPOINT, "'What's on near you' card with the hub's offer"),
        C(EXIT, FAMILY, STEP, "Tries a session at the family hub in town", "", 1),
        C(EXIT, FAMILY, STEP, "Sets up a parent-run playgroup in the village hall", "", 2),
        C(EXIT, FAMILY, PAIN, "Loses touch when the sessions move on to the next village", "", -1),
        C(EXIT, FRONTLINE, STEP, "Outreach worker helps parents book the village hall themselves"),
        C(EXIT, BACKSTAGE, OPPORTUNITY, "Hub lends kit to parent-run groups"),
        C(EXIT, SUPPORT, STEP, "Small grants from the community foundation for parent groups"),
    ),
    links=(
        (
            "Outreach worker visits the village school's coffee morning",
            "Sees a post in the village parents' WhatsApp group",
        ),
        (
            "Outreach worker sets up and greets each family",
            "Plays alongside their child and chats to other parents",
        ),
        (
            "Health visitor runs a drop-in clinic corner",
            "Gets the baby weighed without going into town",
        ),
        (
            "Outreach worker helps parents book the village hall themselves",
            "Sets up a parent-run playgroup in the village hall",
        ),
        (
            "Team plans a six-week route around the villages, with bookings",
            "Outreach worker sets up and greets each family",
        ),
    ),
    challenges=(
        Challenge(
            Theme.ENGAGING_FAMILIES,
            "Families scattered along the valley",
            (
                "Which villages have the most under-fives and the fewest buses?",
                "Would a session in the park reach families who avoid halls?",
            ),
            ("Cannot get to the family hub: one bus an hour, no car",),
        ),
        Challenge(
            Theme.VOLUNTEERING,
            "A volunteer in every village",
            (
                "Who in each village already runs something for families?",
                "What expenses should a volunteer be able to claim?",
            ),
            ("Volunteer from the village makes tea and keeps the sign-in sheet",),
        ),
        Challenge(
            Theme.INCENTIVE_SCHEMES,
            "Free bus tickets to the hub",
            (
                "Would a return ticket to town bring families to the hub's groups?",
                "Can the bus company donate tickets?",
            ),
            ("Tries a session at the family hub in town",),
        ),
        Challenge(
            Theme.COMMUNITY_BUY_IN,
            "Parish councils and village schools as partners",
            (
                "Will parish councils waive hall fees for a family session?",
                "Could village schools host sessions after drop-off?",
            ),
        ),
        Challenge(
            Theme.CHANGING_PERCEPTIONS,
            "Services are for every family, not only families in difficulty",
            (
                "How do we describe the sessions so nobody feels singled out?",
                "Should the vehicle carry the council's logo?",
            ),
            ("Assumes services are only for families 'with problems'",),
        ),
        Challenge(
            Theme.USE_OF_SPACE,
            "A {venue} that works for babies",
            (
                "Does the {venue} have heating, step-free access and a changing table?",
                "Where can we store kit between visits?",
            ),
            ("The {venue} is cold in winter, with nowhere to change a nappy",),
        ),
    ),
    trials=(
        Trial(
            "Three visits to one village",
            "Families within walking distance will come to a session at least twice in three "
            "weeks.",
            "One outreach worker, borrowed play kit and the health visitor, weekly for three "
            "weeks at the chapel.",
            "180.00",
            Prototype.Risk.LOW,
            -75,
            21,
            Prototype.Status.FINISHED,
            (
                "Walks to the {venue} with the pram",
                "Plays alongside their child and chats to other parents",
                "Health visitor runs a drop-in clinic corner",
            ),
            ("Families scattered along the valley", "A {venue} that works for babies"),
            learning=(
                "Eleven families came, six of them twice or more. The weighing clinic drew "
                "people in; the cold sent them home early. Parents asked for the same "
                "day and time every week rather than a rota."
            ),
            decision=Prototype.Decision.ADAPT,
        ),
        Trial(
            "Parent-run playgroup with lent kit",
            "With kit and a booked hall, parents will keep a weekly group going without staff.",
            "Lend kit to one parent group for half a term; visit in weeks one and six.",
            "75.00",
            Prototype.Risk.MEDIUM,
            14,
            42,
            Prototype.Status.PLANNED,
            (
                "Hub lends kit to parent-run groups",
                "Sets up a parent-run playgroup in the village hall",
            ),
            ("A volunteer in every village",),
        ),
    ),
)


@dataclass(frozen=True)
class Words:
    """The words that fit a plan to an idea: who helps, and where."""

    helper: str = "navigator"
    venue: str = "family hub"
    host: str = "family hub worker"

    def fill(self, value: str, place: str) -> str:
        value = value.replace("{place}", place)
        for key, word in (("helper", self.helper), ("venue", self.venue), ("host", self.host)):
            value = value.replace(f"{{{key}}}", word)
            value = value.replace(f"{{{key.capitalize()}}}", word[0].upper() + word[1:])
        return value


def _matches(pattern: str, text: str) -> bool:
    return re.search(pattern, text, re.IGNORECASE) is not None


def plan_for(idea: Idea) -> tuple[Plan, Words]:
    """The plan the idea's wording suggests, and the words to fill it with.

    People who go alongside families get the navigator plan; sessions that travel get the
    outreach plan; sessions in one place get the stay and play plan.
    """
    text = f"{idea.title} {idea.description}"
    if _matches(r"\b(peer|champions?|walks?|navigators?|befriend\w*|mentors?)\b", text):
        helper = next(
            (
                word
                for pattern, word in (
                    (r"\bpeer", "peer supporter"),
                    (r"\bchampion", "community champion"),
                    (r"\bwalk", "parent guide"),
                )
                if _matches(pattern, text)
            ),
            "navigator",
        )
        return NAVIGATOR, Words(helper=helper, venue="library")
    if _matches(r"\b(bus|pop[ -]?ups?|mobile|outreach|villages?)\b", text):
        venue = "play bus" if _matches(r"\bbus\b", text) else "village hall"
        return OUTREACH, Words(venue=venue)
    for pattern, venue, host in (
        (r"\blibrar", "library", "librarian"),
        (r"\byouth (centre|club)", "youth centre", "youth worker"),
        (r"\bcommunity centre", "community centre", "community worker"),
        (r"\bschool", "school", "family support worker"),
    ):
        if _matches(pattern, text):
            return STAY_AND_PLAY, Words(venue=venue, host=host)
    if _matches(r"\b(stay[ -]and[ -]play|rhyme|club|group|sessions?|caf[eé])", text):
        return STAY_AND_PLAY, Words()
    return NAVIGATOR, Words(venue="library")


def seed_blueprints() -> None:
    """A blueprint for each locality's chosen idea that has none yet."""
    for locality in Locality.objects.order_by("pk"):
        idea = Idea.objects.filter(locality=locality, status=Idea.Status.CHOSEN).first()
        if idea is None or idea.blueprints.exists():
            continue
        _seed_one(locality, idea)


@transaction.atomic
def _seed_one(locality: Locality, idea: Idea) -> None:
    plan, words = plan_for(idea)
    lead = (
        Membership.objects.filter(locality=locality, role=Membership.Role.LEAD)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    by = lead.user if lead else None

    def text(value: str) -> str:
        return words.fill(value, locality.name)

    blueprint = services.create_blueprint(
        locality=locality,
        idea=idea,
        title=f"{idea.title}: service blueprint"[:200],
        summary=idea.description or text(plan.summary),
        by=by,
    )
    for position, name, description in plan.extra_phases:
        services.add_phase(
            blueprint=blueprint,
            name=name,
            description=text(description),
            position=position,
            by=by,
        )
    phases = {phase.name: phase for phase in blueprint.phases.all()}
    lanes = {lane.role: lane for lane in blueprint.lanes.all()}
    # Evidence for the pain points: the locality's insights about families, in turn.
    evidence = list(
        Insight.objects.filter(locality=locality, subject=Insight.Subject.FAMILIES)
        .order_by("pk")
        .values_list("pk", flat=True)[:12]
    )
    cards = {}
    for index, spec in enumerate(plan.cards):
        insights = ()
        if evidence and spec.kind in (PAIN, OPPORTUNITY):
            insights = (evidence[index % len(evidence)],)
        cards[text(spec.title)] = services.add_card(
            blueprint=blueprint,
            phase=phases[spec.phase],
            lane=lanes[spec.lane],
            title=text(spec.title),
            details=text(spec.details),
            kind=spec.kind,
            emotion=spec.emotion,
            insights=insights,
            by=by,
        )
    for serving, served in plan.links:
        services.link_cards(from_card=cards[text(serving)], to_card=cards[text(served)], by=by)
    challenges = {}
    for challenge in plan.challenges:
        challenges[text(challenge.title)] = services.create_delivery_challenge(
            blueprint=blueprint,
            theme=challenge.theme,
            title=text(challenge.title),
            questions="\n".join(text(question) for question in challenge.questions),
            cards=[cards[text(title)] for title in challenge.cards],
            by=by,
        )
    today = datetime.date.today()
    for trial in plan.trials:
        starts_on = today + datetime.timedelta(days=trial.starts_in_days)
        services.create_prototype(
            blueprint=blueprint,
            title=text(trial.title),
            hypothesis=text(trial.hypothesis),
            method=text(trial.method),
            cost=Decimal(trial.cost),
            risk=trial.risk,
            starts_on=starts_on,
            ends_on=starts_on + datetime.timedelta(days=trial.lasts_days),
            status=trial.status,
            learning=text(trial.learning),
            decision=trial.decision,
            cards=[cards[text(title)] for title in trial.cards],
            delivery_challenges=[challenges[text(title)] for title in trial.challenges],
            by=by,
        )


# Review (issue 5) ---------------------------------------------------------------------------

REVIEWER_USERNAME = "reviewer"
# The review each locality's blueprint gets, in locality order; the rest stay drafts.
REVIEW_PLAN = ("approved", "changes_requested", "submitted", "submitted")


def seed_reviews() -> None:
    """Move the demo blueprints through the review, through `blueprints.review` as people
    would: one approved after a round of changes (so two submitted versions), one sent
    back with comments and a reply, two waiting for review, the rest left as drafts.

    A blueprint that has any review history is left alone, so a second run adds nothing.
    The moves email the demo accounts like any other (EMAIL_BACKEND: the console, by
    default, in development).
    """
    reviewer = User.objects.filter(username=REVIEWER_USERNAME).first()
    if reviewer is None:
        return
    blueprints = []
    for locality in Locality.objects.order_by("pk"):
        blueprint = (
            Blueprint.objects.filter(locality=locality, idea__status=Idea.Status.CHOSEN)
            .order_by("pk")
            .first()
        )
        if blueprint is not None:
            blueprints.append(blueprint)
    for blueprint, outcome in zip(blueprints, REVIEW_PLAN, strict=False):
        if ReviewTransition.objects.filter(blueprint=blueprint).exists():
            continue
        editor = _team_member(blueprint.locality, Membership.Role.EDITOR)
        if editor is None:
            continue
        _review_one(blueprint, outcome, editor=editor, reviewer=reviewer)


def _team_member(locality: Locality, role: str):
    membership = (
        Membership.objects.filter(locality=locality, role=role)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


@transaction.atomic
def _review_one(blueprint: Blueprint, outcome: str, *, editor, reviewer) -> None:
    review_actions.submit(
        blueprint=blueprint, by=editor, note="Ready for the innovation unit's eyes."
    )
    if outcome == "submitted":
        return
    first_card = (
        Card.objects.filter(blueprint=blueprint, lane__role=FAMILY)
        .order_by("phase__position", "position")
        .first()
    )
    review_actions.request_changes(
        blueprint=blueprint,
        by=reviewer,
        note=(
            "A strong start. Say more about how families first hear of the service, and who "
            "answers when they get in touch."
        ),
    )
    if outcome == "changes_requested":
        review_comments.add_comment(
            blueprint=blueprint,
            by=reviewer,
            body="Which partners have agreed to refer families? Worth naming them here.",
        )
        if first_card is not None:
            question = review_comments.add_comment(
                blueprint=blueprint,
                by=reviewer,
                card=first_card,
                body="How would a family who does not use social media hear about this?",
            )
            review_comments.add_comment(
                blueprint=blueprint,
                by=editor,
                parent=question,
                body="Through the health visitors' new-birth visits; we will add that card.",
            )
        return
    # Approved, after a round of changes: the edit between the two submissions makes the
    # second version differ from the first.
    if first_card is not None:
        services.update_card(
            card=first_card,
            expected_version=first_card.version,
            by=editor,
            details=(
                (first_card.details + "\n\n" if first_card.details else "")
                + "Health visitors mention it at the new-birth visit and leave a leaflet."
            ),
        )
    review_actions.submit(blueprint=blueprint, by=editor, note="First contact now spelled out.")
    review_actions.approve(
        blueprint=blueprint,
        by=reviewer,
        note="Approved: ready to prototype the first contact with families.",
    )
