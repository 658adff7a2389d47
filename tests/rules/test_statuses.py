from booking.rules.statuses import (
    ACTIVE_STATUSES,
    BookingStatus,
    OrganiserKind,
    PriorityClass,
    TariffGroup,
)


def test_statuses_are_the_dutch_words_of_design() -> None:
    assert [s.value for s in BookingStatus] == [
        "aangevraagd",
        "onder_voorbehoud",
        "bevestigd",
        "geannuleerd",
        "verdrongen",
        "afgewezen",
    ]


def test_the_first_three_statuses_are_active() -> None:
    assert {"aangevraagd", "onder_voorbehoud", "bevestigd"} == ACTIVE_STATUSES
    assert isinstance(ACTIVE_STATUSES, frozenset)


def test_codes_compare_equal_to_their_json_values() -> None:
    assert TariffGroup("T2") is TariffGroup.T2
    assert BookingStatus.verdrongen == "verdrongen"
    assert OrganiserKind("sociale_onderneming") is OrganiserKind.sociale_onderneming
    assert [k.value for k in OrganiserKind] == [
        "bewoners",
        "vereniging",
        "maatschappelijk",
        "sociale_onderneming",
        "commercieel",
        "gemeente",
    ]


def test_a_lower_priority_number_is_better() -> None:
    assert PriorityClass(1) is PriorityClass.DOOR_EN_VOOR_BEWONERS
    assert PriorityClass.DOOR_EN_VOOR_BEWONERS < PriorityClass.MAATSCHAPPELIJK
    assert PriorityClass.REGULIER < PriorityClass.COMMERCIEEL == 4
