import ast
from datetime import date, datetime, time, timedelta
from itertools import product
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from booking.rules import messages, priority, recurrence, slots, tariff
from booking.rules.messages import N_, WEEKDAY_LABELS, Message, format_date_nl, render
from booking.rules.statuses import OrganiserKind, PriorityClass, TariffGroup

RULES_DIR = Path(messages.__file__).parent
# The rules modules whose messages sample_messages() below exercises.
MESSAGE_MODULES = ("messages", "tariff", "priority", "slots", "recurrence", "pricing", "money")
AMS = ZoneInfo("Europe/Amsterdam")


def test_n_is_a_no_op_marker() -> None:
    assert N_("vrij toegankelijk") == "vrij toegankelijk"


def test_render_formats_cents_dates_and_labels_by_name() -> None:
    message = Message(
        "%(what_label)s: %(amount_cents)s tot %(until_date)s (%(count)s keer, %(free)s)",
        {
            "what_label": "bijdrage",
            "amount_cents": 123456,
            "until_date": "2026-12-31",
            "count": 3,
            "free": "vrije tekst",
        },
    )
    assert render(message) == "bijdrage: € 1.234,56 tot 31 december 2026 (3 keer, vrije tekst)"


def test_render_translates_template_and_labels_but_not_free_text() -> None:
    catalog = {"Het huis is dan gesloten: %(reason)s.": "The house is closed then: %(reason)s."}
    message = Message("Het huis is dan gesloten: %(reason)s.", {"reason": "dinsdag"})
    assert render(message, translate=lambda s: catalog.get(s, s)) == (
        "The house is closed then: dinsdag."
    )


def test_render_uses_the_given_money_and_date_formatters() -> None:
    message = Message(
        "%(price_cents)s / %(day_date)s", {"price_cents": 1250, "day_date": "2026-01-02"}
    )
    text = render(message, money=lambda c: f"EUR{c}", long_date=lambda iso: f"<{iso}>")
    assert text == "EUR1250 / <2026-01-02>"


def test_message_without_params_renders_as_is() -> None:
    assert render(Message("geen lidmaatschap")) == "geen lidmaatschap"


def test_message_is_immutable_and_hashable() -> None:
    params = {"a_cents": 1}
    message = Message("%(a_cents)s", params)
    params["a_cents"] = 2
    assert message.params == {"a_cents": 1}
    with pytest.raises(TypeError):
        message.params["a_cents"] = 3  # type: ignore[index]
    assert message == Message("%(a_cents)s", {"a_cents": 1})
    assert len({message, Message("%(a_cents)s", {"a_cents": 1})}) == 1


def test_message_params_must_be_int_or_str() -> None:
    with pytest.raises(TypeError):
        Message("%(x)s", {"x": 1.5})  # type: ignore[dict-item]


@pytest.mark.parametrize(
    ("iso", "text"),
    [("2026-12-31", "31 december 2026"), ("2027-03-01", "1 maart 2027")],
)
def test_format_date_nl(iso: str, text: str) -> None:
    assert format_date_nl(iso) == text


def test_weekday_labels_follow_python_weekday_numbers() -> None:
    assert WEEKDAY_LABELS[date(2026, 10, 29).weekday()] == "donderdag"
    assert len(WEEKDAY_LABELS) == 7


# --- every message the rules produce can be extracted by pybabel -k N_ ----------------------


def marked_msgids() -> set[str]:
    """The literals pybabel would extract with ``-k N_`` from booking/rules."""
    found: set[str] = set()
    for name in MESSAGE_MODULES:
        path = RULES_DIR / f"{name}.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "N_"
                and isinstance(node.args[0], ast.Constant)
            ):
                found.add(node.args[0].value)
    return found


def sample_messages() -> list[Message]:
    """At least one message of every kind the rules can return."""
    produced: list[Message] = []
    for kind, contribution, *flags in product(OrganiserKind, (100, 400), *[(False, True)] * 6):
        activity = tariff.Activity(kind, *flags[:2], contribution, *flags[2:])
        produced += tariff.decide_tariff(activity, 300).reasons
    produced += [tariff.describe_group(g) for g in TariffGroup]
    produced += [tariff.describe_class(c) for c in PriorityClass]
    produced.append(priority.displacement_reason(PriorityClass(1), PriorityClass(3)))
    produced += slot_messages()
    produced += recurrence_messages()
    return produced


def slot_messages() -> list[Message]:
    monday = datetime(2026, 6, 8, tzinfo=AMS)
    check = {
        "opening": [slots.OpeningPeriod(0, time(9), time(17))],
        "closures": [slots.Closure(monday, monday + timedelta(days=7), "vakantie")],
        "now": monday + timedelta(days=1),
    }
    cases = [
        (monday.replace(hour=10, minute=5), monday.replace(hour=23, minute=1), slots.SlotLimits()),
        (monday.replace(hour=10), monday.replace(hour=10, minute=15), slots.SlotLimits(30, 90)),
        (monday.replace(hour=10), monday.replace(hour=14), slots.SlotLimits(30, 90)),
        (monday.replace(hour=10), monday.replace(hour=9), slots.SlotLimits()),
        (
            monday + timedelta(days=1, hours=10),
            monday + timedelta(days=1, hours=11),
            slots.SlotLimits(),
        ),
        (monday.replace(hour=20), monday + timedelta(days=1, hours=1), slots.SlotLimits()),
    ]
    produced: list[Message] = []
    for start, end, limits in cases:
        produced += slots.check_slot(start, end, limits=limits, **check)
    return produced


def recurrence_messages() -> list[Message]:
    start = datetime(2026, 9, 8, 19, tzinfo=AMS)
    end = start + timedelta(hours=1)
    produced = [
        recurrence.describe(recurrence.Recurrence(freq, interval, date(2026, 12, 31)), day)
        for freq in recurrence.Frequency
        for interval in (1, 2)
        for day in (start + timedelta(days=d) for d in range(35))
    ]
    bad_rules = [
        (recurrence.Recurrence("weekly", 0, date(2026, 12, 31)), 366),
        (recurrence.Recurrence("weekly", 1, date(2026, 9, 1)), 366),
        (recurrence.Recurrence("weekly", 1, date(2030, 1, 1)), 366),
        (recurrence.Recurrence("weekly", 1, date(2035, 1, 1)), 4000),
    ]
    for rule, days in bad_rules:
        with pytest.raises(recurrence.RecurrenceError) as raised:
            recurrence.expand(start, end, rule, today=date(2026, 9, 1), max_days_ahead=days)
        produced.append(raised.value.message)
    return produced


def test_every_template_and_label_is_marked_for_extraction() -> None:
    msgids = marked_msgids()
    produced = sample_messages()
    templates = {message.template for message in produced}
    assert templates <= msgids
    labels = {
        value
        for message in produced
        for name, value in message.params.items()
        if name.endswith("_label")
    }
    assert labels <= msgids
    assert msgids == templates | labels, "a marked msgid that no rule produces"


def test_every_produced_message_renders_without_missing_params() -> None:
    for message in sample_messages():
        text = render(message)
        assert "%(" not in text
        assert text.strip() == text and text


def test_every_marked_msgid_is_a_valid_python_format_string() -> None:
    for msgid in marked_msgids():
        names = {part.split(")")[0] for part in msgid.split("%(")[1:]}
        assert msgid % dict.fromkeys(names, "x")
