"""The demo (DESIGN section 6): six sites, each told in a data file beside this module.

A site's story is prose, so it lives in `<slug>.toml` (the format is in README, "Demo
data"); the Python only reads it. `read_sites` reads and checks the files, and every
record that another cites has a key, so a card cites insight "n-ins-04" because the
person writing the file chose it. This module seeds what the localities app owns (the
locality, its team's accounts, insights and challenges, and its community resources);
consultations.demo and blueprints.demo seed the rest from the same `Site` objects, so a
key resolves whichever app made the record. Writes go through the services (resources,
which have none, through `full_clean`). A record already in the database (matched by its
locality and title, or statement) is reused rather than made again, so seeding twice adds
nothing.
"""

from __future__ import annotations

import datetime
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.utils import timezone

from localities import services
from localities.models import (
    Challenge,
    Contribution,
    Insight,
    Locality,
    Membership,
    Opening,
    Partner,
    Space,
    VolunteerMonth,
    VolunteerRole,
)
from localities.permissions import REVIEWER_GROUP

User = get_user_model()

DEMO_DIR = Path(__file__).resolve().parent
REVIEWER = ("reviewer", "Jo", "Whitfield")
ROLES = (Membership.Role.LEAD, Membership.Role.EDITOR, Membership.Role.VIEWER)

# Where each kind of keyed record is written in a file...
DEFINED = {
    "insight": ("insights",),
    "challenge": ("challenges",),
    "idea": ("ideas",),
    "consultation": ("consultations",),
    "card": ("blueprint", "cards"),
    "delivery challenge": ("blueprint", "delivery_challenges"),
    "question": ("blueprint", "delivery_challenges", "questions"),  # those written as tables
    "prototype": ("blueprint", "prototypes"),
    "comment": ("blueprint", "review"),
    # Community resources, which cards and prototypes name.
    "space": ("spaces",),
    "partner": ("partners",),
    "volunteer role": ("volunteer_roles",),
}
# ... and every field that names another record by its key: (where, field, kind named).
REFERENCES = (
    (("challenges",), "insights", "insight"),
    (("ideas",), "challenges", "challenge"),
    (("consultations",), "ideas", "idea"),
    (("consultations", "responses"), "idea", "idea"),
    (("top_idea",), "idea", "idea"),
    (("blueprint", "cards"), "insights", "insight"),
    (("blueprint", "cards"), "serves", "card"),
    (("blueprint", "cards"), "space", "space"),
    (("blueprint", "cards"), "partner", "partner"),
    (("blueprint", "cards"), "volunteer_role", "volunteer role"),
    (("blueprint", "delivery_challenges"), "cards", "card"),
    (("blueprint", "prototypes"), "cards", "card"),
    (("blueprint", "delivery_challenges", "questions"), "insights", "insight"),
    (("blueprint", "delivery_challenges", "questions"), "ideas", "idea"),
    (("blueprint", "prototypes"), "delivery_challenges", "delivery challenge"),
    (("blueprint", "prototypes"), "questions", "question"),
    (("blueprint", "prototypes"), "spaces", "space"),
    (("blueprint", "prototypes"), "partners", "partner"),
    (("blueprint", "prototypes"), "volunteer_roles", "volunteer role"),
    (("blueprint", "review"), "card", "card"),
    (("blueprint", "review"), "reply_to", "comment"),
)


class DemoDataError(Exception):
    """A demo file that cannot be loaded; the message names the file and what is wrong."""


def tables(doc: dict, path: tuple[str, ...], where: str = "") -> Iterator[tuple[str, dict]]:
    """The tables at `path` in the document, each with where it is ("cards[3]"); strings
    among them (questions that are only their words) are no tables, so are left out."""
    name, rest = path[0], path[1:]
    value = doc.get(name)
    found = value if isinstance(value, list) else [] if value is None else [value]
    for index, table in ((n, t) for n, t in enumerate(found) if isinstance(t, dict)):
        here = f"{where}{'.' if where else ''}{name}" + (
            f"[{index}]" if isinstance(value, list) else ""
        )
        if rest:
            yield from tables(table, rest, here)
        else:
            yield here, table


