"""A house's slug, website and KvK number."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from booking.rules.house_details import (
    BAD_KVK,
    BAD_SLUG,
    BAD_WEBSITE,
    RESERVED_SLUGS,
    SLUG_MAX,
    SLUG_MIN,
    kvk_problem,
    normalise_kvk,
    slug_problem,
    website_problem,
)
from booking.services.slugs import slugify

FAST = settings(max_examples=300, deadline=None, database=None)


@given(st.text(max_size=120))
@FAST
def test_a_slug_made_from_any_name_is_well_formed_or_too_short(name: str) -> None:
    slug = slugify(name)[:SLUG_MAX].strip("-")
    problem = slug_problem(slug)
    assert problem is None or len(slug) < SLUG_MIN or slug in RESERVED_SLUGS


@pytest.mark.parametrize("slug", ["wijkhuis-de-haard", "mfa-de-ruwaard", "d-n-iemhof", "huis-2"])
def test_good_slugs(slug: str) -> None:
    assert slug_problem(slug) is None


@pytest.mark.parametrize(
    "slug", ["De-Haard", "de haard", "de--haard", "-haard", "haard-", "dé-haard", "de_haard"]
)
def test_bad_slugs(slug: str) -> None:
    assert slug_problem(slug) == BAD_SLUG


def test_reserved_and_out_of_length_slugs() -> None:
    assert "nieuw" in slug_problem("nieuw").params["slug"]
    assert slug_problem("rendement") is not None
    assert slug_problem("a") is not None and slug_problem("a" * 81) is not None
    assert slug_problem("a" * 80) is None


@pytest.mark.parametrize(
    ("url", "good"),
    [
        ("https://dehaard.nl", True),
        ("http://www.de-haard.nl/over-ons?x=1#top", True),
        ("", True),
        ("dehaard.nl", False),
        ("javascript:alert(1)", False),
        ("https://", False),
        ("https://localhost", False),
        ("https://user@evil.example", False),
        ("https://de haard.nl", False),
        ("ftp://dehaard.nl", False),
        ("https://x.nl/" + "a" * 200, False),
    ],
)
def test_websites(url: str, good: bool) -> None:
    assert (website_problem(url) is None) == good
    if not good:
        assert website_problem(url) == BAD_WEBSITE


@given(st.text(alphabet="0123456789", min_size=8, max_size=8))
@FAST
def test_every_eight_digit_kvk_number_passes_with_layout(digits: str) -> None:
    typed = f"{digits[:4]} {digits[4:6]}.{digits[6:]}"
    assert kvk_problem(typed) is None and normalise_kvk(typed) == digits


@pytest.mark.parametrize(
    "number", ["1234567", "123456789", "1234567a", "１２３４５６７８", "12-34-56-78"]
)
def test_bad_kvk_numbers(number: str) -> None:
    assert kvk_problem(number) == BAD_KVK
