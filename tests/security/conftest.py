"""One locality in which every field a person types holds markup that names its field.

`build_world()` writes it through the app's services (as the views do), once per module:
the module fixture opens a transaction, builds, yields and rolls back, so the crawl's many
requests share one set of data and leave the test database as they found it. Each test
still runs in its own savepoint (`db`), so a POST that succeeds changes nothing for the
next test.
"""

from __future__ import annotations

import datetime
import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import transaction

from blueprints import services
from blueprints.models import (
    Blueprint,
    Card,
    Comment,
    DeliveryChallenge,
    DeliveryQuestion,
    Lane,
    Phase,
    Prototype,
    StarterQuestion,
)
from blueprints.review import actions as review_actions
from blueprints.review import comments as review_comments
from consultations.models import Consultation, Idea, Response
from consultations.services import choose_top_idea
from localities.models import (
    Challenge,
    Contribution,
    Insight,
    Locality,
    Membership,
    Opening,
    Partner,
    Space,
    Tag,
    VolunteerMonth,
    VolunteerRole,
)
from localities.permissions import REVIEWER_GROUP
from tests.blueprints.factories import (
    BlueprintFactory,
    CardFactory,
    DeliveryChallengeFactory,
    PrototypeFactory,
    lane,
    phase,
)
from tests.consultations.factories import ConsultationFactory, IdeaFactory, ResponseFactory
from tests.localities.factories import (
    ChallengeFactory,
    InsightFactory,
    LocalityFactory,
    MembershipFactory,
    ReviewerFactory,
    TagFactory,
    UserFactory,
)

# Each payload calls xss("<label>"), the label naming the field (and, after a colon, which
# of several records) it was typed into, so a finding says where the text came from. The
# forms alternate: a script element for text, a quote-breaking image for attributes, and an
# event handler for an attribute whose quotes alone are left unescaped.
PAYLOAD_FORMS = (
    '<script>xss("{}")</script>',
    '\'"><img src=x onerror=xss("{}")>',
    '" autofocus onfocus=xss("{}") x="',
)
# Markup that is only there if a payload went out unescaped (checked in raw responses).
RAW_MARKERS = ("<script>xss(", "<img src=x onerror=xss(")
# The label inside a payload, whatever escaping or encoding the text went through.
LABEL = re.compile(r"xss\((?:\\?[\"']|&quot;|&#x27;|&#34;|&#39;|\\u0022|\\u0027)([\w.:-]+)")

_forms = itertools.cycle(PAYLOAD_FORMS)


def payload(label: str, form: int | None = None) -> str:
    """Markup naming `label`; the form rotates unless given (0 script, 1 img, 2 handler)."""
    template = PAYLOAD_FORMS[form] if form is not None else next(_forms)
    return template.format(label)


def email_payload(label: str) -> str:
    """A valid address (a quoted local part may hold < > ( ) ' /) that carries markup."""
    return f"\"<script>xss('{label}')</script>\"@example.org"


@dataclass
class World:
    locality: Locality
    users: dict  # role name -> user
    memberships: dict  # role name -> Membership
    tags: list[Tag]
    insight: Insight
    challenge: Challenge
    idea: Idea
    other_idea: Idea
    consultation: Consultation
    blueprint: Blueprint
    phase: Phase
    family_lane: Lane
    frontline_lane: Lane
    card: Card  # family lane, first phase: emotion, insights, comments, a challenge, a prototype
    serving_card: Card  # frontline lane: serves `card`
    deleted_card_pk: int  # commented on, then deleted
    delivery_challenge: DeliveryChallenge
    prototype: Prototype
    comment: Comment  # a reviewer's open comment on `card`, with a reply
    version_numbers: list[int] = field(default_factory=list)
    job_pks: list = field(default_factory=list)  # a background job of each member and reviewer
    resources: dict = field(default_factory=dict)  # a space, a partner, a volunteer role


def _user(role: str, **extra):
    return UserFactory(
        username=f"xss-{role}",
        first_name=payload(f"user.first_name:{role}"),
        last_name=payload(f"user.last_name:{role}"),
        email=email_payload(f"user.email:{role}"),
        **extra,
    )


