"""CSV exports of the statistics, the way Dutch spreadsheets read them.

Like the invoicing export: `;` between fields, UTF-8 with a byte order mark (Excel needs
it to read the accents), CRLF line ends, amounts with a decimal comma and without a euro
sign. A suppressed cell is written exactly as the page shows it, "<5" or "x"; counts are
plain integers without a thousands dot so a spreadsheet can add them up.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from flask_babel import gettext as _

from booking.i18n import say
from booking.rules.publication import ShownComparison, ShownReach
from booking.rules.statuses import PriorityClass, TariffGroup
from booking.rules.suppression import Cell
from booking.rules.tariff import describe_class, describe_group
from booking.rules.visit_vocabulary import CHANNELS
from booking.services.invoicing import decimal_comma
from booking.services.rendement import RendementOverview
from booking.stats import labels

BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    """Keep a spreadsheet from running a name as a formula (CSV injection)."""
    value = value or ""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _cell(value: Cell) -> str:
    return value if isinstance(value, str) else str(value)


def _csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    return BOM + out.getvalue()


def _hours(seconds: int) -> str:
    """Hours with two decimals and a comma, rounded half up: 1,75."""
    return decimal_comma((seconds * 100 + 1800) // 3600)


def reach_csv(place: str, filters: str, shown: ShownReach) -> str:
    """Every figure of one reach page, one per line: part, category, value."""
    p = shown.period
    devices = _("unieke apparaten") if shown.devices_exact else _("unieke apparaten (bovengrens)")
    rows: list[tuple[str, str, str]] = [
        (_("totaal"), _("bezoeken"), str(shown.visits)),
        (_("totaal"), devices, str(shown.distinct_devices)),
        (_("totaal"), _("eerste bezoek"), _cell(shown.first_visits)),
    ]
    rows += [(_("bezoekers"), label, _cell(v)) for label, v in labels.visitor_rows(shown.visitors)]
    rows += [(_("kanaal"), labels.channel_label(k), _cell(v)) for k, v in shown.by_channel.items()]
    rows += [(_("wijk of kern"), labels.area_label(k), _cell(v)) for k, v in shown.by_area.items()]
    rows += [(_("leeftijd"), labels.age_label(k), _cell(v)) for k, v in shown.by_age.items()]
    rows += [
        (_("weekdag"), labels.weekday_label(w), _cell(v)) for w, v in enumerate(shown.by_weekday)
    ]
    rows += [(_("uur"), labels.hour_label(h), _cell(v)) for h, v in enumerate(shown.by_hour)]
    rows += [
        (_("weekdag en uur"), f"{labels.weekday_label(w)} {labels.hour_label(h)}", _cell(v))
        for w, row in enumerate(shown.weekday_hour)
        for h, v in enumerate(row)
    ]
    rows += [(_("dag"), day.isoformat(), _cell(v)) for day, v in shown.by_day.items()]
    if shown.weekly:
        rows += [
            (_("week"), _("week van %(day)s", day=m.isoformat()), _cell(v)) for m, v in shown.trend
        ]
    header = (
        _("huis"),
        _("van"),
        _("tot en met"),
        _("filter"),
        _("onderdeel"),
        _("categorie"),
        _("aantal"),
    )
    return _csv(
        header,
        (
            (_text(place), p.first.isoformat(), p.last.isoformat(), _text(filters), *row)
            for row in rows
        ),
    )


def comparison_csv(comparison: ShownComparison) -> str:
    """The gemeente's comparison: one line per house and one for the whole gemeente."""
    p = comparison.period
    header = (
        _("huis"),
        _("wijk of kern"),
        _("kwetsbaar"),
        _("van"),
        _("tot en met"),
        _("bezoeken"),
        _("unieke apparaten"),
        _("eerste bezoek"),
        _("uit kwetsbare wijken en kernen"),
        *(labels.channel_short_label(c) for c in CHANNELS),
        *labels.visitor_column_names(),
    )
    rows = [
        (
            _text(row.reach.name),
            _text(row.reach.area),
            _("ja") if row.reach.area_vulnerable else _("nee"),
            p.first.isoformat(),
            p.last.isoformat(),
            str(row.reach.visits),
            str(row.reach.distinct_devices),
            _cell(row.first_visits),
            _cell(row.from_vulnerable),
            *(_cell(row.by_channel[c]) for c in CHANNELS),
            *(_cell(v) for _n, v in labels.visitor_columns(row.visitors)),
        )
        for row in comparison.rows
    ]
    rows.append(
        (
            _("hele gemeente"),
            "",
            "",
            p.first.isoformat(),
            p.last.isoformat(),
            str(comparison.visits),
            str(comparison.distinct_devices),
            _cell(comparison.first_visits),
            _cell(comparison.from_vulnerable),
            *(_cell(comparison.by_channel[c]) for c in CHANNELS),
            *(_cell(v) for _n, v in labels.visitor_columns(comparison.visitors)),
        )
    )
    return _csv(header, rows)


def rendement_csv(found: RendementOverview) -> str:
    """Maatschappelijk rendement: one line per house (and the total when there is one),
    with the first-time visitors as the page shows them."""
    header = (
        _("huis"),
        _("van"),
        _("tot en met"),
        *(_("uren %(klasse)s", klasse=say(describe_class(c))) for c in PriorityClass),
        *(_("uren %(group)s", group=say(describe_group(g))) for g in TariffGroup),
        _("uren totaal"),
        _("aandeel uren door en voor bewoners (%)"),
        _("huur berekend"),
        _("huur kwijtgescholden"),
        *((_("gefactureerd"), _("betaald")) if found.with_invoices else ()),
        _("bezoeken"),
        _("unieke apparaten"),
        _("eerste bezoek"),
        _("kwijtgescholden huur per bezoek"),
        *labels.visitor_column_names(),
    )
    period = found.period
    lines = [*found.rows, found.total] if found.total is not None else list(found.rows)
    total = found.total[0] if found.total is not None else None
    visitors = [*found.visitors, found.total_visitors] if found.total else found.visitors
    out = []
    for (row, first), shown in zip(lines, visitors, strict=True):
        share = row.class1_share
        per_visit = row.given_away_per_visit_cents
        out.append(
            (
                _text(row.name) if row is not total else _("totaal"),
                period.first.isoformat(),
                period.last.isoformat(),
                *(_hours(row.seconds_by_class[int(c)]) for c in PriorityClass),
                *(_hours(row.seconds_by_group[g.value]) for g in TariffGroup),
                _hours(row.seconds),
                "—" if share is None else str(labels.whole_percent(share)),
                decimal_comma(row.charged_cents),
                decimal_comma(row.given_away_cents),
                *(
                    (decimal_comma(row.invoiced_cents), decimal_comma(row.paid_cents))
                    if found.with_invoices
                    else ()
                ),
                str(row.visits),
                str(row.distinct_devices),
                _cell(first),
                "—" if per_visit is None else decimal_comma(per_visit),
                *(_cell(v) for _n, v in labels.visitor_columns(shown)),
            )
        )
    return _csv(header, out)
