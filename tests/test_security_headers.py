"""Content-Security-Policy and Permissions-Policy (issue 9).

The policy lets scripts come only from our own static files, so markup that an attacker
slips into a page cannot run. That holds only while our own templates carry no inline
script, no inline event handlers and no htmx attributes that need eval; the scan below
keeps it so. That an injected script is really blocked is shown in a browser, in
tests/browser/test_csp.py.
"""

import json
import re
from html.parser import HTMLParser
from http import HTTPStatus
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.consultations.factories import ConsultationFactory

pytestmark = pytest.mark.django_db

OUR_APPS = ("localities", "consultations", "blueprints")

# Script types a browser runs; any other type (application/json, ...) is data.
JAVASCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}
# Attributes htmx runs as JavaScript (hx-on:*, hx-vars), and values it evaluates when they
# start so.
HTMX_EVAL_ATTRIBUTES = ("hx-on", "data-hx-on", "hx-vars", "data-hx-vars")
HTMX_EVAL_PREFIXES = ("js:", "javascript:")


def parse_csp(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.fixture(params=["dashboard", "login", "admin", "public form"])
def response(request, client_for, editor, reviewer):
    """One page of each kind: a member's page, the login page, an admin page, and the public
    consultation form that anyone with the link reaches."""
    if request.param == "dashboard":
        response = client_for(editor).get(reverse("dashboard"))
    elif request.param == "login":
        response = client_for(None).get(reverse("login"))
    elif request.param == "admin":
        response = client_for(reviewer).get(reverse("admin:blueprints_blueprint_changelist"))
    else:
        consultation = ConsultationFactory()
        response = client_for(None).get(consultation.get_public_url())
    assert response.status_code == HTTPStatus.OK
    return response


def test_scripts_may_come_only_from_our_own_origin(response):
    directives = parse_csp(response.headers["Content-Security-Policy"])
    assert directives["script-src"] == ["'self'"]
    # Neither a fallback nor a finer directive may let inline code or eval back in.
    assert directives["default-src"] == ["'self'"]
    assert not {"script-src-elem", "script-src-attr"} & directives.keys()


def test_plugins_framing_and_a_changed_base_url_are_refused(response):
    directives = parse_csp(response.headers["Content-Security-Policy"])
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    # A <base href> slipped into a page would otherwise turn our script src="/static/..."
    # into someone else's script.
    assert directives["base-uri"] == ["'self'"]


def test_permissions_policy_denies_camera_microphone_location_and_payment(response):
    features = dict(
        item.strip().split("=", 1) for item in response.headers["Permissions-Policy"].split(",")
    )
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()", feature


# The template scan ----------------------------------------------------------------------


def template_dirs() -> list[Path]:
    dirs = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    dirs += [settings.BASE_DIR / app / "templates" for app in OUR_APPS]
    return [d for d in dirs if d.is_dir()]


def template_files() -> list[Path]:
    return sorted(path for d in template_dirs() for path in d.rglob("*.html"))


DJANGO_COMMENT = re.compile(r"{%\s*comment\b.*?%}.*?{%\s*endcomment\s*%}|{#.*?#}", re.DOTALL)
DJANGO_TAG = re.compile(r"{%.*?%}", re.DOTALL)
DJANGO_VARIABLE = re.compile(r"{{.*?}}", re.DOTALL)


def as_html(source: str) -> str:
    """The template as markup an HTML parser can read: Django comments dropped (they never
    reach the browser), tags made blanks (so both branches of an {% if %} inside a start tag
    read as attributes) and variables made a placeholder."""
    source = DJANGO_COMMENT.sub("", source)
    source = DJANGO_TAG.sub(" ", source)
    return DJANGO_VARIABLE.sub("x", source)


class ScriptFinder(HTMLParser):
    """Notes everything in a page that the Content-Security-Policy would block, or that
    htmx could only do with eval."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.htmx_configs: list[str] = []
        self._inline_script = None

    def handle_starttag(self, tag, attrs):
        where = f"line {self.getpos()[0]}: <{tag}>"
        attrs = [(name.lower(), value or "") for name, value in attrs]
        for name, value in attrs:
            if re.fullmatch(r"on[a-z]+", name):
                self.problems.append(f"{where} has an inline handler {name}")
            elif name.startswith(HTMX_EVAL_ATTRIBUTES):
                self.problems.append(f"{where} has {name}, which htmx runs with eval")
            elif name.startswith(("hx-", "data-hx-")) and value.strip().lower().startswith(
                HTMX_EVAL_PREFIXES
            ):
                self.problems.append(f"{where} has {name}={value!r}, which htmx evals")
            elif name in ("hx-trigger", "data-hx-trigger") and "[" in value:
                self.problems.append(f"{where} has a trigger filter {value!r}, which needs eval")
            elif value.strip().lower().startswith("javascript:"):
                self.problems.append(f"{where} has a javascript: URL in {name}")
        attributes = dict(attrs)
        if tag == "script":
            is_code = attributes.get("type", "").strip().lower() in JAVASCRIPT_TYPES
            self._inline_script = [] if is_code and "src" not in attributes else None
        if tag == "meta" and attributes.get("name") == "htmx-config":
            self.htmx_configs.append(attributes.get("content", ""))

    def handle_data(self, data):
        if self._inline_script is not None:
            self._inline_script.append(data)

    def handle_endtag(self, tag):
        if tag == "script":
            if self._inline_script is not None and "".join(self._inline_script).strip():
                self.problems.append(f"line {self.getpos()[0]}: an inline <script> with code")
            self._inline_script = None


def scan(path: Path) -> ScriptFinder:
    finder = ScriptFinder()
    finder.feed(as_html(path.read_text(encoding="utf-8")))
    finder.close()
    return finder


def test_the_scan_finds_inline_script_handlers_and_eval(tmp_path):
    """The scan itself can fail: each thing it looks for, in a template, is reported."""
    template = tmp_path / "bad.html"
    template.write_text(
        "{% load static %}<script>document.title = 'x';</script>"
        '<button type="button" {% if a %}onclick="window.print()"{% endif %}>Print</button>'
        '<div hx-on:click="alert(1)" hx-vals=\'js:{a: 1}\' hx-trigger="keyup[ctrlKey]"></div>'
        '<a href="javascript:void(0)">x</a>'
        '<script type="application/json">{"ok": true}</script>'
        "<script src=\"{% static 'js/app.js' %}\"></script>"
        "{% comment %}<script>not sent to the browser</script>{% endcomment %}"
    )
    assert len(scan(template).problems) == 6


def test_no_template_has_inline_script_or_handlers_or_htmx_eval():
    files = template_files()
    assert any(path.name == "base.html" for path in files)
    problems = [
        f"{path.relative_to(settings.BASE_DIR)} {problem}"
        for path in files
        for problem in scan(path).problems
    ]
    assert not problems, "\n".join(problems)


def test_every_htmx_config_forbids_eval_and_script_tags():
    """htmx reads only the first htmx-config meta on a page, so a page that replaces
    base.html's must repeat the settings that keep htmx within the policy."""
    configs = [
        (path.relative_to(settings.BASE_DIR), json.loads(content))
        for path in template_files()
        for content in scan(path).htmx_configs
    ]
    assert Path("templates/base.html") in {path for path, _ in configs}
    for path, config in configs:
        assert config.get("allowEval") is False, path
        assert config.get("allowScriptTags") is False, path
