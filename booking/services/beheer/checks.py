"""Pure checks shared by the beheer use cases: lengths, ranges and quarter-hour periods.

No database here, so each rule can be tested on its own; every problem is a rules
`Message` the edge translates.
"""

from __future__ import annotations

from datetime import time

from booking.rules.messages import N_, WEEKDAY_LABELS, Message
from booking.rules.slots import GRID_MINUTES

GROUPS = ("T1", "T2", "T3", "T4")
TEXT_MAX = 200


def on_grid(moment: time) -> bool:
    return moment.minute % GRID_MINUTES == 0 and moment.second == 0 and moment.microsecond == 0


def period_problems(weekday: int, opens: time, closes: time) -> list[Message]:
    """Problems of one opening period or voorrangsblok on a weekday (0 = Monday)."""
    if not 0 <= weekday <= 6:
        return [Message(N_("Kies een dag van de week."))]
    label = {"weekday_label": WEEKDAY_LABELS[weekday]}
    problems = []
    if not (on_grid(opens) and on_grid(closes)):
        problems.append(
            Message(
                N_("%(weekday_label)s: tijden vallen op een heel kwartier (%(example)s)."),
                {**label, "example": "09:00, 09:15, 09:30, 09:45"},
            )
        )
    if opens >= closes:
        problems.append(
            Message(N_("%(weekday_label)s: de eindtijd moet na de begintijd liggen."), label)
        )
    return problems


def too_long(value: str, maximum: int) -> list[Message]:
    if len(value) <= maximum:
        return []
    return [Message(N_("Een tekst is te lang (hoogstens %(max)s tekens)."), {"max": maximum})]


def range_problem(value: int | None, low: int, high: int, what: str) -> list[Message]:
    """`what` is a Dutch msgid marked with N_; None (not given) is always fine."""
    if value is None or low <= value <= high:
        return []
    return [
        Message(
            N_("%(what_label)s moet tussen %(low)s en %(high)s liggen."),
            {"what_label": what, "low": low, "high": high},
        )
    ]
