from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from booking.rules.messages import render
from booking.rules.statuses import OrganiserKind, PriorityClass, TariffGroup
from booking.rules.tariff import (
    Activity,
    TariffDecision,
    decide_tariff,
    describe_class,
    describe_group,
)

FAST = settings(max_examples=200, deadline=None, database=None)
CAP = 300

# Group and class of each row of DESIGN section 5.
TABLE = {
    1: (TariffGroup.T4, PriorityClass.COMMERCIEEL),
    2: (TariffGroup.T3, PriorityClass.REGULIER),
    3: (TariffGroup.T1, PriorityClass.DOOR_EN_VOOR_BEWONERS),
    4: (TariffGroup.T2, PriorityClass.DOOR_EN_VOOR_BEWONERS),
    5: (TariffGroup.T2, PriorityClass.MAATSCHAPPELIJK),
    6: (TariffGroup.T2, PriorityClass.MAATSCHAPPELIJK),
    7: (TariffGroup.T3, PriorityClass.REGULIER),
}


def activity(**changes: Any) -> Activity:
    """A free residents' initiative (row 3), changed where a test says so."""
    answers: dict[str, Any] = {
        "organiser_kind": OrganiserKind.bewoners,
        "open_to_all": True,
        "membership_required": False,
        "contribution_cents": 100,
        "profit_making": False,
        "subsidised": False,
        "mainly_meeting": True,
        "gives_in_return": False,
    }
    answers.update(changes)
    return Activity(**answers)


def reasons(decision: TariffDecision) -> list[str]:
    return [render(reason) for reason in decision.reasons]


def assert_row(decision: TariffDecision, row: int) -> None:
    assert decision.rule == row
    assert (decision.tariff_group, decision.priority_class) == TABLE[row]


# --- row 3: the design's own example -------------------------------------------------------


def test_row_3_free_residents_initiative_explains_itself_like_design() -> None:
    decision = decide_tariff(activity(), CAP)
    assert_row(decision, 3)
    assert ", ".join(reasons(decision)) == (
        "door en voor bewoners, vrij toegankelijk, geen lidmaatschap, "
        "eigen bijdrage € 1,00 ≤ € 3,00, vooral gericht op ontmoeting, niet gesubsidieerd"
    )


def test_row_3_passes_contribution_and_cap_as_cents_params() -> None:
    contribution = decide_tariff(activity(), CAP).reasons[3]
    assert contribution.params == {"contribution_cents": 100, "cap_cents": 300}


@pytest.mark.parametrize("contribution", [0, 1, CAP - 1, CAP])
def test_row_3_contribution_up_to_and_including_the_cap_is_free(contribution: int) -> None:
    assert_row(decide_tariff(activity(contribution_cents=contribution), CAP), 3)


def test_row_3_contribution_one_cent_above_the_cap_falls_to_row_7() -> None:
    decision = decide_tariff(activity(contribution_cents=CAP + 1), CAP)
    assert_row(decision, 7)
    assert reasons(decision) == ["eigen bijdrage € 3,01 is meer dan € 3,00"]


def test_row_3_the_cap_is_a_parameter_not_a_constant() -> None:
    assert_row(decide_tariff(activity(contribution_cents=400), 500), 3)
    assert_row(decide_tariff(activity(contribution_cents=0), 0), 3)
    assert_row(decide_tariff(activity(contribution_cents=1), 0), 7)


def test_row_3_ignores_gives_in_return() -> None:
    assert_row(decide_tariff(activity(gives_in_return=True), CAP), 3)


# --- row 4 -------------------------------------------------------------------------------


def test_row_4_subsidised_residents_initiative_pays_t2_but_keeps_class_1() -> None:
    decision = decide_tariff(activity(subsidised=True), CAP)
    assert_row(decision, 4)
    assert reasons(decision)[-1] == "gesubsidieerd voor deze activiteit"
    assert "niet gesubsidieerd" not in reasons(decision)


@pytest.mark.parametrize(("contribution", "row"), [(CAP, 4), (CAP + 1, 7)])
def test_row_4_cap_boundary(contribution: int, row: int) -> None:
    assert_row(decide_tariff(activity(subsidised=True, contribution_cents=contribution), CAP), row)


# --- rows 1 and 2, and their precedence ---------------------------------------------------


def test_row_1_profit_making_beats_everything_even_for_residents() -> None:
    decision = decide_tariff(activity(profit_making=True), CAP)
    assert_row(decision, 1)
    assert reasons(decision) == ["winstgevende activiteit"]


