"""Forms of the gemeente's people pages and of a house's staff page. The services check
the same again (who may give which role where); what only they know — an address that
already holds the role, the last gemeente account — comes back from them as a 422."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, RadioField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice

from booking.forms import Form, email_address, one_line, required
from booking.i18n import role_label
from booking.models import House
from booking.rules.permissions import Role


class InviteForm(Form):
    email = EmailField(
        _l("E-mailadres"),
        validators=[one_line(254), required(_l("Vul het e-mailadres in.")), email_address()],
    )
    name = StringField(_l("Naam (niet verplicht)"), validators=[one_line(120)])
    role = RadioField(_l("Rol"), validators=[required(_l("Kies een rol."))])
    houses = SelectMultipleField(_l("Huizen"), choices=[])


class GrantRoleForm(Form):
    role = SelectField(_l("Rol"), validators=[required(_l("Kies een rol."))])
    house = SelectField(_l("Huis"), default="")


class ConfirmForm(Form):
    """A confirmation button: only its CSRF token."""


def role_choices(roles: Iterable[Role]) -> list[SelectChoice]:
    return [SelectChoice(role.value, role_label(role.value)) for role in roles]


def house_choices(houses: Iterable[House]) -> list[SelectChoice]:
    return [SelectChoice(str(h.id), h.name) for h in houses]
