"""Rules for the text people type, kept in one place: the models of every app name these
validators on their text fields, and every app's forms take `TextHygieneMixin`.

Two kinds of text get refused, each with a message next to its field:

- A lone surrogate (a code point from U+D800 to U+DFFF on its own) is not text: it cannot
  be encoded as UTF-8, so saving it to PostgreSQL, or showing it back on a page, fails with
  a 500. An ordinary post cannot carry one (Django decodes UTF-8 with errors replaced,
  and refuses form-encoded bodies in any other charset), but a JSON file can, and so can
  a multipart body or a query string sent with another charset: declared
  ``charset=utf-7``, ``+2AA-`` decodes to U+D800.
- A line break or other control character in a one-line field (a title, a name) breaks
  whatever uses it as a line: an email subject holding one raises BadHeaderError, so no
  one is told about a review of a blueprint so titled. Fields written on several lines
  (descriptions, details, comments) keep their line breaks.

The NUL character is left to Django: every form CharField already refuses it
(ProhibitNullCharactersValidator), and the JSON import checks it itself; repeating the
check here would show two messages for one character.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import pretty_name

LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 controls but NUL (tab, line feed, carriage return, escape, ...), DEL, the C1
# controls (NEL among them), and the Unicode line and paragraph separators: everything
# str.splitlines() breaks on, and the invisible controls around it.
CONTROL_CHARACTER = re.compile("[\x01-\x1f\x7f-\x9f\u2028\u2029]")

LONE_SURROGATE_MESSAGE = (
    "This holds a character that is not valid text (a lone surrogate), so it cannot be "
    "saved. Type or paste the text again."
)
NOT_ONE_LINE_MESSAGE = (
    "Keep this to one line: remove the line break, tab or other control character."
)
REPLACEMENT_CHARACTER = "\ufffd"
# Said at the field when text is over its limit; the words for the field come from its label.
TOO_LONG_MESSAGE = "Keep {what} to %(limit_value)d characters; it has %(show_value)d."
# Labels that read as a question or an instruction ("In your words", "Who proposed it?"),
# not as a thing to call "the ...": the message says "this" for them.
NOT_A_NOUN = frozenset(
    [
        "who",
        "what",
        "why",
        "how",
        "where",
        "when",
        "which",
        "anything",
        "in",
        "on",
        "at",
        "for",
        "to",
        "from",
        "with",
        "your",
        "our",
        "my",
        "is",
        "are",
        "does",
        "do",
        "did",
        "can",
        "tell",
        "leave",
        "give",
    ]
)


def has_lone_surrogate(value: str) -> bool:
    return LONE_SURROGATE.search(value) is not None


def has_control_character(value: str) -> bool:
    return CONTROL_CHARACTER.search(value) is not None


def validate_text(value) -> None:
    """Refuse text holding a lone surrogate. For every field a person types into."""
    if isinstance(value, str) and has_lone_surrogate(value):
        raise ValidationError(LONE_SURROGATE_MESSAGE, code="lone_surrogate")


def validate_single_line(value) -> None:
    """Refuse what `validate_text` refuses, and line breaks and other control characters.
    For titles and names: text that is shown, and sent, as one line."""
    validate_text(value)
    if isinstance(value, str) and has_control_character(value):
        raise ValidationError(NOT_ONE_LINE_MESSAGE, code="not_one_line")


def _what(label) -> str:
    """ "the title" for a short label such as "Title"; "this" for a question or a long one."""
    label = str(label or "").strip()
    words = label.split()
    if not words or len(words) > 3 or "?" in label or words[0].lower() in NOT_A_NOUN:
        return "this"
    if not label[:2].isupper():  # keep "PDF title" as it is; "Title" becomes "title"
        label = label[0].lower() + label[1:]
    return "the " + label.replace("%", "%%")


def show_length_limit(field: forms.Field, name: str = "") -> None:
    """Let a text field with a limit be typed past it, and refuse the text with a message.

    Django draws `maxlength` on the input, and the browser then silently stops typing at the
    limit and cuts what is pasted. It becomes `data-max-length`, which static/js/length-
    counter.js turns into a live count; the server refuses longer text with a message that
    names the limit and the length ("Keep the title to 120 characters; it has 134."), unless
    the form has its own words for it.
    """
    if not isinstance(field, forms.CharField) or field.max_length is None:
        return
    if field.widget.is_hidden:
        return
    field.widget.attrs.pop("maxlength", None)
    field.widget.attrs["data-max-length"] = str(field.max_length)
    label = field.label if field.label is not None else pretty_name(name)
    field.error_messages.setdefault("max_length", TOO_LONG_MESSAGE.format(what=_what(label)))


def _replace_surrogates(value):
    if isinstance(value, str):
        return LONE_SURROGATE.sub(REPLACEMENT_CHARACTER, value)
    return value


class TextHygieneMixin:
    """For every form of the app (`class SomeForm(TextHygieneMixin, forms.Form)`):

    - every CharField refuses lone surrogates, and every one drawn as a one-line input
      (``<input>``, not ``<textarea>``) refuses control characters too, as the model
      validators do, so a plain form refuses what the model would;
    - a submitted value holding a lone surrogate is an error next to its field, and is kept
      in the form's data with U+FFFD in place of the surrogate. The page that shows the
      form again, and any message quoting the value ("x is not one of the choices"),
      would otherwise fail to encode and answer 500;
    - every CharField with a limit shows it as a live count and is refused past it with a
      message, never cut by the browser (`show_length_limit`).

    The rules are applied once the form is made and again before it is cleaned, so fields
    a subclass adds in its own ``__init__`` (the public form's one per idea) get them too.
    """

    def __init__(self, *args, **kwargs) -> None:
        self.fields_with_lone_surrogates: list[str] = []
        self._text_rules_applied: set[str] = set()
        super().__init__(*args, **kwargs)
        self._apply_text_rules()

    def full_clean(self) -> None:
        self._apply_text_rules()
        super().full_clean()
        if self.is_bound and hasattr(self, "cleaned_data"):
            for name in self.fields_with_lone_surrogates:
                if name in self.fields:
                    self.add_error(
                        name, ValidationError(LONE_SURROGATE_MESSAGE, code="lone_surrogate")
                    )

    def _apply_text_rules(self) -> None:
        new = [name for name in self.fields if name not in self._text_rules_applied]
        for name in new:
            field = self.fields[name]
            if isinstance(field, forms.CharField):
                one_line = isinstance(field.widget, forms.widgets.Input)
                field.validators.append(validate_single_line if one_line else validate_text)
                show_length_limit(field, name)
            self._text_rules_applied.add(name)
        if self.is_bound and new:
            self.data = self._without_lone_surrogates(self.data, new)

    def _without_lone_surrogates(self, data: Mapping, names: list[str]) -> Mapping:
        """`data`, or a copy with each surrogate in these fields' values replaced (and the
        field noted); read field by field, so a formset's rows do not each scan the post."""
        copied = None
        for name in names:
            key = self.add_prefix(name)
            if key not in data:
                continue
            if hasattr(data, "getlist"):  # a QueryDict, as a request gives
                values = data.getlist(key)
            else:  # a plain dict, as code and tests give
                value = data[key]
                values = list(value) if isinstance(value, (list, tuple)) else [value]
            if not any(isinstance(v, str) and has_lone_surrogate(v) for v in values):
                continue
            if copied is None:
                copied = data.copy()
            cleaned = [_replace_surrogates(v) for v in values]
            if hasattr(copied, "setlist"):
                copied.setlist(key, cleaned)
            else:
                copied[key] = cleaned if isinstance(data[key], (list, tuple)) else cleaned[0]
            self.fields_with_lone_surrogates.append(name)
        return data if copied is None else copied
