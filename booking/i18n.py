"""Dutch first: locale choice, and Dutch formatting of money and times at the edge.

Message ids are written in Dutch, so the default interface never depends on a compiled
catalogue; English (and, for the kiosk, Turkish, Arabic and Polish) come from catalogues.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import get_day_names
from flask import Flask, current_app, request, session
from flask_babel import format_currency, format_date, format_datetime, get_locale
from flask_babel import gettext as _
from flask_login import current_user

from booking.extensions import babel
from booking.rules.audit import ACTION_LABELS, OBJECT_LABELS, AuditAction, AuditObject
from booking.rules.messages import N_, Message, decode_reason, render
from booking.rules.tariff import describe_class, describe_group
from booking.urls import public_url

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
LANGUAGE_NAMES = {
    "nl": "Nederlands",
    "en": "English",
    "tr": "Türkçe",
    "ar": "العربية",
    "pl": "Polski",
}
RTL_LANGUAGES = frozenset({"ar"})


def available_languages() -> tuple[str, ...]:
    """The kiosk and phone pages speak more languages than the rest of the product."""
    if request and (request.blueprint or "") == "kiosk":
        return tuple(current_app.config["KIOSK_LANGUAGES"])
    return tuple(current_app.config["LANGUAGES"])


def select_locale() -> str:
    languages = available_languages()
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return request.accept_languages.best_match(languages) or "nl"


def euro(cents: int | None) -> str:
    """'€ 12,50' in Dutch, '€12.50' in English: money is cents, never a float."""
    if cents is None:
        return ""
    return format_currency(Decimal(cents) / 100, "EUR")


def local(dt: datetime) -> datetime:
    return dt.astimezone(AMSTERDAM)


def fmt_datetime(dt: datetime | None, fmt: str = "EEEE d MMMM y HH:mm") -> str:
    return "" if dt is None else format_datetime(local(dt), fmt, rebase=False)


def fmt_date(d: date | datetime | None, fmt: str = "EEEE d MMMM y") -> str:
    if d is None:
        return ""
    if isinstance(d, datetime):
        d = local(d).date()
    return format_date(d, fmt)


def local_iso(dt: datetime) -> str:
    """'2026-12-03T10:00' in Amsterdam wall time, for links and form values."""
    t = local(dt)
    return f"{t.year:04d}-{t.month:02d}-{t.day:02d}T{t.hour:02d}:{t.minute:02d}"


def fmt_time(dt: datetime | None) -> str:
    """HH:MM in Amsterdam wall time. The pattern is the same digits in every language we
    speak (Babel gives '09:05' for nl, en, tr, ar and pl), so plain formatting gives the
    same text at a tenth of the cost: calendars and agendas print hundreds per page."""
    if dt is None:
        return ""
    t = local(dt)
    return f"{t.hour:02d}:{t.minute:02d}"


def weekday_name(weekday: int) -> str:
    """0 = Monday, in the current language ('maandag')."""
    return get_day_names("wide", locale=get_locale())[weekday]


ROLE_LABELS = {
    "initiatiefnemer": N_("Initiatiefnemer"),
    "gastheer": N_("Gastvrouw of gastheer"),
    "sociaal_beheerder": N_("Sociaal beheerder"),
    "beheerder": N_("Beheerder"),
    "gemeente": N_("Gemeente"),
}

STATUS_LABELS = {
    "aangevraagd": N_("aangevraagd"),
    "onder_voorbehoud": N_("onder voorbehoud"),
    "bevestigd": N_("bevestigd"),
    "geannuleerd": N_("geannuleerd"),
    "verdrongen": N_("verdrongen"),
    "afgewezen": N_("afgewezen"),
}
"""Marked for extraction and translated one at a time: a calendar asks for hundreds."""


def role_label(role: str) -> str:
    return _(ROLE_LABELS[role]) if role in ROLE_LABELS else role


def status_label(status: str) -> str:
    return _(STATUS_LABELS[status]) if status in STATUS_LABELS else status


def audit_action_label(action: str) -> str:
    """The logboek's Dutch words for a stored action; an unknown one shows as it is."""
    try:
        return _(ACTION_LABELS[AuditAction(action)])
    except ValueError:
        return action


def audit_object_label(object_type: str) -> str:
    try:
        return _(OBJECT_LABELS[AuditObject(object_type)])
    except ValueError:
        return object_type


def say(message: Message) -> str:
    """A rules Message as text in the current language, with Dutch money and dates."""
    return render(
        message,
        translate=_,
        money=euro,
        long_date=lambda iso: format_date(date.fromisoformat(iso), "d MMMM y"),
    )


def reason_text(stored: str) -> str:
    """A stored status reason, translated when it came from the rules."""
    reason = decode_reason(stored)
    if reason is None:
        return ""
    return reason if isinstance(reason, str) else say(reason)


def text_direction() -> str:
    return "rtl" if str(get_locale()) in RTL_LANGUAGES else "ltr"


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, default_timezone="Europe/Amsterdam")
    app.jinja_env.filters.update(
        euro=euro, datetime=fmt_datetime, date=fmt_date, time=fmt_time, local_iso=local_iso
    )
    app.jinja_env.globals.update(
        weekday_name=weekday_name,
        role_label=role_label,
        status_label=status_label,
        say=say,
        reason_text=reason_text,
        public_url=public_url,
        describe_group=describe_group,
        describe_class=describe_class,
    )

    @app.context_processor
    def _language_context() -> dict[str, object]:
        return {
            "current_language": str(get_locale()),
            "languages": [(code, LANGUAGE_NAMES[code]) for code in available_languages()],
            "text_direction": text_direction(),
        }
