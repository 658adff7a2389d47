"""Names and number formats of the statistics, shared by the pages and the CSV exports.

One place for the words means the CSV says exactly what the screen says; one place for
the numbers means a suppressed cell ("<5", "x") is passed through untouched wherever a
count would be formatted.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from flask_babel import format_decimal
from flask_babel import gettext as _

from booking.i18n import euro, fmt_date, weekday_name
from booking.rules.periods import Period
from booking.rules.publication import ShownVisitors
from booking.rules.reach_counts import (
    AREA_ELSEWHERE,
    AREA_NO_ANSWER,
    CARD,
    PHONE,
    TOTAL,
    UNKNOWN,
    UNKNOWN_HOUR,
)
from booking.rules.suppression import Cell
from booking.rules.visit_vocabulary import AgeGroup, Channel


def channel_label(channel: str) -> str:
    labels = {
        Channel.qr: _("QR-code met de telefoon"),
        Channel.tablet: _("Tablet ('Ik ben er')"),
        Channel.tally: _("Geteld door gastvrouw of gastheer"),
        Channel.poster: _("Poster met QR-code"),
        Channel.kaart: _("Bezoekerskaart"),
    }
    return labels.get(channel, channel)


def channel_short_label(channel: str) -> str:
    """For narrow column heads (the comparison of houses)."""
    labels = {
        Channel.qr: _("QR-code"),
        Channel.tablet: _("Tablet"),
        Channel.tally: _("Geteld"),
        Channel.poster: _("Poster"),
        Channel.kaart: _("Kaart"),
    }
    return labels.get(channel, channel)


def area_label(key: str) -> str:
    labels = {
        AREA_ELSEWHERE: _("elders"),
        AREA_NO_ANSWER: _("zeg ik liever niet"),
        UNKNOWN: _("onbekend (niet beantwoord)"),
    }
    return labels.get(key, key)


def age_label(key: str) -> str:
    labels = {
        AgeGroup.tot_18: _("0 tot 18 jaar"),
        AgeGroup.van_18_tot_30: _("18 tot 30 jaar"),
        AgeGroup.van_30_tot_50: _("30 tot 50 jaar"),
        AgeGroup.van_50_tot_67: _("50 tot 67 jaar"),
        AgeGroup.vanaf_67: _("67 jaar en ouder"),
        AgeGroup.geen_antwoord: _("zeg ik liever niet"),
        UNKNOWN: _("onbekend (niet beantwoord)"),
    }
    return labels.get(key, key)


def hour_label(hour: int) -> str:
    if hour == UNKNOWN_HOUR:
        return _("uur onbekend (oudere gegevens)")
    return f"{hour:02d}:00–{(hour + 1) % 24:02d}:00"


def short_hour_label(hour: int) -> str:
    return _("onbekend") if hour == UNKNOWN_HOUR else f"{hour:02d}"


def day_label(day: date) -> str:
    return fmt_date(day, "EEE d MMM y")


def week_label(monday: date) -> str:
    return _("week van %(day)s", day=fmt_date(monday, "d MMM y"))


def period_label(period: Period) -> str:
    if period.first == period.last:
        return fmt_date(period.first, "d MMMM y")
    return _(
        "%(first)s tot en met %(last)s",
        first=fmt_date(period.first, "d MMMM y"),
        last=fmt_date(period.last, "d MMMM y"),
    )


def weekday_label(weekday: int) -> str:
    return weekday_name(weekday)


def number(value: Cell | None) -> str:
    """A count in the Dutch way (1.234); a suppressed cell as it is; None as a dash."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return format_decimal(value)


def percent(share: Fraction | None) -> str:
    """A share rounded to whole percents ("45 %"); a dash when there is nothing to share."""
    if share is None:
        return "—"
    return f"{format_decimal(whole_percent(share))} %"


def whole_percent(share: Fraction) -> int:
    """Rounded half up; shares are never negative."""
    return int(share * 100 + Fraction(1, 2))


def hours(seconds: int) -> str:
    """Booked hours with at most one decimal: 12,5."""
    value = (Decimal(seconds) / 3600).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return format_decimal(value, format="#,##0.#")


def money(cents: int | None) -> str:
    return "—" if cents is None else euro(cents)


COUNTED = "geteld"
SELF_REPORTED = "zelf_opgegeven"


def kind_label(kind: str) -> str:
    """Which kind a figure is: counted by the system, or answered by the visitor."""
    return _("zelf opgegeven") if kind == SELF_REPORTED else _("geteld")


def visitor_rows(shown: ShownVisitors) -> list[tuple[str, Cell]]:
    """The visitor figures in the order of the page and the CSV, with their names."""
    return [
        (_("Unieke bezoekers met een telefoon"), shown.distinct[PHONE]),
        (_("Unieke bezoekers met een bezoekerskaart"), shown.distinct[CARD]),
        (_("Terugkerende bezoekers met een telefoon"), shown.returning[PHONE]),
        (_("Terugkerende bezoekers met een bezoekerskaart"), shown.returning[CARD]),
        (_("Terugkerende bezoekers samen"), shown.returning[TOTAL]),
        (_("Nieuw dit jaar met een telefoon"), shown.new[PHONE]),
        (_("Nieuw dit jaar met een bezoekerskaart"), shown.new[CARD]),
        (_("Nieuw dit jaar samen"), shown.new[TOTAL]),
    ]


def visitor_column_names() -> list[str]:
    """The short column heads of the visitor figures in a table of houses."""
    return [_("Unieke telefoons"), _("Unieke kaarten"), _("Terugkerend"), _("Nieuw dit jaar")]


def visitor_columns(shown: ShownVisitors) -> list[tuple[str, Cell]]:
    """The short columns of a table of houses (comparison, rendement)."""
    cells = [shown.distinct[PHONE], shown.distinct[CARD], shown.returning[TOTAL], shown.new[TOTAL]]
    return list(zip(visitor_column_names(), cells, strict=True))
