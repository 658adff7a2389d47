"""The decision table of DESIGN section 5: activity questionnaire -> tariff group and class.

One table, first match wins, so the booker, the beheerder and the municipality can all
trace a price back to the row that produced it. Every decision carries its reasons in
plain Dutch so the booker sees *why* before confirming.
"""

from collections.abc import Callable
from dataclasses import dataclass

from booking.rules.messages import N_, Message
from booking.rules.statuses import OrganiserKind, PriorityClass, TariffGroup


@dataclass(frozen=True)
class Activity:
    """The booker's answers to the activity questionnaire (DESIGN section 5)."""

    organiser_kind: OrganiserKind
    open_to_all: bool
    membership_required: bool
    contribution_cents: int
    profit_making: bool
    subsidised: bool
    mainly_meeting: bool
    gives_in_return: bool

    def __post_init__(self) -> None:
        cents = self.contribution_cents
        if not isinstance(cents, int) or isinstance(cents, bool) or cents < 0:
            raise ValueError("contribution_cents must be a non-negative integer")
        object.__setattr__(self, "organiser_kind", OrganiserKind(self.organiser_kind))


@dataclass(frozen=True)
class TariffDecision:
    """The outcome of one row of the table, with the facts that made that row match."""

    tariff_group: TariffGroup
    priority_class: PriorityClass
    rule: int
    reasons: tuple[Message, ...]


_GROUP_DESCRIPTIONS = {
    TariffGroup.T1: N_("T1 bewonersinitiatief (gratis)"),
    TariffGroup.T2: N_("T2 maatschappelijk"),
    TariffGroup.T3: N_("T3 regulier"),
    TariffGroup.T4: N_("T4 commercieel"),
}

_CLASS_LABELS = {
    PriorityClass.DOOR_EN_VOOR_BEWONERS: N_("door en voor bewoners"),
    PriorityClass.MAATSCHAPPELIJK: N_("maatschappelijk"),
    PriorityClass.REGULIER: N_("regulier"),
    PriorityClass.COMMERCIEEL: N_("commercieel"),
}


def describe_group(group: TariffGroup) -> Message:
    """Name a tariff group the way the price list and invoices do."""
    return Message(_GROUP_DESCRIPTIONS[TariffGroup(group)])


def class_label(cls: PriorityClass) -> str:
    """The short Dutch name of a priority class, as a msgid for ``*_label`` params."""
    return _CLASS_LABELS[PriorityClass(cls)]


def describe_class(cls: PriorityClass) -> Message:
    """Name a priority class with its number, which is what the API and exports show."""
    cls = PriorityClass(cls)
    return Message(
        N_("Voorrangsklasse %(number)s: %(class_label)s"),
        {"number": int(cls), "class_label": class_label(cls)},
    )


# --- facts that show up as reasons -------------------------------------------------------


def _contribution_within_cap(activity: Activity, cap_cents: int) -> Message:
    return Message(
        N_("eigen bijdrage %(contribution_cents)s ≤ %(cap_cents)s"),
        {"contribution_cents": activity.contribution_cents, "cap_cents": cap_cents},
    )


def _contribution_above_cap(activity: Activity, cap_cents: int) -> Message:
    return Message(
        N_("eigen bijdrage %(contribution_cents)s is meer dan %(cap_cents)s"),
        {"contribution_cents": activity.contribution_cents, "cap_cents": cap_cents},
    )


def _is_residents_initiative(activity: Activity, cap_cents: int) -> bool:
    """Rows 3 and 4: door-en-voor-bewoners, whether or not it is subsidised."""
    return (
        activity.organiser_kind is OrganiserKind.bewoners
        and activity.open_to_all
        and activity.contribution_cents <= cap_cents
        and activity.mainly_meeting
    )


def _residents_facts(activity: Activity, cap_cents: int) -> tuple[Message, ...]:
    """Membership and profit are listed because rows 1 and 2 already ruled them out."""
    return (
        Message(N_("door en voor bewoners")),
        Message(N_("vrij toegankelijk")),
        Message(N_("geen lidmaatschap")),
        _contribution_within_cap(activity, cap_cents),
        Message(N_("vooral gericht op ontmoeting")),
    )


# --- the rows, in table order ------------------------------------------------------------

Row = Callable[[Activity, int], TariffDecision | None]


