"""Demo localities, teams and accounts (DESIGN section 6). Idempotent.

Longer than ~400 lines because most of it is the demo's prose (insights, challenges, tags
for six sites), not code; that prose is to move into data files per site, read by a small
loader, with the demo-data issue.
"""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from localities.models import Challenge, Insight, Locality, Membership, Tag
from localities.permissions import REVIEWER_GROUP

User = get_user_model()


@dataclass(frozen=True)
class DemoSite:
    slug: str
    name: str
    area: str
    description: str
    team: tuple[tuple[str, str], ...]  # (first name, last name) for lead, editor, viewer


SITES = (
    DemoSite(
        "northgate",
        "Northgate",
        "Eastmere City Council",
        "An inner-city ward of terraced streets and new-build flats, where one family in three "
        "has arrived in the last five years and many parents do not know the children's centre "
        "exists.",
        (("Amira", "Haddad"), ("Tom", "Kerrigan"), ("Grace", "Osei")),
    ),
    DemoSite(
        "riverside",
        "Riverside East",
        "Eastmere City Council",
        "Riverside estates either side of the old docks. Strong community groups, but take-up "
        "of two-year-old funded childcare is the lowest in the city.",
        (("Helen", "Marsh"), ("Dev", "Patel"), ("Lucy", "Brennan")),
    ),
    DemoSite(
        "hollins-vale",
        "Hollins Vale",
        "West Fordshire County Council",
        "Former mill villages strung along a valley road, with one bus an hour. Families with "
        "young children are spread thinly and services sit in the market town.",
        (("Sarah", "Lindqvist"), ("Owen", "Pritchard"), ("Megan", "Hale")),
    ),
    DemoSite(
        "castlebrook",
        "Castlebrook",
        "Castlebrook Borough Council",
        "A coastal town whose seasonal work leaves many families on low and irregular incomes. "
        "Health visitors see high rates of post-natal depression.",
        (("Nadia", "Rahman"), ("Chris", "Doyle"), ("Fiona", "McAllister")),
    ),
    DemoSite(
        "ashworth-green",
        "Ashworth Green",
        "Greater Ashworth Council",
        "A suburban district with a large Polish and Romanian community, busy primary schools "
        "and a library that already runs a well-loved rhyme time.",
        (("Kasia", "Nowak"), ("Ben", "Adeyemi"), ("Joanne", "Price")),
    ),
    DemoSite(
        "millbrook",
        "Millbrook and Fenton",
        "South Hallam District Council",
        "Two neighbouring estates on the edge of the city, with young parents, many of them "
        "care leavers, and volunteers keen to run something for families.",
        (("Rachel", "Okafor"), ("Liam", "Walsh"), ("Priya", "Shah")),
    ),
)

REVIEWER = ("reviewer", "Jo", "Whitfield")
ROLES = (Membership.Role.LEAD, Membership.Role.EDITOR, Membership.Role.VIEWER)


def _account(username: str, first: str, last: str, password: str, **flags) -> User:
    user, _ = User.objects.update_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@example.org",
            "is_active": True,
            **flags,
        },
    )
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


def seed_localities(*, password: str) -> list[tuple[str, str]]:
    """Create or refresh the six demo localities, their accounts, insights and challenges.

    Returns (username, description) pairs for the accounts, in the order to print them.
    """
    accounts: list[tuple[str, str]] = []
    username, first, last = REVIEWER
    reviewer = _account(username, first, last, password, is_staff=True)
    # get_or_create: the migrations make the group, but someone may have deleted it since.
    reviewer.groups.add(Group.objects.get_or_create(name=REVIEWER_GROUP)[0])
    accounts.append((username, "innovation-unit reviewer: every locality, and the admin"))

    for site in SITES:
        locality, _ = Locality.objects.update_or_create(
            slug=site.slug,
            defaults={"name": site.name, "area": site.area, "description": site.description},
        )
        team = {}
        for role, (first, last) in zip(ROLES, site.team, strict=True):
            username = f"{site.slug}-{role}"
            user = team[role] = _account(username, first, last, password)
            Membership.objects.update_or_create(
                user=user, locality=locality, defaults={"role": role}
            )
            accounts.append((username, f"{role} of {site.name}"))
        seed_discovery(
            locality=locality, recorders=[team[Membership.Role.EDITOR], team[Membership.Role.LEAD]]
        )
    return accounts


