"""User-facing messages of the rules, kept as untranslated Dutch gettext msgids.

The rules must stay free of Flask-Babel, yet every reason a booker sees has to be
translatable. A Message therefore carries a Dutch msgid (marked with ``N_`` so that
``pybabel extract -k N_`` finds it) plus its params; the web layer translates and formats.

Param names tell any renderer how to show a value without knowing the message:

- ``*_cents``: an int amount in euro cents, shown as money ("€ 12,50").
- ``*_date``: an ISO date "YYYY-MM-DD", shown as a long date ("31 december 2026").
- ``*_label``: a Dutch msgid itself (also marked with ``N_``), translated like the template.
- anything else is shown as it is.
"""

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from booking.rules.money import format_euro


def N_(s: str) -> str:
    """Mark a msgid for extraction without translating it here (no locale in the rules)."""
    return s


ParamValue = int | str

WEEKDAY_LABELS: tuple[str, ...] = (
    N_("maandag"),
    N_("dinsdag"),
    N_("woensdag"),
    N_("donderdag"),
    N_("vrijdag"),
    N_("zaterdag"),
    N_("zondag"),
)
"""Dutch weekday names indexed like ``date.weekday()`` (0 = Monday), usable as ``*_label``."""

_MONTHS_NL = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


@dataclass(frozen=True)
class Message:
    """A reason or problem for the user, still in msgid form so each request can translate it."""

    template: str
    params: Mapping[str, ParamValue] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name, value in self.params.items():
            if not isinstance(value, int | str):
                raise TypeError(f"param {name!r} must be int or str, got {value!r}")
        # A private read-only copy: a frozen message must not change behind our back.
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    def __hash__(self) -> int:
        return hash((self.template, tuple(sorted(self.params.items()))))


def format_date_nl(iso_date: str) -> str:
    """Fallback long date in Dutch ("31 december 2026") when Babel is not at hand."""
    day = date.fromisoformat(iso_date)
    return f"{day.day} {_MONTHS_NL[day.month - 1]} {day.year}"


def _identity(text: str) -> str:
    return text


def _format_param(
    name: str,
    value: ParamValue,
    translate: Callable[[str], str],
    money: Callable[[int], str],
    long_date: Callable[[str], str],
) -> ParamValue:
    """Apply the naming convention of the module docstring to one param."""
    if name.endswith("_cents") and isinstance(value, int):
        return money(value)
    if name.endswith("_date") and isinstance(value, str):
        return long_date(value)
    if name.endswith("_label") and isinstance(value, str):
        return translate(value)
    return value


def render(
    msg: Message,
    translate: Callable[[str], str] = _identity,
    money: Callable[[int], str] = format_euro,
    long_date: Callable[[str], str] = format_date_nl,
) -> str:
    """Turn a message into final text; the web layer passes gettext and Babel formatters."""
    params = {
        name: _format_param(name, value, translate, money, long_date)
        for name, value in msg.params.items()
    }
    return translate(msg.template) % params


def encode_reason(message: Message) -> str:
    """Store a reason as JSON, so each later reader sees it in their own language."""
    return json.dumps(
        {"template": message.template, "params": dict(message.params)}, ensure_ascii=False
    )


TEXT_REASON_PREFIX = '{"text": '
"""How every stored typed reason begins, so a query can find them (the retention job)."""


def encode_text_reason(text: str) -> str:
    """Store a reason a person typed (a beheerder's note), shown as it was written."""
    return json.dumps({"text": text}, ensure_ascii=False)


def decode_reason(stored: str) -> Message | str | None:
    if not stored:
        return None
    try:
        data = json.loads(stored)
    except ValueError:
        return stored
    if not isinstance(data, dict):
        return stored
    if "template" in data:
        return Message(data["template"], data.get("params", {}))
    return str(data.get("text", ""))
