"""The fast time format prints what Babel's would, in every language of the product."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from babel.dates import format_time
from flask_babel import force_locale
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from booking.i18n import AMSTERDAM, fmt_time, local_iso

LANGUAGES = ["nl", "en", "tr", "ar", "pl"]
MOMENTS = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1))


@pytest.mark.parametrize("language", LANGUAGES)
@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(moment=MOMENTS)
def test_fmt_time_is_babels_hh_mm_in_amsterdam(app, language, moment):
    instant = moment.replace(tzinfo=UTC)
    with app.test_request_context(), force_locale(language):
        babel = format_time(instant.astimezone(AMSTERDAM), "HH:mm", locale=language)
        assert fmt_time(instant) == babel


def test_fmt_time_of_nothing_is_empty():
    assert fmt_time(None) == ""


@given(moment=MOMENTS)
def test_local_iso_is_the_amsterdam_wall_clock_to_the_minute(moment):
    instant = moment.replace(tzinfo=UTC)
    assert local_iso(instant) == instant.astimezone(AMSTERDAM).strftime("%Y-%m-%dT%H:%M")
