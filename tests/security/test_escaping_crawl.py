"""Everything a person typed reaches the browser as text, never as markup (issue 9).

One locality holds, in every field a person types, markup that names the field (see
conftest.py). The crawl walks every URL pattern of the project, fills its arguments from
that locality's records, and fetches each page as lead, editor, viewer, reviewer and
anonymous visitor, plain and as an htmx fragment, and each admin page as reviewer and
superuser, with query strings that change what is shown; then it posts forms that are
refused or conflict and so echo what was typed. No HTML (or SVG) answer may carry a
payload as markup.

A new URL is crawled without touching this file when its arguments are ones the crawl
already knows how to fill (`segment_values`); otherwise `test_every_url_pattern_is_crawled`
fails and names it. A new text field on a model fails `test_every_typed_field_holds_a_payload`
until the locality's builder fills it or `NOT_TYPED` says why it need not be.
"""

from __future__ import annotations

import itertools
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http import HTTPStatus
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.db.models import Q
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils.encoding import force_bytes
from django.utils.http import urlencode, urlsafe_base64_encode
from simple_history.models import HistoricalChanges

from blueprints.interchange import json_export
from blueprints.models import StarterQuestion
from tests.security.conftest import LABEL, RAW_MARKERS, World, payload

pytestmark = pytest.mark.django_db

ROLES = ["lead", "editor", "viewer", "reviewer", "superuser", "anonymous"]
ADMIN_ROLES = {"reviewer", "superuser"}

# Text fields of the project's models (and the user model) that hold no text a person
# typed, each with the reason. Every other CharField and TextField must hold a payload.
NOT_TYPED = {
    "user.username": "Django's username validator allows letters, digits and @.+-_ only",
    "user.password": "a hash, never shown",
    "locality.slug": "a SlugField: letters, digits, hyphens and underscores only",
    "membership.role": "a choice, checked by a constraint",
    "insight.subject": "a choice, checked by a constraint",
    "insight.source": "a choice (a form's choice field refuses anything else)",
    "idea.status": "a choice, checked by a constraint",
    "consultation.audience": "a choice (a form's choice field refuses anything else)",
    "consultation.method": "a choice (a form's choice field refuses anything else)",
    "consultation.token": "made by secrets.token_urlsafe, never typed",
    "response.submission_token": "the public form's one-time token, made by secrets",
    "response.group": "a choice, checked by a constraint",
    "response.channel": "a choice, set by the view",
    "blueprint.review_state": "a choice, set only by blueprints.review",
    "lane.role": "a choice, checked by a constraint",
    "card.kind": "a choice, checked by a constraint",
    "lastcardchange.action": "a choice, checked by a constraint",
    "deliverychallenge.theme": "a choice, checked by a constraint",
    "prototype.risk": "a choice, checked by a constraint",
    "prototype.status": "a choice, checked by a constraint",
    "prototype.decision": "a choice, checked by a constraint",
    "deliveryquestion.status": "a choice, checked by a constraint",
    "starterquestion.theme": "a choice, checked by a constraint",
    "reviewtransition.from_state": "a choice, set only by blueprints.review",
    "reviewtransition.to_state": "a choice, set only by blueprints.review",
    "blueprintversion.reason": "written by blueprints.versions (submitted, restored from N)",
    # Background jobs (blueprints.jobs). Their message quotes typed text (an import names
    # the idea it could not find), so it holds payloads; the rest is written by the code.
    "job.kind": "a choice, set by blueprints.jobs",
    "job.status": "a choice, set by blueprints.jobs",
    "job.stage": "progress text written by blueprints.jobs while it runs",
    "job.content_key": "a cache key built by blueprints.jobs, never shown",
    "job.result_name": "a file name built by blueprints.jobs from slugs and numbers",
    "job.result_type": "a content type set by blueprints.jobs",
    "job.task_id": "an id given by the task backend",
    "space.kind": "a choice, checked by a constraint",
    "space.step_free": "a choice, checked by a constraint",
    "partner.kind": "a choice, checked by a constraint",
    "contribution.kind": "a choice, checked by a constraint",
    "contribution.status": "a choice, checked by a constraint",
}
# Apps whose models hold the method's content; historical copies (django-simple-history)
# repeat their model's fields and are shown through the history pages the crawl fetches.
CONTENT_APPS = ("localities", "consultations", "blueprints")