@dataclass
class Site:
    """One site's file, and the records seeded from it so far, by key."""

    path: Path
    doc: dict[str, Any]
    kinds: dict[str, str] = field(default_factory=dict)  # key -> kind
    records: dict[str, Any] = field(default_factory=dict)  # key -> saved model instance
    locality: Locality | None = None
    team: dict[str, Any] = field(default_factory=dict)  # role (and "reviewer") -> User

    @property
    def slug(self) -> str:
        return self.doc["site"]["slug"]

    def error(self, message: str) -> DemoDataError:
        return DemoDataError(f"{self.path}: {message}")

    def check(self) -> None:
        """Every key defined once, and every reference naming a key of the right kind."""
        for kind, path in DEFINED.items():
            for where, table in tables(self.doc, path):
                key = table.get("key")
                if key is None:
                    if kind != "comment":  # review moves other than comments need none
                        raise self.error(f"{where} has no key")
                    continue
                if key in self.kinds:
                    raise self.error(f'{where} uses the key "{key}" again')
                self.kinds[key] = kind
        for path, name, kind in REFERENCES:
            for where, table in tables(self.doc, path):
                value = table.get(name, [])
                for key in value if isinstance(value, list) else [value]:
                    if self.kinds.get(key) != kind:
                        raise self.error(
                            f'{where}.{name} names {kind} "{key}", which the file does not define'
                        )

    def person(self, where: str, table: dict, name: str) -> Any:
        """The team member, or the reviewer, that `table` names by role in its field `name`."""
        if table.get(name) not in self.team:
            raise self.error(f'{where}.{name} is "{table.get(name)}", not {", ".join(self.team)}')
        return self.team[table[name]]

    def get(self, key: str) -> Any:
        return self.records[key]

    def all(self, keys: list[str]) -> list[Any]:
        return [self.records[key] for key in keys]

    @contextmanager
    def saving(self, where: str, table: dict, label: str | None = None) -> Iterator[None]:
        """Name the file and the record when a model refuses what the file says."""
        try:
            yield
        except ValidationError as error:  # naming the fields at fault, where the model does
            at = ", ".join(sorted(getattr(error, "error_dict", {}).keys() - {NON_FIELD_ERRORS}))
            problem = f"{at}: " * bool(at) + "; ".join(error.messages)
        except KeyError as error:
            problem = f"it has no {error.args[0]}"
        except TypeError as error:  # a table with a field its record does not have
            problem = str(error)
        else:
            return
        if label is None:
            label = table.get("key") or table.get("title") or table.get("action", "")
        raise self.error(f'{where} ("{label}"): {problem}')


def read_sites(slugs: list[str] | None = None, directory: Path | None = None) -> list[Site]:
    """The demo sites, in file-name order (only those named, if `slugs` is given), checked."""
    sites = []
    for path in sorted((directory or DEMO_DIR).glob("*.toml")):
        if slugs is not None and path.stem not in slugs:
            continue
        try:
            site = Site(path, tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal))
        except tomllib.TOMLDecodeError as error:
            raise DemoDataError(f"{path}: {error}") from error
        if site.doc.get("site", {}).get("slug") != path.stem:
            raise site.error(f'[site] needs slug = "{path.stem}", the name of its file')
        site.check()
        sites.append(site)
    missing = set(slugs or ()) - {site.slug for site in sites}
    if missing:
        raise DemoDataError(f"No demo file has the site {', '.join(sorted(missing))}.")
    return sites


def text(table: dict, name: str) -> str:
    """A text field of a table; TOML keeps the newline before a closing triple quote."""
    return table.get(name, "").strip()


def moment(table: dict) -> datetime.datetime | None:
    """A table's `on` date as a time of day, for history the services stamp with "now".

    The demo's story happened over months, but a service records when it ran; so where a
    file dates a move (a review, choosing the top idea), that record's time is set after
    the service has written it. Only the demo does this: the app never rewrites history.
    """
    day = table.get("on")
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 30)))


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


