"""The six breakdowns of a house's reach page, each a chart with the table of its cells.

Built from published figures only (`ShownReach`), so a chart draws exactly what the
table beside it and the CSV show.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask_babel import gettext as _

from booking.rules.publication import ShownReach
from booking.rules.reach_counts import UNKNOWN_HOUR
from booking.rules.suppression import Cell
from booking.services.reach import area_infos
from booking.stats import charts, labels


def shown_hours(shown: ShownReach) -> list[int]:
    """Hours from the first to the last that has visits; the unknown hour when present."""
    busy = [h for h in range(24) if shown.by_hour[h] != 0]
    hours = list(range(busy[0], busy[-1] + 1)) if busy else []
    return hours + ([UNKNOWN_HOUR] if len(shown.by_hour) > 24 else [])


def _area_namer() -> Callable[[str], str]:
    """An area's name, with "(kwetsbare wijk)" or "(kwetsbare kern)" where it is one."""
    infos = {a.key: a for a in area_infos()}

    def area_name(key: str) -> str:
        info = infos.get(key)
        if info is not None and info.vulnerable:
            kind = _("kwetsbare wijk") if info.kind == "wijk" else _("kwetsbare kern")
            return f"{key} ({kind})"
        return labels.area_label(key)

    return area_name


def breakdowns(shown: ShownReach) -> list[charts.Breakdown]:
    described = _(
        "Staafdiagram; elke staaf draagt haar getal. Dezelfde getallen staan in de tabel ernaast."
    )
    area_name = _area_namer()
    trend_label: Callable[[date], str] = labels.week_label if shown.weekly else labels.day_label
    parts: list[tuple[str, str, str, list[tuple[str, Cell]]]] = [
        (
            "kanaal",
            _("Bezoeken per kanaal"),
            _("Kanaal"),
            [(labels.channel_label(k), v) for k, v in shown.by_channel.items()],
        ),
        (
            "wijk",
            _("Bezoeken per wijk of kern"),
            _("Wijk of kern"),
            [(area_name(k), v) for k, v in shown.by_area.items()],
        ),
        (
            "leeftijd",
            _("Bezoeken per leeftijdsgroep"),
            _("Leeftijd"),
            [(labels.age_label(k), v) for k, v in shown.by_age.items()],
        ),
        (
            "weekdag",
            _("Bezoeken per weekdag"),
            _("Weekdag"),
            [(labels.weekday_label(w), v) for w, v in enumerate(shown.by_weekday)],
        ),
        (
            "uur",
            _("Bezoeken per uur van de dag"),
            _("Uur"),
            [(labels.hour_label(h), shown.by_hour[h]) for h in shown_hours(shown)],
        ),
        (
            "verloop",
            _("Verloop per week") if shown.weekly else _("Verloop per dag"),
            _("Week") if shown.weekly else _("Dag"),
            [(trend_label(d), v) for d, v in shown.trend],
        ),
    ]
    return [
        charts.breakdown(section, title, category, rows, labels.number, described)
        for section, title, category, rows in parts
    ]