# Steps 1 and 2 of the method for each site: what the team learned and the challenges it
# named. Later apps' demo data may refer to a challenge by (site slug, title).

F, S = Insight.Subject.FAMILIES, Insight.Subject.SYSTEM
FAMILY_INTERVIEW = Insight.Source.FAMILY_INTERVIEW
OBSERVATION = Insight.Source.OBSERVATION
PRACTITIONER = Insight.Source.PRACTITIONER_INTERVIEW
LOCAL_DATA = Insight.Source.LOCAL_DATA
OTHER = Insight.Source.OTHER


@dataclass(frozen=True)
class DemoInsight:
    key: str  # how this site's challenges cite it
    subject: str
    source: str
    gathered_on: date
    tags: tuple[str, ...]
    statement: str
    detail: str = ""


@dataclass(frozen=True)
class DemoChallenge:
    title: str
    description: str
    evidence: tuple[str, ...]  # insight keys


@dataclass(frozen=True)
class Discovery:
    insights: tuple[DemoInsight, ...]
    challenges: tuple[DemoChallenge, ...]


def d(month: int, day: int) -> date:
    return date(2026, month, day)


DISCOVERY: dict[str, Discovery] = {
    "northgate": Discovery(
        insights=(
            DemoInsight(
                "never-heard",
                F,
                FAMILY_INTERVIEW,
                d(1, 14),
                ("awareness", "new arrivals"),
                "Families who arrived in the last few years have never heard of the children's "
                "centre, though it is ten minutes' walk away.",
                "“We have been here two years. I thought the building was a doctor's surgery.” "
                "Mother of two, from Eritrea.",
            ),
            DemoInsight(
                "no-gp",
                S,
                LOCAL_DATA,
                d(1, 20),
                ("new arrivals", "health visitors"),
                "About a third of under-fives in Northgate are not registered with a GP, so "
                "health visitors never receive their details.",
                "GP practice lists compared with the school-readiness dataset, January 2026: "
                "31% of children aged 0-4 living in the ward had no GP registration on record.",
            ),
            DemoInsight(
                "whatsapp",
                F,
                FAMILY_INTERVIEW,
                d(1, 28),
                ("awareness", "trust", "word of mouth"),
                "Parents trust what they hear in community WhatsApp groups far more than "
                "leaflets or the council website.",
                "Seven of the nine parents we interviewed found their nursery place through a "
                "WhatsApp group run by another mum.",
            ),
            DemoInsight(
                "community-cafe",
                F,
                OBSERVATION,
                d(2, 7),
                ("community spaces", "awareness"),
                "Mosques, churches and the community café already host dozens of parents with "
                "toddlers every week, with no early-years staff there.",
                "Saturday morning at the Eritrean community café: 14 parents and 19 children "
                "under five over two hours; no service had ever visited.",
            ),
            DemoInsight(
                "forms-at-door",
                F,
                FAMILY_INTERVIEW,
                d(2, 11),
                ("language", "trust"),
                "Parents with little English avoid stay-and-play because they fear being asked "
                "questions and handed forms they cannot answer.",
                "“I go once, the lady asks many things, many forms. I don't go again.”",
            ),
            DemoInsight(
                "hv-caseload",
                S,
                PRACTITIONER,
                d(2, 18),
                ("health visitors", "capacity"),
                "Health visitors carry caseloads of over 600 children and can offer only the "
                "mandated contacts.",
                "“We used to run a baby clinic at the centre. Now it's the new-birth visit and "
                "the two-year check, and that's it.” Health visitor, Northgate team.",
            ),
            DemoInsight(
                "wait-for-referrals",
                S,
                PRACTITIONER,
                d(2, 25),
                ("awareness", "referrals"),
                "Centre staff wait for referrals, but most new families never meet a "
                "professional who could refer them.",
            ),
            DemoInsight(
                "moving-on",
                F,
                LOCAL_DATA,
                d(3, 4),
                ("housing", "new arrivals"),
                "One family in five with a child under five moved home in the past year, "
                "mostly between temporary flats.",
                "Housing register, 2025-26: families in temporary accommodation moved 2.3 times "
                "on average, each time losing touch with the services they had found.",
            ),
            DemoInsight(
                "two-year-offer",
                S,
                LOCAL_DATA,
                d(3, 9),
                ("funded childcare", "awareness"),
                "Only 48% of eligible two-year-olds in Northgate take up a funded childcare "
                "place, against 67% across the city.",
                "Early years census, January 2026.",
            ),
            DemoInsight(
                "dads-at-back",
                F,
                OBSERVATION,
                d(3, 16),
                ("dads", "belonging"),
                "Dads who bring children to the library rhyme time stand at the back and leave "
                "before the end.",
            ),
            DemoInsight(
                "early-shifts",
                F,
                FAMILY_INTERVIEW,
                d(3, 23),
                ("working parents", "timing"),
                "Parents on early cleaning shifts can only come to anything after 3pm, when "
                "every group has finished.",
                "“I finish at two. Everything for babies is in the morning.”",
            ),
        ),
        challenges=(
            DemoChallenge(
                "Families new to Northgate never hear about the services meant for them",
                "The usual routes in (GP registration, a health visitor, a referral) miss the "
                "families who have arrived most recently and move most often.",
                ("never-heard", "no-gp", "wait-for-referrals", "moving-on", "two-year-offer"),
            ),
            DemoChallenge(
                "Our services wait for families to come to us, while families gather elsewhere",
                "Parents already meet in WhatsApp groups, cafés and places of worship; the "
                "centre waits behind its front door.",
                ("whatsapp", "community-cafe", "wait-for-referrals"),
            ),
            DemoChallenge(
                "Groups feel built for English-speaking mums on weekday mornings",
                "Language, forms, timing and who is in the room tell many parents the group is "
                "not for them.",
                ("forms-at-door", "dads-at-back", "early-shifts"),
            ),
            DemoChallenge(
                "Health visitors meet every family but have no time to connect them onwards",
                "The one universal service is stretched to its mandated contacts.",
                ("hv-caseload", "no-gp"),
            ),
        ),
    ),
    "riverside": Discovery(
        insights=(
            DemoInsight(
                "letter-scam",
                F,
                FAMILY_INTERVIEW,
                d(1, 12),
                ("funded childcare", "trust", "awareness"),
                "Families eligible for a funded two-year-old place often think the letter is a "
                "mistake or a scam.",
                "“It said free childcare. Nothing's free. I binned it.” Father, Dock Street "
                "estate.",
            ),
            DemoInsight(
                "for-families-who-cant-cope",
                F,
                FAMILY_INTERVIEW,
                d(1, 19),
                ("stigma", "funded childcare"),
                "Some parents see the funded place as being for families who cannot cope, and "
                "do not want to be seen using it.",
                "“That's for the ones social services are watching.”",
            ),
            DemoInsight(
                "too-young",
                F,
                FAMILY_INTERVIEW,
                d(1, 26),
                ("funded childcare", "beliefs"),
                "Many parents believe two is too young to leave a child with strangers, and that "
                "nursery is for three-year-olds.",
                "“He's still a baby. He'll go at three like his sister did.”",
            ),
            DemoInsight(
                "not-enough-places",
                S,
                LOCAL_DATA,
                d(2, 2),
                ("funded childcare", "capacity"),
                "There are fewer funded two-year-old places on the estates than eligible "
                "children: about 140 places for 230 children.",
                "Childcare sufficiency assessment, 2026.",
            ),
            DemoInsight(
                "tuesday-coffee",
                F,
                OBSERVATION,
                d(2, 10),
                ("community groups", "volunteers"),
                "The tenants' association coffee morning is the busiest place on the estate on "
                "a Tuesday, and volunteers run all of it.",
                "We counted 23 adults and 11 toddlers; the organiser knew every family by name.",
            ),
            DemoInsight(
                "settling-in-hours",
                S,
                PRACTITIONER,
                d(2, 17),
                ("working parents", "funded childcare"),
                "Nursery managers offer settling-in sessions only in the working day, which "
                "parents on shifts cannot attend.",
            ),
            DemoInsight(
                "zero-hours",
                F,
                FAMILY_INTERVIEW,
                d(2, 24),
                ("working parents", "funded childcare"),
                "Parents on zero-hours contracts cannot predict the hours they need, so a fixed "
                "15-hour pattern does not fit their week.",
            ),
            DemoInsight(
                "three-steps",
                S,
                OBSERVATION,
                d(3, 3),
                ("access", "funded childcare"),
                "Getting a place needs an online eligibility code, proof of benefits and a visit "
                "to the provider: three steps at which families drop out.",
                "We walked through the process with two parents. It took one of them 11 days "
                "and three phone calls.",
            ),
            DemoInsight(
                "ask-a-friend",
                F,
                FAMILY_INTERVIEW,
                d(3, 10),
                ("word of mouth", "trust"),
                "Parents choose a nursery by asking friends whose children already go there.",
            ),
            DemoInsight(
                "fear-of-reporting",
                F,
                FAMILY_INTERVIEW,
                d(3, 17),
                ("trust", "stigma"),
                "Parents worry that nursery staff will report them to social services if their "
                "child is behind.",
            ),
            DemoInsight(
                "no-link-to-groups",
                S,
                PRACTITIONER,
                d(3, 24),
                ("community groups", "partnership"),
                "The family support team has no link with the estates' community groups, "
                "though both are trying to reach the same families.",
            ),
        ),
        challenges=(
            DemoChallenge(
                "Families do not believe the funded place is for them, or do not want it to be",
                "The offer arrives as an official letter and carries a label; parents read it "
                "as a judgement on their parenting.",
                ("letter-scam", "for-families-who-cant-cope", "too-young", "fear-of-reporting"),
            ),
            DemoChallenge(
                "Getting a funded place takes persistence that families on shifts do not have",
                "Each step is small, but together they assume a free weekday and a steady rota.",
                ("three-steps", "settling-in-hours", "zero-hours"),
            ),
            DemoChallenge(
                "Trust lives in the estates' own networks, and services sit outside them",
                "Families act on what friends and the tenants' groups say; services have no "
                "place in those conversations.",
                ("tuesday-coffee", "ask-a-friend", "no-link-to-groups"),
            ),
            DemoChallenge(
                "There are not enough places where and when families want them",
                "Even persuaded families may find no place that fits.",
                ("not-enough-places", "zero-hours"),
            ),
        ),
    ),
    "hollins-vale": Discovery(
        insights=(
            DemoInsight(
                "hourly-bus",
                F,
                FAMILY_INTERVIEW,
                d(1, 15),
                ("transport", "rural"),
                "With one bus an hour, a 90-minute stay-and-play in town takes a whole morning "
                "for a parent from the top of the valley.",
                "“Two buses, a wait in the rain, and he's asleep by the time we get there.”",
            ),
            DemoInsight(
                "one-buggy-space",
                F,
                OBSERVATION,
                d(1, 22),
                ("transport", "access"),
                "Only one of the two buses on the valley route has space for a pushchair, and "
                "it is often taken already.",
            ),
            DemoInsight(
                "days-without-adults",
                F,
                FAMILY_INTERVIEW,
                d(1, 29),
                ("isolation", "mental health"),
                "New mothers in the villages say they can go days without speaking to another "
                "adult.",
                "“My partner takes the car to work. From Monday to Friday it's me and her.”",
            ),
            DemoInsight(
                "empty-halls",
                F,
                OBSERVATION,
                d(2, 5),
                ("community spaces", "rural"),
                "Village halls in three of the five villages stand empty on weekday mornings.",
                "Hall booking diaries, autumn term 2025.",
            ),
            DemoInsight(
                "outreach-lost",
                S,
                PRACTITIONER,
                d(2, 12),
                ("capacity", "outreach"),
                "The outreach worker who visited the villages went in the 2024 budget cuts, and "
                "nothing replaced her.",
            ),
            DemoInsight(
                "double-travel",
                S,
                PRACTITIONER,
                d(2, 19),
                ("health visitors", "rural"),
                "Health visitors say a village home visit takes twice as long as one in town, "
                "yet caseloads are set per head.",
            ),
            DemoInsight(
                "childminders-gone",
                S,
                LOCAL_DATA,
                d(2, 26),
                ("funded childcare", "capacity"),
                "The number of childminders in the valley fell from 14 to 6 in five years, "
                "leaving whole villages without childcare.",
                "Ofsted register, 2021 and 2026.",
            ),
            DemoInsight(
                "no-signal",
                F,
                FAMILY_INTERVIEW,
                d(3, 5),
                ("digital", "access"),
                "Poor mobile signal in the upper villages means online booking and video "
                "appointments fail.",
            ),
            DemoInsight(
                "grandparents-care",
                F,
                FAMILY_INTERVIEW,
                d(3, 12),
                ("grandparents", "working parents"),
                "Grandparents look after many of the valley's toddlers while parents work, but "
                "no group invites them.",
            ),
            DemoInsight(
                "informal-lifts",
                F,
                FAMILY_INTERVIEW,
                d(3, 19),
                ("transport", "trust"),
                "Parents with cars already give lifts to neighbours, but would not offer them "
                "to families they do not know.",
            ),
            DemoInsight(
                "school-doors",
                S,
                OTHER,
                d(3, 26),
                ("community spaces", "partnership"),
                "The village primary schools are the one place every family passes, and two "
                "head teachers say they would open their doors.",
                "Conversation at the cluster heads' meeting, March 2026.",
            ),
        ),
        challenges=(
            DemoChallenge(
                "Getting to anything is the first barrier for families in the valley",
                "Buses, buggies and signal make every service in town a half-day trip.",
                ("hourly-bus", "one-buggy-space", "informal-lifts", "no-signal"),
            ),
            DemoChallenge(
                "Parents in the villages are isolated, and no one is there to notice",
                "Outreach went and home visits take longer, so isolation goes unseen.",
                ("days-without-adults", "outreach-lost", "double-travel"),
            ),
            DemoChallenge(
                "Services sit in the market town while spaces in the villages stand empty",
                "Halls and schools are there, and grandparents are the childcare; the offer "
                "has not followed them.",
                ("empty-halls", "school-doors", "childminders-gone", "grandparents-care"),
            ),
        ),
    ),
    "castlebrook": Discovery(
        insights=(
            DemoInsight(
                "pnd-rate",
                S,
                LOCAL_DATA,
                d(1, 13),
                ("mental health",),
                "Health visitors identify post-natal depression in about one mother in six, "
                "above the national rate.",
                "Health visiting service data, 2025.",
            ),
            DemoInsight(
                "smile-and-say-fine",
                F,
                FAMILY_INTERVIEW,
                d(1, 21),
                ("mental health", "trust", "stigma"),
                "Mothers hide low mood from health visitors for fear that their baby will be "
                "taken away.",
                "“You smile and say you're fine. You don't say it to them.”",
            ),
            DemoInsight(
                "summer-winter",
                F,
                FAMILY_INTERVIEW,
                d(1, 28),
                ("working parents", "money"),
                "In summer both parents work long shifts in hotels and cafés; in winter the "
                "money runs out and they have time but no means.",
            ),
            DemoInsight(
                "fourteen-weeks",
                S,
                PRACTITIONER,
                d(2, 4),
                ("mental health", "capacity"),
                "The perinatal mental health service has a waiting list of about 14 weeks for "
                "non-urgent referrals.",
            ),
            DemoInsight(
                "been-there",
                F,
                FAMILY_INTERVIEW,
                d(2, 11),
                ("peer support", "mental health"),
                "Mothers who have come through depression say talking to another mum who had "
                "been there helped most.",
                "“She didn't tell me what to do. She just said, me too.”",
            ),
            DemoInsight(
                "january-food-bank",
                F,
                LOCAL_DATA,
                d(2, 18),
                ("money",),
                "The food bank sees more parents of under-fives in January and February than at "
                "any other time of year.",
            ),
            DemoInsight(
                "dads-dont-know-who",
                F,
                FAMILY_INTERVIEW,
                d(2, 25),
                ("dads", "mental health"),
                "Fathers notice their partner struggling but do not know whom they could tell.",
            ),
            DemoInsight(
                "term-time-only",
                S,
                PRACTITIONER,
                d(3, 4),
                ("timing", "working parents"),
                "Children's centre groups run from 9.30 to 11.30 in term time only, when "
                "seasonal workers are busiest.",
            ),
            DemoInsight(
                "volunteers-waiting",
                S,
                OBSERVATION,
                d(3, 11),
                ("volunteers", "capacity"),
                "A home-visiting volunteer scheme folded in 2023 when its coordinator left; a "
                "dozen trained volunteers still live in the town.",
            ),
            DemoInsight(
                "arcade-cafe",
                F,
                OBSERVATION,
                d(3, 18),
                ("community spaces", "money"),
                "On winter afternoons parents with buggies gather in the arcade café on the "
                "seafront, where it is warm and costs nothing to sit.",
            ),
            DemoInsight(
                "nowhere-to-refer",
                S,
                PRACTITIONER,
                d(3, 25),
                ("mental health", "referrals"),
                "GPs prescribe antidepressants but have nowhere to refer mothers for anything "
                "social.",
            ),
        ),
        challenges=(
            DemoChallenge(
                "Mothers do not say they are struggling because they fear what happens next",
                "The people best placed to notice are the ones mothers hide from.",
                ("smile-and-say-fine", "dads-dont-know-who", "pnd-rate"),
            ),
            DemoChallenge(
                "Support for parents' mental health comes too late and too clinical",
                "Long waits and prescriptions, when what helped was another parent.",
                ("fourteen-weeks", "nowhere-to-refer", "been-there", "volunteers-waiting"),
            ),
            DemoChallenge(
                "Services keep a calendar that does not fit a seasonal town",
                "Groups stop when families are free and run when they are working.",
                ("summer-winter", "term-time-only", "january-food-bank", "arcade-cafe"),
            ),
        ),
    ),
    "ashworth-green": Discovery(
        insights=(
            DemoInsight(
                "rhyme-time-full",
                F,
                OBSERVATION,
                d(1, 16),
                ("community spaces", "language"),
                "The library rhyme time is full every Thursday, and a third of the families "
                "there speak Polish or Romanian at home.",
            ),
            DemoInsight(
                "learning-letters",
                F,
                FAMILY_INTERVIEW,
                d(1, 23),
                ("beliefs", "funded childcare"),
                "Polish and Romanian parents expect nursery to start at three and to teach "
                "letters, and are puzzled by learning through play.",
                "“They just play all day. When do they learn?”",
            ),
            DemoInsight(
                "english-only-leaflets",
                S,
                OBSERVATION,
                d(1, 30),
                ("language", "awareness"),
                "Leaflets at the children's centre are in English only; the council's "
                "translated versions date from 2017.",
            ),
            DemoInsight(
                "rushed-interpreters",
                S,
                PRACTITIONER,
                d(2, 6),
                ("language", "health visitors"),
                "Health visitors book telephone interpreters, but families find the calls "
                "rushed and impersonal.",
            ),
            DemoInsight(
                "babcia",
                F,
                FAMILY_INTERVIEW,
                d(2, 13),
                ("grandparents", "language"),
                "Grandmothers who come over for months at a time do much of the childcare but "
                "speak no English.",
            ),
            DemoInsight(
                "school-gate",
                F,
                OBSERVATION,
                d(2, 20),
                ("community spaces", "awareness"),
                "Parents of toddlers meet every day at the primary school gate, collecting "
                "older brothers and sisters.",
            ),
            DemoInsight(
                "home-schedule",
                F,
                FAMILY_INTERVIEW,
                d(2, 27),
                ("health", "trust"),
                "Some parents put the red book aside and follow the vaccination schedule of "
                "their home country.",
            ),
            DemoInsight(
                "why-papers",
                F,
                FAMILY_INTERVIEW,
                d(3, 6),
                ("trust", "new arrivals"),
                "Parents are wary of any service that asks about their immigration status or "
                "benefits.",
                "“When they ask for papers, we think: why do they want to know?”",
            ),
            DemoInsight(
                "late-speech-referrals",
                S,
                LOCAL_DATA,
                d(3, 13),
                ("language", "speech"),
                "Speech and language referrals for bilingual children come late, often after "
                "the age of three.",
                "Speech and language therapy referral data, 2024-25.",
            ),
            DemoInsight(
                "warehouse-shifts",
                F,
                FAMILY_INTERVIEW,
                d(3, 20),
                ("working parents", "grandparents"),
                "Most families have two working parents, many on warehouse shifts, and rely on "
                "family rather than formal childcare.",
            ),
            DemoInsight(
                "saturday-school",
                F,
                OBSERVATION,
                d(3, 27),
                ("community groups", "trust"),
                "The Polish Saturday school and the Romanian Orthodox church each reach more "
                "local families than the children's centre does.",
            ),
        ),
        challenges=(
            DemoChallenge(
                "Families trust their own community far more than they trust services",
                "Questions about papers and unfamiliar schedules push families towards their "
                "own networks.",
                ("why-papers", "saturday-school", "home-schedule"),
            ),
            DemoChallenge(
                "Services speak one language to a community that speaks three",
                "Leaflets, interpreters and referrals all assume English.",
                ("english-only-leaflets", "rushed-interpreters", "babcia", "late-speech-referrals"),
            ),
            DemoChallenge(
                "Parents and professionals hold different ideas of what early learning is for",
                "Reconciling what parents and professionals think is best comes before any "
                "new service.",
                ("learning-letters", "rhyme-time-full", "late-speech-referrals"),
            ),
        ),
    ),
    "millbrook": Discovery(
        insights=(
            DemoInsight(
                "open-a-file",
                F,
                FAMILY_INTERVIEW,
                d(1, 17),
                ("trust", "care leavers", "stigma"),
                "Young parents who grew up in care are afraid that asking for help will bring "
                "social services to the door.",
                "“I know how it works. You say you're struggling and they open a file.” "
                "Mother, 19.",
            ),
            DemoInsight(
                "looked-down-on",
                F,
                FAMILY_INTERVIEW,
                d(1, 24),
                ("stigma", "young parents"),
                "Young mums feel looked down on at groups full of older parents.",
                "“Everyone was about 35 with a posh pram. They looked at me like I was the "
                "babysitter.”",
            ),
            DemoInsight(
                "instagram-not-letters",
                F,
                FAMILY_INTERVIEW,
                d(1, 31),
                ("awareness", "digital"),
                "Young parents take advice from Instagram and TikTok and rarely open letters "
                "or email.",
            ),
            DemoInsight(
                "twenty-volunteers",
                S,
                OBSERVATION,
                d(2, 7),
                ("volunteers",),
                "Twenty local people signed up at the summer fair to volunteer with families, "
                "and none has been contacted since.",
            ),
            DemoInsight(
                "four-months-checks",
                S,
                PRACTITIONER,
                d(2, 14),
                ("volunteers", "capacity"),
                "Volunteer checks and safeguarding training take four months, by which time "
                "most volunteers have lost interest.",
            ),
            DemoInsight(
                "advisers-dont-know",
                S,
                PRACTITIONER,
                d(2, 21),
                ("care leavers", "partnership"),
                "Personal advisers for care leavers do not know what the children's centre offers.",
            ),
            DemoInsight(
                "someone-older",
                F,
                FAMILY_INTERVIEW,
                d(2, 28),
                ("peer support", "young parents"),
                "Young parents say they would listen to someone a few years older who had been "
                "through it.",
            ),
            DemoInsight(
                "young-dads-vanish",
                F,
                OBSERVATION,
                d(3, 7),
                ("dads", "young parents"),
                "Young dads come to antenatal scans but vanish from services after the birth.",
            ),
            DemoInsight(
                "one-in-eight",
                S,
                LOCAL_DATA,
                d(3, 14),
                ("young parents",),
                "One birth in eight on the two estates is to a mother under 21, three times "
                "the district rate.",
                "Birth registrations, 2023-2025.",
            ),
            DemoInsight(
                "bus-fare-decides",
                F,
                FAMILY_INTERVIEW,
                d(3, 21),
                ("money", "access"),
                "An unplanned bus fare or group fee decides whether a young parent on Universal "
                "Credit comes at all.",
            ),
            DemoInsight(
                "evenings-alone",
                F,
                FAMILY_INTERVIEW,
                d(3, 28),
                ("isolation", "timing"),
                "Young parents are most alone in the evenings and at weekends, when no service "
                "is open.",
            ),
        ),
        challenges=(
            DemoChallenge(
                "Young parents see services as a risk, not a help",
                "For care leavers especially, asking for help feels like inviting scrutiny.",
                ("open-a-file", "looked-down-on", "advisers-dont-know"),
            ),
            DemoChallenge(
                "The community wants to help, but the system cannot let volunteers in",
                "Willing volunteers and young parents who want a peer are kept apart by process.",
                ("twenty-volunteers", "four-months-checks", "someone-older"),
            ),
            DemoChallenge(
                "Services are open when young parents need them least",
                "Weekday daytime groups, letters and fees miss evenings, phones and tight budgets.",
                ("evenings-alone", "bus-fare-decides", "instagram-not-letters"),
            ),
            DemoChallenge(
                "Young dads drop out of sight after the birth",
                "Nothing is built for them, so they are seen at scans and then not again.",
                ("young-dads-vanish", "looked-down-on", "one-in-eight"),
            ),
        ),
    ),
}


def seed_discovery(*, locality: Locality, recorders: list[User]) -> None:
    """The site's insights and challenges, matched on (locality, statement) and
    (locality, title) so running again updates them rather than adding twice."""
    discovery = DISCOVERY[locality.slug]
    by_key: dict[str, Insight] = {}
    for n, item in enumerate(discovery.insights):
        insight, _ = Insight.objects.update_or_create(
            locality=locality,
            statement=item.statement,
            defaults={
                "subject": item.subject,
                "source": item.source,
                "detail": item.detail,
                "gathered_on": item.gathered_on,
                "recorded_by": recorders[n % len(recorders)],
            },
        )
        insight.tags.set(Tag.objects.for_names(locality=locality, names=list(item.tags)))
        by_key[item.key] = insight
    for item in discovery.challenges:
        challenge, _ = Challenge.objects.update_or_create(
            locality=locality,
            title=item.title,
            defaults={"description": item.description, "created_by": recorders[0]},
        )
        challenge.insights.set([by_key[key] for key in item.evidence])