def seed_localities(sites: list[Site], *, password: str) -> list[tuple[str, str]]:
    """Each site's locality, team, insights and challenges, and the reviewer's account.

    Returns (username, description) pairs for the accounts, in the order to print them.
    """
    username, first, last = REVIEWER
    reviewer = _account(username, first, last, password, is_staff=True)
    # get_or_create: the migrations make the group, but someone may have deleted it since.
    reviewer.groups.add(Group.objects.get_or_create(name=REVIEWER_GROUP)[0])
    accounts = [(username, "innovation-unit reviewer: every locality, and the admin")]
    for site in sites:
        about = site.doc["site"]
        site.locality, _ = Locality.objects.update_or_create(
            slug=site.slug,
            defaults={
                "name": about["name"],
                "area": about["area"],
                "description": about["description"],
            },
        )
        site.team["reviewer"] = reviewer
        for role in ROLES:
            first, last = site.doc["team"][role]
            username = f"{site.slug}-{role}"
            site.team[role] = _account(username, first, last, password)
            Membership.objects.update_or_create(
                user=site.team[role], locality=site.locality, defaults={"role": role}
            )
            accounts.append((username, f"{role} of {site.locality.name}"))
        _seed_discovery(site)
        _seed_resources(site)
    return accounts


def _seed_discovery(site: Site) -> None:
    """Steps 1 and 2 of the method: what the team learned, and the challenges it named."""
    locality = site.locality
    for where, row in tables(site.doc, ("insights",)):
        with site.saving(where, row):
            insight = Insight.objects.filter(locality=locality, statement=row["statement"]).first()
            insight = insight or services.create_insight(
                locality=locality,
                by=site.team[row.get("recorded_by", "editor")],
                statement=row["statement"],
                subject=row["subject"],
                source=row["source"],
                detail=text(row, "detail"),
                gathered_on=row.get("gathered_on"),
                tag_names=row.get("tags", []),
            )
        site.records[row["key"]] = insight
    for where, row in tables(site.doc, ("challenges",)):
        with site.saving(where, row):
            challenge = Challenge.objects.filter(locality=locality, title=row["title"]).first()
            challenge = challenge or services.create_challenge(
                locality=locality,
                by=site.team["lead"],
                title=row["title"],
                description=text(row, "description"),
                insights=site.all(row.get("insights", [])),
            )
        site.records[row["key"]] = challenge


# Community resources (issue 15) ----------------------------------------------------------

# Each resource table, its model, the field that names it in its locality, and the table
# of rows that belong to it (with their model, and the fields that find a row again).
RESOURCES = (
    ("spaces", Space, "name", ("openings", Opening, ("day", "opens", "closes"))),
    (
        "partners",
        Partner,
        "organisation",
        ("contributions", Contribution, ("kind", "description", "status_on")),
    ),
    ("volunteer_roles", VolunteerRole, "name", ("months", VolunteerMonth, ("month",))),
)
DAYS = {label.lower(): value for value, label in Opening.Day.choices}


def _writable(model: type[models.Model], parent: str) -> set[str]:
    """The fields a file may give a `model` record: its own, not its parent or the clocks."""
    return {
        f.name
        for f in model._meta.concrete_fields
        if f.editable and not f.primary_key and f.name != parent
    }


def _built(row: dict, model: type[models.Model], parent: str, skip: set[str]) -> models.Model:
    """A `model` record of the row's fields, unsaved; a field the model lacks is named."""
    fields = {name: value for name, value in row.items() if name not in skip}
    unknown = sorted(set(fields) - _writable(model, parent))
    if unknown:
        raise ValidationError(
            f"{model._meta.verbose_name} has no field {', '.join(map(repr, unknown))}"
        )
    if model is Opening and isinstance(fields.get("day"), str):  # "Tuesday", as people write it
        fields["day"] = DAYS.get(fields["day"].lower(), fields["day"])
    for name, value in fields.items():  # TOML keeps the newline before a closing """
        if isinstance(value, str) and isinstance(model._meta.get_field(name), models.TextField):
            fields[name] = value.strip()
    return model(**fields)