def build_world() -> World:
    locality = LocalityFactory(
        name=payload("locality.name", 0),
        slug="xss-town",
        area=payload("locality.area"),
        description=payload("locality.description"),
    )
    users, memberships = {}, {}
    for role in (Membership.Role.LEAD, Membership.Role.EDITOR, Membership.Role.VIEWER):
        memberships[role.value] = MembershipFactory(locality=locality, role=role, user=_user(role))
        users[role.value] = memberships[role.value].user
    users["reviewer"] = ReviewerFactory(
        username="xss-reviewer",
        first_name=payload("user.first_name:reviewer", 1),
        last_name=payload("user.last_name:reviewer"),
        email=email_payload("user.email:reviewer"),
    )
    users["superuser"] = _user("superuser", is_staff=True, is_superuser=True)
    lead, editor, reviewer = users["lead"], users["editor"], users["reviewer"]

    # Discovery: tags, insights, a challenge.
    tags = [
        TagFactory(locality=locality, name=payload("tag.name", 1)),
        TagFactory(locality=locality, name=payload("tag.name:2", 2)),
    ]
    insight = InsightFactory(
        locality=locality,
        statement=payload("insight.statement", 0),
        detail=payload("insight.detail"),
        gathered_on=datetime.date(2026, 2, 3),
        recorded_by=editor,
    )
    insight.tags.set(tags)
    other_insight = InsightFactory(
        locality=locality,
        statement=payload("insight.statement:2", 1),
        subject=Insight.Subject.SYSTEM,
        source=Insight.Source.LOCAL_DATA,
        detail="",
        recorded_by=lead,
    )
    other_insight.tags.set(tags[:1])
    challenge = ChallengeFactory(
        locality=locality,
        title=payload("challenge.title", 0),
        description=payload("challenge.description"),
        insights=[insight, other_insight],
        created_by=editor,
    )

    # Ideas, a consultation and its responses, the top idea.
    idea = IdeaFactory(
        locality=locality,
        title=payload("idea.title", 0),
        description=payload("idea.description"),
        proposed_by=payload("idea.proposed_by"),
        challenges=[challenge],
        created_by=editor,
    )
    other_idea = IdeaFactory(
        locality=locality,
        title=payload("idea.title:2", 1),
        description=payload("idea.description:2"),
        proposed_by=payload("idea.proposed_by:2"),
        status=Idea.Status.PARKED,
    )
    consultation = ConsultationFactory(
        locality=locality,
        title=payload("consultation.title", 0),
        place=payload("consultation.place"),
        notes=payload("consultation.notes"),
        ideas=[idea, other_idea],
        created_by=editor,
    )
    for n, (group, support, channel) in enumerate(
        [
            (Response.Group.PARENT, 5, Response.Channel.TEAM),
            (Response.Group.PRACTITIONER, 1, Response.Channel.TEAM),
            (Response.Group.PARTNER, 2, Response.Channel.PUBLIC),
        ]
    ):
        for target in (idea, other_idea):
            ResponseFactory(
                consultation=consultation,
                idea=target,
                group=group,
                support=support,
                channel=channel,
                comment=payload(f"response.comment:{target.pk}-{n}"),
            )
    choose_top_idea(idea=idea, rationale=payload("idea.rationale", 1), by=lead)

    # The blueprint: renamed phases and lanes, cards, a link, a delivery challenge and a
    # prototype.
    blueprint = BlueprintFactory(
        locality=locality,
        idea=idea,
        title=payload("blueprint.title", 0),
        summary=payload("blueprint.summary"),
        by=editor,
    )
    first = services.rename_phase(
        phase=phase(blueprint, 0),
        name=payload("phase.name", 1),
        description=payload("phase.description"),
        by=editor,
    )
    services.rename_phase(
        phase=phase(blueprint, 1),
        name=payload("phase.name:2", 2),
        description=payload("phase.description:2", 0),
        by=editor,
    )
    family = services.rename_lane(
        lane=lane(blueprint, Lane.Role.FAMILY), name=payload("lane.name", 0), by=editor
    )
    frontline = services.rename_lane(
        lane=lane(blueprint, Lane.Role.FRONTLINE), name=payload("lane.name:2", 1), by=editor
    )
    blueprint.refresh_from_db()
    card = CardFactory(
        blueprint=blueprint,
        phase=first,
        lane=family,
        title=payload("card.title", 0),
        details=payload("card.details"),
        kind=Card.Kind.PAIN_POINT,
        emotion=-1,
        insights=[insight],
        by=editor,
    )
    serving = CardFactory(
        blueprint=blueprint,
        phase=first,
        lane=frontline,
        title=payload("card.title:2", 1),
        details=payload("card.details:2", 2),
        kind=Card.Kind.TOUCHPOINT,
        by=editor,
    )
    CardFactory(
        blueprint=blueprint,
        phase=phase(blueprint, 1),
        lane=family,
        title=payload("card.title:3", 2),
        details=payload("card.details:3", 0),
        emotion=2,
        by=lead,
    )
    services.link_cards(from_card=serving, to_card=card, by=editor)
    delivery_challenge = DeliveryChallengeFactory(
        blueprint=blueprint,
        theme=DeliveryChallenge.Theme.VOLUNTEERING,
        title=payload("deliverychallenge.title", 0),
        questions=[payload("deliveryquestion.text", 1), payload("deliveryquestion.text:2")],
        cards=[card, serving],
        by=editor,
    )
    services.update_delivery_question(
        question=delivery_challenge.questions.get(position=0),
        by=editor,
        status=DeliveryQuestion.Status.ANSWERED,
        answer=payload("deliveryquestion.answer"),
        owner=editor,
        insights=[insight],
        ideas=[idea],
    )
    StarterQuestion.objects.create(
        theme=DeliveryChallenge.Theme.VOLUNTEERING, text=payload("starterquestion.text", 2)
    )
    prototype = PrototypeFactory(
        blueprint=blueprint,
        title=payload("prototype.title", 1),
        hypothesis=payload("prototype.hypothesis"),
        method=payload("prototype.method"),
        learning=payload("prototype.learning"),
        cost=Decimal("49.99"),
        risk=Prototype.Risk.MEDIUM,
        starts_on=datetime.date(2026, 4, 1),
        ends_on=datetime.date(2026, 4, 30),
        status=Prototype.Status.FINISHED,
        decision=Prototype.Decision.ADAPT,
        cards=[card, serving],
        delivery_challenges=[delivery_challenge],
        questions=delivery_challenge.questions.all(),
        families_reached=12,
        in_kind_description=payload("prototype.in_kind_description"),
        measures=[
            # The unit holds 40 characters: its label is shortened to fit.
            services.MeasureRow(payload("prototypemeasure.name", 1), payload("pm.unit", 0)),
        ],
        by=editor,
    )
    # Shared with every site (/learning/): the answered question and the decided prototype.
    services.publish_question(question=delivery_challenge.questions.get(position=0), by=lead)
    services.publish_prototype(prototype=prototype, by=lead)

    # Review: a comment on a card since deleted, two submissions with changes between
    # them (versions 1 and 2 differ in text), notes, comments, a reply and a resolved one.
    doomed = CardFactory(
        blueprint=blueprint,
        phase=first,
        lane=family,
        title=payload("card.title:deleted", 0),
        by=editor,
    )
    review_comments.add_comment(
        blueprint=blueprint, by=reviewer, body=payload("comment.body:deleted", 2), card=doomed
    )
    services.delete_card(card=doomed, expected_version=doomed.version, by=editor)
    blueprint.refresh_from_db()
    review_actions.submit(
        blueprint=blueprint, by=editor, note=payload("reviewtransition.note:submit")
    )
    review_actions.request_changes(
        blueprint=blueprint, by=reviewer, note=payload("reviewtransition.note")
    )
    comment = review_comments.add_comment(
        blueprint=blueprint, by=reviewer, body=payload("comment.body", 0), card=card
    )
    review_comments.add_comment(
        blueprint=blueprint, by=editor, body=payload("comment.body:reply", 1), parent=comment
    )
    resolved = review_comments.add_comment(
        blueprint=blueprint, by=lead, body=payload("comment.body:resolved", 2)
    )
    review_comments.resolve_comment(comment=resolved, by=reviewer)
    card = services.update_card(
        card=card,
        expected_version=card.version,
        by=editor,
        title=payload("card.title:v2", 2),
        details=payload("card.details:v2", 1),
    )
    services.rename_lane(lane=frontline, name=payload("lane.name:v2", 2), by=editor)
    services.update_prototype(
        prototype=prototype, by=editor, learning=payload("prototype.learning:v2", 0)
    )
    CardFactory(
        blueprint=blueprint,
        phase=first,
        lane=frontline,
        title=payload("card.title:added", 1),
        by=editor,
    )
    blueprint.refresh_from_db()
    review_actions.submit(
        blueprint=blueprint, by=lead, note=payload("reviewtransition.note:resubmit")
    )
    # Sent back once more, so its content is open to the crawl's writes (a submitted
    # blueprint's content is frozen, issue 14).
    review_actions.request_changes(
        blueprint=blueprint, by=reviewer, note=payload("reviewtransition.note:again")
    )
    blueprint.refresh_from_db()

    # Login attempts: an anonymous person types the username, and their browser sends the
    # user agent and the request's data, all shown to staff in the admin.
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        name = model._meta.model_name
        extra = (
            {
                "get_data": payload(f"{name}.get_data"),
                "post_data": payload(f"{name}.post_data"),
                "failures_since_start": 3,
            }
            if model is AccessAttempt
            else {}
        )
        model.objects.create(
            username=payload(f"{name}.username"),
            user_agent=payload(f"{name}.user_agent"),
            http_accept=payload(f"{name}.http_accept"),
            path_info=payload(f"{name}.path_info"),
            ip_address="192.0.2.1",
            **extra,
        )

    return World(
        job_pks=_jobs(users, locality, blueprint),
        resources=_resources(locality),
        locality=locality,
        users=users,
        memberships=memberships,
        tags=tags,
        insight=insight,
        challenge=challenge,
        idea=idea,
        other_idea=other_idea,
        consultation=consultation,
        blueprint=blueprint,
        phase=first,
        family_lane=family,
        frontline_lane=frontline,
        card=Card.objects.get(pk=card.pk),
        serving_card=serving,
        deleted_card_pk=doomed.pk,
        delivery_challenge=delivery_challenge,
        prototype=prototype,
        comment=comment,
        version_numbers=list(blueprint.versions.values_list("number", flat=True)),
    )