def test_row_1_commercial_organiser_without_profit() -> None:
    decision = decide_tariff(activity(organiser_kind=OrganiserKind.commercieel), CAP)
    assert_row(decision, 1)
    assert reasons(decision) == ["commerciële organisator"]


def test_row_1_names_both_triggers_when_both_hold() -> None:
    decision = decide_tariff(
        activity(organiser_kind="commercieel", profit_making=True, membership_required=True), CAP
    )
    assert_row(decision, 1)
    assert reasons(decision) == ["winstgevende activiteit", "commerciële organisator"]


def test_row_1_profit_making_association_is_commercial_not_regular() -> None:
    decision = decide_tariff(activity(organiser_kind="vereniging", profit_making=True), CAP)
    assert_row(decision, 1)


def test_row_2_membership_required_beats_residents_initiative() -> None:
    decision = decide_tariff(activity(membership_required=True), CAP)
    assert_row(decision, 2)
    assert reasons(decision) == ["lidmaatschap vereist"]


def test_row_2_association_open_to_all_is_still_regular() -> None:
    decision = decide_tariff(activity(organiser_kind=OrganiserKind.vereniging), CAP)
    assert_row(decision, 2)
    assert reasons(decision) == ["georganiseerd door een vereniging"]


def test_row_2_names_both_triggers() -> None:
    decision = decide_tariff(
        activity(organiser_kind=OrganiserKind.vereniging, membership_required=True), CAP
    )
    assert reasons(decision) == ["lidmaatschap vereist", "georganiseerd door een vereniging"]


@pytest.mark.parametrize("kind", ["maatschappelijk", "gemeente", "sociale_onderneming"])
def test_row_2_membership_beats_social_rows(kind: str) -> None:
    decision = decide_tariff(
        activity(organiser_kind=kind, membership_required=True, gives_in_return=True), CAP
    )
    assert_row(decision, 2)


# --- rows 5 and 6 -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "organiser_reason"),
    [
        (OrganiserKind.maatschappelijk, "maatschappelijke organisatie"),
        (OrganiserKind.gemeente, "georganiseerd door de gemeente"),
    ],
)
def test_row_5_social_organiser_open_to_all(kind: OrganiserKind, organiser_reason: str) -> None:
    decision = decide_tariff(activity(organiser_kind=kind), CAP)
    assert_row(decision, 5)
    assert reasons(decision) == [organiser_reason, "vrij toegankelijk"]


def test_row_5_subsidy_contribution_and_meeting_do_not_matter() -> None:
    answers = {"subsidised": True, "contribution_cents": 2000, "mainly_meeting": False}
    decision = decide_tariff(activity(organiser_kind="maatschappelijk", **answers), CAP)
    assert_row(decision, 5)


@pytest.mark.parametrize("kind", ["maatschappelijk", "gemeente"])
def test_row_5_closed_group_falls_to_row_7(kind: str) -> None:
    decision = decide_tariff(activity(organiser_kind=kind, open_to_all=False), CAP)
    assert_row(decision, 7)
    assert reasons(decision) == ["niet vrij toegankelijk"]


@pytest.mark.parametrize("open_to_all", [True, False])
def test_row_6_social_enterprise_that_gives_in_return(open_to_all: bool) -> None:
    decision = decide_tariff(
        activity(
            organiser_kind="sociale_onderneming", gives_in_return=True, open_to_all=open_to_all
        ),
        CAP,
    )
    assert_row(decision, 6)
    assert reasons(decision) == [
        "sociale onderneming",
        "geeft iets terug: deelnameplaatsen of vrije inloop",
    ]


def test_row_6_social_enterprise_without_return_falls_to_row_7() -> None:
    decision = decide_tariff(activity(organiser_kind="sociale_onderneming", open_to_all=False), CAP)
    assert_row(decision, 7)
    assert reasons(decision) == ["sociale onderneming zonder tegenprestatie"]


# --- row 7 --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"open_to_all": False}, ["niet vrij toegankelijk"]),
        ({"mainly_meeting": False}, ["niet vooral gericht op ontmoeting"]),
        ({"contribution_cents": 400}, ["eigen bijdrage € 4,00 is meer dan € 3,00"]),
        (
            {"open_to_all": False, "contribution_cents": 400, "mainly_meeting": False},
            [
                "niet vrij toegankelijk",
                "eigen bijdrage € 4,00 is meer dan € 3,00",
                "niet vooral gericht op ontmoeting",
            ],
        ),
        ({"open_to_all": False, "subsidised": True}, ["niet vrij toegankelijk"]),
    ],
)
def test_row_7_names_what_failed(changes: dict[str, Any], expected: list[str]) -> None:
    decision = decide_tariff(activity(**changes), CAP)
    assert_row(decision, 7)
    assert reasons(decision) == expected


