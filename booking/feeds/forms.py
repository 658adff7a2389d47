"""The two forms of the agenda-links page: make a feed, and download a period as .ics.

Both name a scope and, for house, public and room scopes, a house or room. The choices
offered are only what the user may make; the service checks again, because a form can
be sent with any value.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField, StringField

from booking.forms import Form
from booking.models import House, Room
from booking.services.feeds import Scope


class FeedForm(Form):
    """POST /agenda-links: which calendar to subscribe to."""

    scope = SelectField(_l("Welke agenda"), validate_choice=False)
    target = SelectField(_l("Huis of ruimte"), name="id", validate_choice=False)


class DownloadForm(Form):
    """GET /agenda-links/download.ics: the same choice plus a period (both days included).

    The field names are the query parameters (scope, id, van, tot); the ids differ from
    those of FeedForm, which is on the same page.
    """

    class Meta:
        csrf = False

    scope = SelectField(_l("Welke agenda"), id="download-scope", validate_choice=False)
    target = SelectField(_l("Huis of ruimte"), name="id", id="download-id", validate_choice=False)
    van = StringField(_l("Van"), id="download-van", render_kw={"type": "date"})
    tot = StringField(_l("Tot en met"), id="download-tot", render_kw={"type": "date"})


def scope_choices(manages_any: bool) -> list[SelectChoice]:
    choices = [SelectChoice(Scope.mine.value, _("Mijn boekingen"))]
    if manages_any:
        choices += [
            SelectChoice(Scope.house.value, _("Alle boekingen van een huis")),
            SelectChoice(Scope.public.value, _("Openbare agenda van een huis")),
            SelectChoice(Scope.room.value, _("Alle boekingen van één ruimte")),
        ]
    return choices


def target_choices(houses: list[House], rooms: list[Room]) -> list[SelectChoice]:
    """Houses by slug and rooms by id, in two groups; empty for 'Mijn boekingen'."""
    houses_label, rooms_label = _("Huizen"), _("Ruimtes")
    return (
        [SelectChoice("", _("– niet nodig bij Mijn boekingen –"))]
        + [SelectChoice(h.slug, h.name, optgroup=houses_label) for h in houses]
        + [
            SelectChoice(
                str(r.id),
                _("%(room)s (%(house)s)", room=r.name, house=r.house.name),
                optgroup=rooms_label,
            )
            for r in rooms
        ]
    )


def fill_choices(form: FeedForm | DownloadForm, houses: list[House], rooms: list[Room]) -> None:
    form.scope.choices = scope_choices(bool(houses))
    form.target.choices = target_choices(houses, rooms)