def _row_1_commercial(activity: Activity, cap_cents: int) -> TariffDecision | None:
    reasons = []
    if activity.profit_making:
        reasons.append(Message(N_("winstgevende activiteit")))
    if activity.organiser_kind is OrganiserKind.commercieel:
        reasons.append(Message(N_("commerciële organisator")))
    if not reasons:
        return None
    return TariffDecision(TariffGroup.T4, PriorityClass.COMMERCIEEL, 1, tuple(reasons))


def _row_2_membership(activity: Activity, cap_cents: int) -> TariffDecision | None:
    reasons = []
    if activity.membership_required:
        reasons.append(Message(N_("lidmaatschap vereist")))
    if activity.organiser_kind is OrganiserKind.vereniging:
        reasons.append(Message(N_("georganiseerd door een vereniging")))
    if not reasons:
        return None
    return TariffDecision(TariffGroup.T3, PriorityClass.REGULIER, 2, tuple(reasons))


def _row_3_free(activity: Activity, cap_cents: int) -> TariffDecision | None:
    if activity.subsidised or not _is_residents_initiative(activity, cap_cents):
        return None
    reasons = (*_residents_facts(activity, cap_cents), Message(N_("niet gesubsidieerd")))
    return TariffDecision(TariffGroup.T1, PriorityClass.DOOR_EN_VOOR_BEWONERS, 3, reasons)


def _row_4_subsidised(activity: Activity, cap_cents: int) -> TariffDecision | None:
    if not activity.subsidised or not _is_residents_initiative(activity, cap_cents):
        return None
    subsidised = Message(N_("gesubsidieerd voor deze activiteit"))
    reasons = (*_residents_facts(activity, cap_cents), subsidised)
    return TariffDecision(TariffGroup.T2, PriorityClass.DOOR_EN_VOOR_BEWONERS, 4, reasons)


_PUBLIC_ORGANISERS = {
    OrganiserKind.maatschappelijk: N_("maatschappelijke organisatie"),
    OrganiserKind.gemeente: N_("georganiseerd door de gemeente"),
}


def _row_5_social(activity: Activity, cap_cents: int) -> TariffDecision | None:
    organiser = _PUBLIC_ORGANISERS.get(activity.organiser_kind)
    if organiser is None or not activity.open_to_all:
        return None
    reasons = (Message(organiser), Message(N_("vrij toegankelijk")))
    return TariffDecision(TariffGroup.T2, PriorityClass.MAATSCHAPPELIJK, 5, reasons)


def _row_6_social_enterprise(activity: Activity, cap_cents: int) -> TariffDecision | None:
    if activity.organiser_kind is not OrganiserKind.sociale_onderneming:
        return None
    if not activity.gives_in_return:
        return None
    reasons = (
        Message(N_("sociale onderneming")),
        Message(N_("geeft iets terug: deelnameplaatsen of vrije inloop")),
    )
    return TariffDecision(TariffGroup.T2, PriorityClass.MAATSCHAPPELIJK, 6, reasons)


def _missed_conditions(activity: Activity, cap_cents: int) -> list[Message]:
    """Row 7: say which condition of rows 3-6 failed, so the booker knows what to change."""
    if activity.organiser_kind is OrganiserKind.sociale_onderneming:
        return [Message(N_("sociale onderneming zonder tegenprestatie"))]
    missed = []
    if not activity.open_to_all:
        missed.append(Message(N_("niet vrij toegankelijk")))
    if activity.organiser_kind is OrganiserKind.bewoners:
        if activity.contribution_cents > cap_cents:
            missed.append(_contribution_above_cap(activity, cap_cents))
        if not activity.mainly_meeting:
            missed.append(Message(N_("niet vooral gericht op ontmoeting")))
    return missed


def _row_7_otherwise(activity: Activity, cap_cents: int) -> TariffDecision:
    reasons = tuple(_missed_conditions(activity, cap_cents))
    return TariffDecision(TariffGroup.T3, PriorityClass.REGULIER, 7, reasons)


_ROWS: tuple[Row, ...] = (
    _row_1_commercial,
    _row_2_membership,
    _row_3_free,
    _row_4_subsidised,
    _row_5_social,
    _row_6_social_enterprise,
    _row_7_otherwise,
)


def decide_tariff(activity: Activity, contribution_cap_cents: int) -> TariffDecision:
    """Apply the table top to bottom; the first matching row decides (row 7 always matches)."""
    if contribution_cap_cents < 0:
        raise ValueError("contribution_cap_cents must not be negative")
    for row in _ROWS:
        decision = row(activity, contribution_cap_cents)
        if decision is not None:
            return decision
    raise AssertionError("row 7 matches every activity")  # pragma: no cover