def _seed_resources(site: Site) -> None:
    """The site's spaces with their opening hours, partners with their contributions, and
    volunteer roles with their monthly counts; and its limit on a volunteer's hours.

    Every record is checked as a form would check it (`full_clean`, and for a role's months
    the rule the resources page applies, `VolunteerMonth.check_active`). A record already in
    the database (a space or role by its name, a partner by its organisation, a month by its
    role and month, an opening by its day and times, a contribution by its kind, description
    and date) is left as it is, so seeding twice adds nothing. One site's resources are
    saved together or not at all."""
    locality = site.locality
    with transaction.atomic():
        volunteering = site.doc.get("volunteering", {})
        with site.saving("volunteering", volunteering, label=site.slug):
            unknown = sorted(set(volunteering) - {"hours_limit"})
            if unknown:
                raise ValidationError(f"[volunteering] has no field {', '.join(unknown)}")
            if "hours_limit" in volunteering:
                locality.volunteer_hours_limit = volunteering["hours_limit"]
                locality.full_clean()
                locality.save(update_fields=["volunteer_hours_limit"])
        for name, model, name_field, (rows_name, row_model, row_match) in RESOURCES:
            parent = model._meta.get_field("locality").name
            row_parent = next(
                f.name for f in row_model._meta.concrete_fields if f.related_model is model
            )
            for where, spec in tables(site.doc, (name,)):
                with site.saving(where, spec):
                    record = _built(spec, model, parent, {"key", rows_name})
                    record.locality = locality
                    found = model.objects.filter(
                        locality=locality, **{f"{name_field}__iexact": spec[name_field]}
                    ).first()
                    if found is None:
                        record.full_clean()
                        record.save()
                    record = found or record
                site.records[spec["key"]] = record
                rows = []
                for index, row_spec in enumerate(spec.get(rows_name, [])):
                    row_where = f"{where}.{rows_name}[{index}]"
                    label = _row_label(spec, row_spec)
                    with site.saving(row_where, row_spec, label=label):
                        if not isinstance(row_spec, dict):
                            raise ValidationError(f"{rows_name} holds tables, not {row_spec!r}")
                        row = _built(row_spec, row_model, row_parent, set())
                        setattr(row, row_parent, record)
                        row.clean_fields()  # the file's text to times, dates and decimals
                        match = {field: getattr(row, field) for field in row_match}
                        new = not row_model.objects.filter(**{row_parent: record}, **match).exists()
                        if new:
                            row.full_clean()
                    rows.append((row_where, row_spec, label, row, new))
                if model is VolunteerRole:
                    _check_months(site, rows)
                for _where, _spec, _label, row, new in rows:
                    if new:
                        row.save()


def _row_label(spec: dict, row: Any) -> str:
    """A row names its record, and a month its month too: "m-vol-mentor, May 2026"."""
    month = row.get("month") if isinstance(row, dict) else None
    return (
        f"{spec.get('key', '')}, {month:%B %Y}"
        if isinstance(month, datetime.date)
        else (spec.get("key", ""))
    )


def _check_months(site: Site, rows: list[tuple[str, dict, str, Any, bool]]) -> None:
    """The resources page's rule for a role's months, on the file's months: none with more
    active than trained in it plus active the month before (0 if that month is not there)."""
    by_month: dict[datetime.date, VolunteerMonth] = {}
    for row_where, _spec, label, month, _new in rows:
        if month.month in by_month:
            raise site.error(f'{row_where} ("{label}"): month: {month.month:%B %Y} is there twice')
        by_month[month.month] = month
    for row_where, row_spec, label, month, _new in rows:
        before = (month.month - datetime.timedelta(days=1)).replace(day=1)
        previous = by_month.get(before)
        with site.saving(row_where, row_spec, label=label):
            month.check_active(previous.active if previous else 0, f"{before:%B %Y}")