def _resources(locality: Locality) -> dict:
    """A space with an opening, a partner with a contribution, a role with a month."""
    space = Space.objects.create(
        locality=locality,
        name=payload("space.name", 0),
        kind=Space.Kind.LIBRARY,
        area=payload("space.area"),
        access_notes=payload("space.access_notes"),
        managed_by=payload("space.managed_by"),
        out_of_hours_staffed_by=payload("space.out_of_hours_staffed_by"),
    )
    Opening.objects.create(
        space=space, day=2, opens=datetime.time(18), closes=datetime.time(20), out_of_hours=True
    )
    partner = Partner.objects.create(
        locality=locality,
        organisation=payload("partner.organisation", 0),
        kind=Partner.Kind.FAITH,
        contact_role=payload("partner.contact_role"),
        notes=payload("partner.notes"),
    )
    Contribution.objects.create(
        partner=partner,
        kind=Contribution.Kind.IN_KIND,
        description=payload("contribution.description", 0),
        value=40,
        status=Contribution.Status.PLEDGED,
        status_on=datetime.date(2026, 11, 2),
    )
    role = VolunteerRole.objects.create(
        locality=locality,
        name=payload("volunteerrole.name", 0),
        tasks=payload("volunteerrole.tasks"),
        training=payload("volunteerrole.training"),
        supervision=payload("volunteerrole.supervision"),
    )
    VolunteerMonth.objects.create(
        role=role, month=datetime.date(2026, 10, 1), trained=2, active=2, former_users=1
    )
    return {"spaces": space, "partners": partner, "volunteering": role}