# URL patterns not fetched, with the reason.
NOT_FETCHED = {
    "blueprints:export-pdf": "a PDF, not a page: WeasyPrint draws it from the same "
    "autoescaped templates (tests/blueprints/test_exports_safety.py), and takes seconds",
    "blueprints:locality-report-pdf": "a PDF, as above",
    "admin/(?P<url>.*)$": "the admin's catch-all: a redirect or a 404, with no stored text",
}
# Admin models with no object in the crawl's data: their change lists are crawled, empty.
ADMIN_MODELS_WITHOUT_OBJECTS = {
    "django_tasks_database.dbtaskresult": "written by the task runner, never typed",
}

SEARCH = urlencode({"q": payload("search.q", 1)})


# URL patterns ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """One URL pattern with the path to it: its name, its text and its parameters."""

    name: str | None
    text: str
    params: tuple[str, ...]
    positional: int


def project_routes() -> list[Route]:
    def walk(patterns, prefix: str, namespace: str | None, params: tuple, positional: int):
        for pattern in patterns:
            here = _params(pattern.pattern)
            text = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(
                    pattern.url_patterns,
                    text,
                    inner,
                    params + here[0],
                    positional + here[1],
                )
            elif isinstance(pattern, URLPattern):
                name = pattern.name and (
                    f"{namespace}:{pattern.name}" if namespace else pattern.name
                )
                yield Route(name, text, params + here[0], positional + here[1])

    return list(walk(get_resolver().url_patterns, "", None, (), 0))


def _params(pattern) -> tuple[tuple[str, ...], int]:
    if isinstance(pattern, RoutePattern):
        return tuple(pattern.converters), 0
    if isinstance(pattern, RegexPattern):
        named = tuple(pattern.regex.groupindex)
        return named, pattern.regex.groups - len(named)
    return (), 0


def _segment_before(route: Route, param: str) -> str:
    """What comes just before `<...:param>`: the literal path segment that names it (as
    "cards" in cards/<int:card_pk>/), or the placeholder of the parameter before it."""
    match = re.search(rf"([^/]*)/<(?:[^>:]+:)?{param}>", route.text)
    if not match:
        return ""
    before = match.group(1)
    return re.sub(r"<(?:[^>:]+:)?(\w+)>", r"<\1>", before)