# --- each organiser kind with its friendliest answers --------------------------------------


@pytest.mark.parametrize(
    ("kind", "row"),
    [
        (OrganiserKind.bewoners, 3),
        (OrganiserKind.vereniging, 2),
        (OrganiserKind.maatschappelijk, 5),
        (OrganiserKind.sociale_onderneming, 6),
        (OrganiserKind.commercieel, 1),
        (OrganiserKind.gemeente, 5),
    ],
)
def test_each_organiser_kind_at_best(kind: OrganiserKind, row: int) -> None:
    assert_row(decide_tariff(activity(organiser_kind=kind, gives_in_return=True), CAP), row)


# --- validation -----------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [-1, 1.5, 100.0, True, "100"])
def test_contribution_must_be_non_negative_integer_cents(bad: object) -> None:
    with pytest.raises(ValueError):
        activity(contribution_cents=bad)


def test_unknown_organiser_kind_is_refused() -> None:
    with pytest.raises(ValueError):
        activity(organiser_kind="stichting")


def test_organiser_kind_given_as_json_string_becomes_the_enum() -> None:
    assert activity(organiser_kind="gemeente").organiser_kind is OrganiserKind.gemeente


def test_negative_cap_is_refused() -> None:
    with pytest.raises(ValueError):
        decide_tariff(activity(), -1)


def test_activity_is_frozen() -> None:
    with pytest.raises(AttributeError):
        activity().open_to_all = False  # type: ignore[misc]


# --- descriptions -------------------------------------------------------------------------


def test_describe_group() -> None:
    assert [render(describe_group(g)) for g in TariffGroup] == [
        "T1 bewonersinitiatief (gratis)",
        "T2 maatschappelijk",
        "T3 regulier",
        "T4 commercieel",
    ]


def test_describe_class() -> None:
    assert [render(describe_class(c)) for c in PriorityClass] == [
        "Voorrangsklasse 1: door en voor bewoners",
        "Voorrangsklasse 2: maatschappelijk",
        "Voorrangsklasse 3: regulier",
        "Voorrangsklasse 4: commercieel",
    ]


def test_describe_class_label_is_translated_with_the_template() -> None:
    english = {
        "Voorrangsklasse %(number)s: %(class_label)s": "Priority class %(number)s: %(class_label)s",
        "door en voor bewoners": "by and for residents",
    }
    text = render(describe_class(PriorityClass(1)), translate=lambda s: english.get(s, s))
    assert text == "Priority class 1: by and for residents"


# --- properties -----------------------------------------------------------------------------

activities = st.builds(
    Activity,
    organiser_kind=st.sampled_from(OrganiserKind),
    open_to_all=st.booleans(),
    membership_required=st.booleans(),
    contribution_cents=st.integers(min_value=0, max_value=2000),
    profit_making=st.booleans(),
    subsidised=st.booleans(),
    mainly_meeting=st.booleans(),
    gives_in_return=st.booleans(),
)
caps = st.integers(min_value=0, max_value=1000)


@FAST
@given(activities, caps)
def test_every_decision_is_a_row_of_the_table_with_reasons(a: Activity, cap: int) -> None:
    decision = decide_tariff(a, cap)
    assert (decision.tariff_group, decision.priority_class) == TABLE[decision.rule]
    assert decision.reasons
    assert all(render(reason) for reason in decision.reasons)


@FAST
@given(activities, caps)
def test_first_match_wins(a: Activity, cap: int) -> None:
    decision = decide_tariff(a, cap)
    commercial = a.profit_making or a.organiser_kind is OrganiserKind.commercieel
    members = a.membership_required or a.organiser_kind is OrganiserKind.vereniging
    assert (decision.rule == 1) == commercial
    if not commercial:
        assert (decision.rule == 2) == members


@FAST
@given(activities, caps)
def test_only_unsubsidised_open_residents_within_cap_get_t1(a: Activity, cap: int) -> None:
    decision = decide_tariff(a, cap)
    if decision.tariff_group is TariffGroup.T1 or decision.priority_class == 1:
        assert a.organiser_kind is OrganiserKind.bewoners
        assert a.open_to_all and a.mainly_meeting and not a.profit_making
        assert not a.membership_required and a.contribution_cents <= cap
    if decision.tariff_group is TariffGroup.T1:
        assert not a.subsidised
