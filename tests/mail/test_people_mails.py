"""Snapshots of the people mails (issue 12): the invitation with its one-time link, a role
given, the account deactivated. The token is random by design: it is checked to be a
token and then written as <token>."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import select

from booking.extensions import db
from booking.models import Area, House, OutboxMail, User
from booking.rules.permissions import Role
from booking.services.people import activation, invitations, roles
from tests.mail.snapshot import assert_snapshots

NOW = datetime(2030, 2, 1, 9, 30, tzinfo=UTC)
TOKEN = re.compile(r"/uitnodiging/[A-Za-z0-9_-]{43}")


def _render(mail: OutboxMail) -> tuple[str, str]:
    header = f"Kind: {mail.kind}\nTo: {mail.to_address}\nSubject: {mail.subject}\n\n"
    text = TOKEN.sub("/uitnodiging/<token>", header + mail.body_text + "\n")
    return text, TOKEN.sub("/uitnodiging/<token>", mail.body_html + "\n")


def test_the_people_mails_render_as_their_snapshots(app) -> None:
    with app.test_request_context():
        house = House(
            slug="de-haard", name="Wij(k)huis de Haard", area=Area(name="Ruwaard", kind="wijk")
        )
        gemeente = User(
            email="gemeente@example.org", name="Gemeente Oss", role="gemeente", password_hash="x"
        )
        anna = User(
            email="anna@example.org", name="Anna de Boer", role="initiatiefnemer", password_hash="x"
        )
        db.session.add_all([house, gemeente, anna])
        db.session.flush()
        invitations.invite_to(gemeente, "noor@example.org", "Noor", Role.beheerder, [house.id], NOW)
        roles.grant_role(gemeente, anna.id, Role.sociaal_beheerder, house.id)
        activation.deactivate(gemeente, anna.id, NOW)
        rendered: dict[str, str] = {}
        for mail in db.session.scalars(select(OutboxMail).order_by(OutboxMail.id)):
            rendered[f"{mail.kind}.txt"], rendered[f"{mail.kind}.html"] = _render(mail)
        assert set(rendered) == {
            f"{kind}.{ext}"
            for kind in ("invitation", "roles_changed", "account_deactivated")
            for ext in ("txt", "html")
        }
        assert_snapshots(rendered)