def _url(route: Route, kwargs: dict | None = None, args: list | None = None) -> str:
    if route.name:
        return reverse(route.name, args=args, kwargs=kwargs)
    # An unnamed path() pattern (the admin's object redirect): put the values in its text.
    return "/" + re.sub(r"<(?:[^>:]+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), route.text)


# Filling a pattern's arguments from the locality's records ------------------------------


def segment_values(w: World) -> dict[tuple[str, str], list[Any]]:
    """(what precedes the parameter, parameter name) -> the values to fetch it with."""
    lead = w.users["lead"]
    return {
        ("localities", "slug"): [w.locality.slug],
        ("members", "pk"): [w.memberships["viewer"].pk],
        ("insights", "pk"): [w.insight.pk],
        ("challenges", "pk"): [w.challenge.pk],
        **{(kind, "pk"): [record.pk] for kind, record in w.resources.items()},
        ("ideas", "pk"): [w.idea.pk, w.other_idea.pk],
        ("consultations", "pk"): [w.consultation.pk],
        ("consult", "token"): [w.consultation.token],
        ("blueprints", "pk"): [w.blueprint.pk],
        ("cards", "card_pk"): [w.card.pk, w.serving_card.pk],
        ("phases", "phase_pk"): [w.phase.pk],
        ("phases", "part_pk"): [w.phase.pk],
        ("lanes", "lane_pk"): [w.family_lane.pk, w.frontline_lane.pk],
        ("lanes", "part_pk"): [w.family_lane.pk, w.frontline_lane.pk],
        ("challenges", "challenge_pk"): [w.delivery_challenge.pk],
        ("prototypes", "prototype_pk"): [w.prototype.pk],
        # The learning library (/learning/questions/<pk>/, .../prototypes/<pk>/) and the
        # team's publish buttons.
        ("questions", "pk"): [w.delivery_challenge.questions.first().pk],
        ("prototypes", "pk"): [w.prototype.pk],
        ("questions", "question_pk"): list(
            w.delivery_challenge.questions.values_list("pk", flat=True)
        ),
        ("comments", "comment_pk"): [w.comment.pk],
        ("versions", "number"): w.version_numbers,
        ("review", "action"): ["submit", "request_changes"],
        ("jobs", "pk"): w.job_pks,
        ("reset", "uidb64"): [urlsafe_base64_encode(force_bytes(lead.pk))],
        ("<uidb64>", "token"): [default_token_generator.make_token(lead)],
    }


def query_variants(w: World) -> dict[str, list[str]]:
    """Query strings that change what a page shows, by URL name."""
    cell = f"phase={w.phase.pk}&lane="
    return {
        "localities:insight-list": [
            f"?{SEARCH}",
            f"?tag={w.tags[0].pk}&subject=families&source=family_interview",
        ],
        "localities:challenge-list": [f"?{SEARCH}"],
        "learning:index": [f"?{SEARCH}", "?theme=volunteering&decision=adapt"],
        "consultations:idea-list": [f"?{SEARCH}&status=chosen", "?status=parked"],
        "blueprints:review": [f"?card={w.card.pk}", f"?card={w.serving_card.pk}"],
        "blueprints:versions-compare": ["?old=1&new=2", "?old=2&new=1", "?old=1&new=7"],
        "blueprints:card-create": [f"?{cell}{w.family_lane.pk}", f"?{cell}{w.frontline_lane.pk}"],
        "blueprints:challenge-create": ["?theme=volunteering"],
        "blueprints:question-list": ["?status=answered", "?status=open"],
        "blueprints:question-create": [f"?challenge={w.delivery_challenge.pk}"],
        "blueprints:history": ["?limit=1000"],
        "admin:blueprints_comment_add": [f"?blueprint={w.blueprint.pk}"],
        "admin:blueprints_blueprint_changelist": ["?review_state=submitted"],
    }


def _with_payload(model) -> models.Model | None:
    """An object of the model, preferring one whose text holds a payload."""
    texts = [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
    ]
    query = Q()
    for name in texts:
        query |= Q(**{f"{name}__contains": "xss("})
    objects = model._default_manager.order_by("pk")
    return (objects.filter(query).first() if texts else None) or objects.first()


def admin_urls(route: Route) -> list[str] | str:
    """The URLs of an admin pattern, or why it cannot be filled."""
    short = (route.name or "").removeprefix("admin:")
    if not route.params and not route.positional:
        return [_url(route)]
    if short == "app_list":
        labels = sorted({model._meta.app_label for model in admin.site._registry})
        return [_url(route, {"app_label": label}) for label in labels]
    if short == "view_on_site":
        obj = _with_payload(apps.get_model("localities", "Locality"))
        ct = ContentType.objects.get_for_model(obj)
        return [_url(route, {"content_type_id": ct.pk, "object_id": obj.pk})]
    for model in admin.site._registry:
        if not route.text.startswith(f"admin/{model._meta.app_label}/{model._meta.model_name}/"):
            continue
        obj = _with_payload(model)
        if obj is None:
            if model._meta.label_lower in ADMIN_MODELS_WITHOUT_OBJECTS:
                return []
            return f"no {model._meta.label} to show"
        if short.endswith("_simple_history"):
            record = obj.history.order_by("-history_id").first()
            return [_url(route, args=[obj.pk, record.history_id])]
        (param,) = route.params
        return [_url(route, {param: obj.pk})]
    return "no admin model for it"


def route_urls(route: Route, w: World) -> list[str] | str:
    """Every URL to fetch for the pattern, or why it cannot be filled."""
    if route.text.startswith("admin/"):
        return admin_urls(route)
    if route.positional:
        return "positional arguments"
    known = segment_values(w)
    choices = []
    for param in route.params:
        key = (_segment_before(route, param), param)
        if key not in known:
            return f"no value for <{param}> after {key[0]!r}/"
        choices.append([(param, value) for value in known[key]])
    return [_url(route, dict(combo)) for combo in itertools.product(*choices)]


def crawl_plan(w: World) -> tuple[list[tuple[str, bool]], dict[str, str]]:
    """[(url, as htmx)] to GET, and the patterns left unfilled with why."""
    variants = query_variants(w)
    plan, unfilled = [], {}
    for route in project_routes():
        key = route.name or route.text
        if key in NOT_FETCHED:
            continue
        urls = route_urls(route, w)
        if isinstance(urls, str):
            unfilled[key] = urls
            continue
        is_admin = route.text.startswith("admin/")
        queries = variants.get(route.name, [])
        if (route.name or "").endswith("_changelist"):
            queries = [*queries, f"?{SEARCH}"]  # the admin's search box shows what was sought
        for url in urls:
            for query in ["", *queries]:
                plan.append((url + query, False))
                if not is_admin:
                    plan.append((url + query, True))
    return plan, unfilled


# Inspecting an answer ----------------------------------------------------------------


class _MarkupFinder(HTMLParser):
    """Payloads that became markup: an event handler, or a script that calls xss()."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on") and value and "xss(" in value:
                self.found.append((_label(value), f"<{tag} {name}={value!r}>"))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        # A quote straight after xss( is a call; JSON and escapejs leave \" or \u0022.
        if self._in_script and re.search(r"xss\([\"']", data):
            self.found.append((_label(data), f"<script>{data[:80]}"))


def _label(text: str) -> str:
    match = re.search(r"xss\(\W{0,2}([\w.:-]+)", text)
    return match.group(1) if match else "?"


def unescaped_payloads(body: str) -> list[tuple[str, str]]:
    """(field label, evidence) for every payload that went out as markup."""
    found = []
    for marker in RAW_MARKERS:
        for match in re.finditer(re.escape(marker), body):
            snippet = body[match.start() : match.start() + 90]
            found.append((_label(snippet), snippet))
    finder = _MarkupFinder()
    finder.feed(body)
    finder.close()
    found += finder.found
    return list(dict.fromkeys(found))


def body_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode(response.charset or "utf-8", errors="replace")


@dataclass
class Crawl:
    requests: int = 0
    problems: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)  # labels of payloads shown, escaped or not
    statuses: dict[int, int] = field(default_factory=dict)

    def inspect(self, response, where: str) -> str:
        self.requests += 1
        self.statuses[response.status_code] = self.statuses.get(response.status_code, 0) + 1
        if response.status_code >= HTTPStatus.INTERNAL_SERVER_ERROR:
            self.problems.append(f"{where}: answered {response.status_code}")
        body = body_of(response)
        self.seen.update(LABEL.findall(body))
        kind = response.get("Content-Type", "").split(";")[0].strip()
        if kind in ("text/html", "image/svg+xml", ""):
            for label, evidence in unescaped_payloads(body):
                self.problems.append(f"{where}: {label} unescaped: {evidence}")
        elif "xss(" in body and response.get("X-Content-Type-Options") != "nosniff":
            self.problems.append(f"{where}: {kind} carrying typed text without nosniff")
        return body

    def request(self, client: Client, method: str, url: str, where: str, **options):
        """Make the request in a savepoint, so a failure or a write leaves the data as it was."""
        try:
            with transaction.atomic():
                response = getattr(client, method)(url, **options)
                transaction.set_rollback(True)
        except Exception as error:  # noqa: BLE001 -- a crash hides the page: report it
            self.requests += 1
            self.problems.append(f"{where}: raised {error!r}")
            return None
        self.inspect(response, where)
        return response


def client_as(w: World, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(w.users[role])
    return client


def crawl(w: World, role: str) -> Crawl:
    result = Crawl()
    client = client_as(w, role)
    plan, _ = crawl_plan(w)
    for url, htmx in plan:
        if url.startswith("/admin/") and role not in ADMIN_ROLES:
            continue  # the admin sends everyone else to its login page, showing nothing
        if not url.startswith("/admin/") and role == "superuser":
            continue  # the site's pages show a superuser what they show a lead
        if htmx and role == "anonymous":
            continue  # a fragment needs a login like its page
        headers = {"HX-Request": "true"} if htmx else {}
        where = f"GET {url} as {role}{' (htmx)' if htmx else ''}"
        result.request(client, "get", url, where, headers=headers)
    return result


@pytest.fixture(scope="module")
def crawls(world) -> dict[str, Crawl]:
    """Each role's crawl, made once and shared by the tests that read it."""
    return {}


@pytest.fixture(autouse=True)
def quiet_logs():
    """Thousands of expected 403s, 404s and 405s (each logged with its traceback) and
    logins would otherwise take a third of the crawl's time to format and capture."""
    loggers = {"django.request": logging.ERROR, "axes": logging.WARNING}
    before = {name: logging.getLogger(name).level for name in loggers}
    for name, level in loggers.items():
        logging.getLogger(name).setLevel(level)
    yield
    for name, level in before.items():
        logging.getLogger(name).setLevel(level)


def crawled(crawls: dict[str, Crawl], world: World, role: str) -> Crawl:
    if role not in crawls:
        crawls[role] = crawl(world, role)
    return crawls[role]


# The tests -------------------------------------------------------------------------------


def _typed_fields() -> Iterator[tuple[str, type[models.Model], str]]:
    """(label, model, field name) of every CharField and TextField in scope."""
    scope = [get_user_model(), *_content_models()]
    for model in scope:
        for f in model._meta.concrete_fields:
            if isinstance(f, models.CharField | models.TextField):
                yield f"{model._meta.model_name}.{f.name}", model, f.name


def _content_models():
    for label in CONTENT_APPS:
        for model in apps.get_app_config(label).get_models():
            if not issubclass(model, HistoricalChanges):
                yield model


def test_every_typed_field_holds_a_payload(world):
    missing = [
        label
        for label, model, name in _typed_fields()
        if label not in NOT_TYPED
        and not model._default_manager.filter(**{f"{name}__contains": "xss("}).exists()
    ]
    assert not missing, (
        "These text fields hold no payload in the crawl's locality: fill them in "
        f"tests/security/conftest.py, or say in NOT_TYPED why no person types them: {missing}"
    )


def test_every_url_pattern_is_crawled(world):
    plan, unfilled = crawl_plan(world)
    assert not unfilled, (
        "The crawl cannot fill these URL patterns: add their parameters to segment_values() "
        f"or the pattern to NOT_FETCHED with a reason: {unfilled}"
    )
    assert set(query_variants(world)) <= {route.name for route in project_routes()}


@pytest.mark.parametrize(
    ("body", "found"),
    [
        ("<p>&lt;script&gt;xss(&quot;a.b&quot;)&lt;/script&gt;</p>", []),
        ('<p><script>xss("a.b")</script></p>', ["a.b"]),
        ('<input value="&#x27;&quot;&gt;&lt;img src=x onerror=xss(&quot;a.b&quot;)&gt;">', []),
        ('<input value="\'"><img src=x onerror=xss("a.b")>">', ["a.b"]),
        ('<input value="&quot; autofocus onfocus=xss(&quot;a.b&quot;) x=&quot;">', []),
        ('<input value="" autofocus onfocus=xss("a.b") x="">', ["a.b"]),
        (
            '<script type="application/json">{"t": "\\u003Cscript\\u003Exss(\\"a.b\\")"}</script>',
            [],
        ),
    ],
)
def test_the_check_tells_markup_from_text(body, found):
    assert sorted({label for label, _ in unescaped_payloads(body)}) == found


@pytest.mark.parametrize("role", ROLES)
def test_no_page_shows_typed_text_as_markup(world, crawls, role):
    result = crawled(crawls, world, role)
    assert not result.problems, "\n".join(result.problems)


def test_every_payload_is_shown_somewhere(world, crawls):
    """The crawl can fail only where it looks: every payload must reach some page."""
    stored = set()
    for _, model, name in _typed_fields():
        for value in model._default_manager.filter(**{f"{name}__contains": "xss("}).values_list(
            name, flat=True
        ):
            stored.update(LABEL.findall(value))
    shown = set().union(*(crawled(crawls, world, role).seen for role in ROLES))
    assert not stored - shown, (
        "No page the crawl fetched shows these payloads, so their escaping is untested: "
        f"crawl the page that shows them (segment_values, query_variants): {stored - shown}"
    )


# Forms that answer with what was typed ---------------------------------------------------


@dataclass
class Post:
    role: str
    url: str
    data: dict
    status: int
    # The labels the answer must show (escaped), so the check has something to find.
    shows: str | tuple[str, ...]
    htmx: bool = False
    follow: bool = False


def echoing_posts(w: World) -> list[Post]:
    """Posts whose answer quotes what was typed or stored: conflicts, refusals with the
    form again, and status messages that name what was changed."""
    slug, bp = w.locality.slug, w.blueprint.pk
    card = w.card

    def url(name, *args, query=""):
        return reverse(name, args=args) + query

    typed_card = {
        "title": payload("post.card.title", 1),
        "details": payload("post.card.details", 0),
        "kind": "step",
        "emotion": "",
        "insights": [w.insight.pk],
    }
    family_cell = f"?phase={w.phase.pk}&lane={w.family_lane.pk}"
    posts = []
    for htmx in (False, True):
        posts += [
            # Someone else saved the card first: their card, and what this person typed.
            Post(
                "editor",
                url("blueprints:card-update", slug, bp, card.pk),
                {**typed_card, "version": card.version - 1},
                HTTPStatus.CONFLICT,
                ("card.title:v2", "post.card.title"),
                htmx,
            ),
            # Someone else deleted it: what this person typed, to add again.
            Post(
                "editor",
                url("blueprints:card-update", slug, bp, w.deleted_card_pk),
                {**typed_card, "version": 1},
                HTTPStatus.CONFLICT,
                "post.card.details",
                htmx,
            ),
            # A card without a title: the form again with the details typed.
            Post(
                "editor",
                url("blueprints:card-create", slug, bp, query=family_cell),
                {**typed_card, "title": ""},
                HTTPStatus.UNPROCESSABLE_ENTITY,
                "post.card.details",
                htmx,
            ),
            # A stale move and a stale delete name the card in their notice.
            Post(
                "editor",
                url("blueprints:card-move", slug, bp, card.pk),
                {"direction": "right", "version": card.version - 1},
                HTTPStatus.CONFLICT if htmx else HTTPStatus.OK,
                "card.title:v2",
                htmx,
                follow=not htmx,
            ),
            Post(
                "editor",
                url("blueprints:card-delete", slug, bp, card.pk),
                {"version": card.version - 1},
                HTTPStatus.CONFLICT if htmx else HTTPStatus.OK,
                "card.title:v2",
                htmx,
                follow=not htmx,
            ),
            # Done: the status message or the message on the next page names the card.
            Post(
                "editor",
                url("blueprints:card-move", slug, bp, card.pk),
                {"direction": "right", "version": card.version},
                HTTPStatus.OK,
                "card.title:v2",
                htmx,
                follow=not htmx,
            ),
            Post(
                "editor",
                url("blueprints:card-links", slug, bp, w.serving_card.pk),
                {"action": "unlink", "direction": "serves", "other": card.pk},
                HTTPStatus.OK,
                "card.title:v2",
                htmx,
                follow=not htmx,
            ),
            Post(
                "editor",
                url("blueprints:card-links", slug, bp, card.pk),
                {"action": "link", "direction": "serves", "other": "x"},
                HTTPStatus.UNPROCESSABLE_ENTITY,
                "card.title:v2",
                htmx,
            ),
            Post(
                "editor",
                url("blueprints:card-delete", slug, bp, card.pk),
                {"version": card.version},
                HTTPStatus.OK,
                "card.title:v2",
                htmx,
                follow=not htmx,
            ),
        ]
    long = "x" * 5000
    posts += [
        Post(
            "editor",
            url("localities:insight-create", slug),
            {
                "statement": payload("post.insight.statement", 0),
                "detail": payload("post.insight.detail", 1),
                "tag_names": payload("post.insight.tags", 2),
                "subject": "",
                "source": "",
            },
            HTTPStatus.OK,
            "post.insight.statement",
        ),
        Post(
            "editor",
            url("localities:challenge-create", slug),
            {"title": "", "description": payload("post.challenge.description", 0)},
            HTTPStatus.OK,
            "post.challenge.description",
        ),
        Post(
            "editor",
            url("consultations:idea-create", slug),
            {"title": "", "description": payload("post.idea.description", 1)},
            HTTPStatus.OK,
            "post.idea.description",
        ),
        Post(
            "lead",
            url("localities:member-add", slug),
            {"identifier": payload("post.member.identifier", 1), "role": "viewer"},
            HTTPStatus.OK,
            "post.member.identifier",
        ),
        Post(
            "editor",
            url("consultations:consultation-responses", slug, w.consultation.pk),
            {
                "rows-TOTAL_FORMS": "1",
                "rows-INITIAL_FORMS": "0",
                "rows-0-idea": w.idea.pk,
                "rows-0-group": "parent",
                "rows-0-support": "",
                "rows-0-comment": payload("post.response.comment", 1),
            },
            HTTPStatus.OK,
            "post.response.comment",
        ),
        Post(
            "anonymous",
            url("consultations:respond", w.consultation.token),
            {f"comment_{w.idea.pk}": payload("post.public.comment", 0), f"support_{w.idea.pk}": 9},
            HTTPStatus.OK,
            "post.public.comment",
        ),
        Post(
            "reviewer",
            url("blueprints:comment-create", slug, bp),
            {"body": payload("post.comment.body", 0), "card": "999999999"},
            HTTPStatus.BAD_REQUEST,
            "post.comment.body",
        ),
        # The world's blueprint ends with changes requested: its team's next move is to
        # submit again, so that is the move whose form echoes an over-long note.
        Post(
            "editor",
            url("blueprints:review-transition", slug, bp, "submit"),
            {"note": payload("post.review.note", 1) + long},
            HTTPStatus.BAD_REQUEST,
            "post.review.note",
        ),
        Post(
            "editor",
            url("blueprints:phase-edit", slug, bp, w.phase.pk),
            {"name": payload("post.phase.name", 0) + long, "description": ""},
            HTTPStatus.OK,
            "post.phase.name",
        ),
        Post(
            "editor",
            url("blueprints:challenge-create", slug, bp),
            {"theme": "other", "title": "", "questions": payload("post.dc.questions", 2)},
            HTTPStatus.OK,
            "post.dc.questions",
        ),
        Post(
            "editor",
            url("blueprints:question-update", slug, bp, w.delivery_challenge.questions.first().pk),
            {"text": "", "status": "answered", "answer": payload("post.question.answer", 0)},
            HTTPStatus.OK,
            "post.question.answer",
        ),
        Post(
            "editor",
            url("blueprints:challenge-create", slug, bp),
            {
                "theme": "volunteering",
                "title": "",
                **{
                    f"starter-{pk}-text": payload("post.starter.text", 1)
                    for pk in StarterQuestion.objects.values_list("pk", flat=True)
                },
            },
            HTTPStatus.OK,
            "post.starter.text",
        ),
        Post(
            "editor",
            url("blueprints:prototype-create", slug, bp),
            {"title": payload("post.prototype.title", 1), "cost": "lots", "risk": "low"},
            HTTPStatus.OK,
            "post.prototype.title",
        ),
        Post(
            "editor",
            url("blueprints:create", slug),
            {"start": "copy", "copy_of": bp, "title": payload("post.blueprint.title", 0)},
            HTTPStatus.OK,
            "post.blueprint.title",
            follow=True,
        ),
        Post(
            "anonymous",
            url("login"),
            {"username": payload("post.login.username", 1), "password": "wrong"},
            HTTPStatus.OK,
            "post.login.username",
        ),
        Post(
            "editor",
            url("blueprints:import-json", slug),
            {"file": _export_file(w, idea=payload("post.import.idea", 0)), "title": ""},
            HTTPStatus.OK,
            "post.import.idea",
            follow=True,
        ),
        Post(
            "editor",
            url("blueprints:import-json", slug),
            {"file": _export_file(w, field=payload("imp.f", 0)), "title": ""},
            HTTPStatus.OK,
            "imp.f",  # short: the refusal shows 40 characters of a field name
        ),
        # The reviewers' admin actions: the note page lists the blueprints, and the
        # message after a decision names them.
        Post(
            "reviewer",
            url("admin:blueprints_blueprint_changelist"),
            {"action": "request_changes_selected", "_selected_action": [bp]},
            HTTPStatus.OK,
            "blueprint.title",
        ),
        Post(
            "reviewer",
            url("admin:blueprints_blueprint_changelist"),
            {
                "action": "approve_selected",
                "_selected_action": [bp],
                "apply": "1",
                "note": payload("post.admin.note", 1),
            },
            HTTPStatus.OK,
            "blueprint.title",
            follow=True,
        ),
        Post(
            "superuser",
            url("admin:localities_locality_change", w.locality.pk),
            {"name": payload("post.admin.name", 0), "slug": "not a slug", "area": ""},
            HTTPStatus.OK,
            "post.admin.name",
        ),
        Post(
            "superuser",
            url("admin:blueprints_comment_add", query=f"?blueprint={bp}"),
            {"blueprint": bp, "card": "999999999", "body": payload("post.admin.body", 1)},
            HTTPStatus.OK,
            "post.admin.body",
        ),
    ]
    return posts


def _export_file(w: World, *, idea: str | None = None, field: str | None = None):
    """The blueprint's JSON export, naming another idea, or with a field the import does
    not know (its refusal names the field)."""
    document = json.loads(json_export.export_json(w.blueprint))
    if idea is not None:
        document["blueprint"]["idea"] = idea
    if field is not None:
        document["cards"][0][field] = 1
    return SimpleUploadedFile("blueprint.json", json.dumps(document).encode(), "application/json")


def test_forms_that_echo_typed_text_show_it_as_text(world):
    result = Crawl()
    clients = {}
    for post in echoing_posts(world):
        client = clients.setdefault(post.role, client_as(world, post.role))
        where = f"POST {post.url} as {post.role}{' (htmx)' if post.htmx else ''}"
        headers = {"HX-Request": "true"} if post.htmx else {}
        response = result.request(
            client, "post", post.url, where, data=post.data, headers=headers, follow=post.follow
        )
        if response is None:
            continue
        if response.status_code != post.status:
            result.problems.append(f"{where}: answered {response.status_code}, not {post.status}")
        else:
            shown = set(LABEL.findall(body_of(response)))
            wanted = (post.shows,) if isinstance(post.shows, str) else post.shows
            for label in wanted:
                if label not in shown:
                    result.problems.append(f"{where}: does not show {label}, so checks nothing")
    assert not result.problems, "\n".join(result.problems)


def test_a_closed_or_busy_consultation_shows_its_title_as_text(world, settings):
    """The public pages a crawl of an open consultation never meets."""
    result, client = Crawl(), Client()
    respond = reverse("consultations:respond", args=[world.consultation.token])
    settings.CONSULT_SUBMISSIONS_PER_HOUR = 0
    busy = result.request(client, "post", respond, f"POST {respond}", data={"group": "parent"})
    type(world.consultation).objects.filter(pk=world.consultation.pk).update(is_open=False)
    closed = result.request(client, "get", respond, f"GET {respond} (closed)")

    assert (busy.status_code, closed.status_code) == (HTTPStatus.TOO_MANY_REQUESTS, HTTPStatus.OK)
    assert "consultation.title" in set(LABEL.findall(body_of(closed)))
    assert not result.problems, "\n".join(result.problems)