def _jobs(users: dict, locality: Locality, blueprint: Blueprint) -> list:
    """A failed import job of each user, whose message and problems quote typed text, as
    blueprints.jobs writes them (the model is new: fields it lacks are left out)."""
    try:
        job_model = apps.get_model("blueprints", "Job")
    except LookupError:
        return []
    names = {f.name for f in job_model._meta.get_fields()}
    pks = []
    for role, user in users.items():
        if role == "superuser":
            continue  # the crawl reads the site's pages as members and the reviewer
        fields = {
            "kind": "import",
            "status": "failed",
            "requested_by": user,
            "locality": locality,
            "blueprint": blueprint,
            "message": payload(f"job.message:{role}"),
            "problems": [payload(f"job.problems:{role}")],
        }
        job = job_model.objects.create(**{k: v for k, v in fields.items() if k in names})
        pks.append(job.pk)
    return pks


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The locality, built once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        # A transactional test's flush empties the group the data migrations filled (the
        # permissions come back with post_migrate; groups do not). Reviewers must read the
        # admin for the crawl to look at it through their eyes, so give them every view.
        group, _ = Group.objects.get_or_create(name=REVIEWER_GROUP)
        if not group.permissions.exists():
            group.permissions.add(*Permission.objects.filter(codename__startswith="view_"))
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def clear_cache():
    """PDF and throttle counters live in the cache: each test starts without them."""
    cache.clear()
    yield
    cache.clear()
