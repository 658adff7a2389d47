"""The public agenda's activities as HTML, written in Python rather than in the template.

Why: the municipality's page lists up to 200 activities, and the template's dozen
expressions per activity (two times, two ISO moments, a link, a translated kind, a
JSON-LD script) were most of that page's time in `bench/front_desk_bench.py`. This writes
the same markup the template did, cleaning and escaping every value from data (as
`clean_output` and autoescape would); the day headings stay in
`templates/public/_agenda_days.html`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from flask import current_app, url_for
from flask_babel import gettext as _
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import escape

from booking.i18n import local
from booking.input_guard import CleanMarkup
from booking.input_guard import clean_html_text as _text
from booking.rules.agenda import KIND_LABELS, AgendaItem


def _iso(moment: datetime) -> str:
    """`local_iso` of a moment already in Amsterdam time."""
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
        f"T{moment.hour:02d}:{moment.minute:02d}"
    )


def items_html(
    items: Sequence[AgendaItem],
    json_ld: Mapping[int, dict[str, Any]],
    *,
    show_house: bool,
    embed: bool,
) -> CleanMarkup:
    """A day's activities as the list items of `<ul class="agenda-items">`; `show_house`
    adds the house (a link to its page, out of the frame when `embed`) and its wijk."""
    kinds = {kind: _text(_(label)) for kind, label in KIND_LABELS.items()}
    target = ' target="_top"' if embed else ""
    house_links: dict[str, str] = {}
    dumps = current_app.json.dumps
    parts = []
    for item in items:
        place = ""
        if show_house:
            href = house_links.get(item.house_slug)
            if href is None:
                href = house_links[item.house_slug] = escape(
                    url_for("public.house", slug=item.house_slug)
                )
            place = (
                f'<a href="{href}"{target}>{_text(item.house_name)}</a> ({_text(item.area_name)}), '
            )
        script = htmlsafe_json_dumps(json_ld[item.booking_id], dumps=dumps)
        start, end = local(item.start), local(item.end)
        parts.append(
            f'<li class="agenda-item agenda-{escape(item.kind.value)}">\n'
            f'  <span class="agenda-time"><time datetime="{_iso(start)}">'
            f"{start.hour:02d}:{start.minute:02d}</time>–"
            f'<time datetime="{_iso(end)}">{end.hour:02d}:{end.minute:02d}</time></span>\n'
            f'  <span class="agenda-title">{_text(item.title)}</span>\n'
            f'  <span class="agenda-place">{place}{_text(item.room_name)} · '
            f"{kinds[item.kind]}</span>\n"
            f'  <script type="application/ld+json">{script}</script>\n'
            "</li>"
        )
    return CleanMarkup("\n".join(parts))
