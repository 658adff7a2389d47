"""What every gemeente view shares: the page frame with the area's sub-navigation.

Who may open a page is decided by the services (`require_gemeente` in
`booking/services/gemeente/access.py`); this module only draws the frame. The navigation
lists the pages that exist (`NAV`), so a concept's module adds its own entry.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, render_template

from booking.rules.messages import N_, Message

NAV: list[tuple[str, Message, tuple[str, ...]]] = [
    ("gemeente.home", Message(N_("Overzicht")), ("gemeente.home",)),
]
"""(endpoint, label, endpoints that mark it current); a module appends its own entries."""


def nav_entry(endpoint: str, label: Message, *current: str) -> None:
    """Add a page to the sub-navigation (once, at import)."""
    if all(entry[0] != endpoint for entry in NAV):
        NAV.append((endpoint, label, (endpoint, *current)))


def render_page(template: str, status: int = 200, **context: Any) -> tuple[str, int]:
    """A gemeente page with the sub-navigation of every registered concept."""
    nav = [entry for entry in NAV if entry[0] in current_app.view_functions]
    return render_template(template, gemeente_nav=nav, **context), status
