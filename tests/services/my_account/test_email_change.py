"""A new e-mail address: asked with the password, confirmed once, within 24 hours."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from booking.errors import NotFound, RuleViolation
from booking.extensions import db
from booking.models import AuditEntry, OutboxMail, User
from booking.services.my_account import email_change
from tests.conftest import PASSWORD


def _token(app) -> str:
    mail = db.session.scalars(
        db.select(OutboxMail).filter_by(kind="email_change").order_by(OutboxMail.id.desc())
    ).first()
    assert mail is not None
    return re.search(r"/account/e-mailadres/(\S+)", mail.body_text).group(1)


def test_the_address_changes_only_when_the_link_is_used_and_only_once(app, make_user):
    ref = make_user(email="oud@example.org")
    now = datetime.now(UTC)
    with app.test_request_context():
        user = db.session.get(User, ref.id)
        assert email_change.request_email_change(user, " Nieuw@Example.org ", PASSWORD, now) == (
            "nieuw@example.org"
        )
        assert user.email == "oud@example.org"
        mail = db.session.scalars(db.select(OutboxMail).filter_by(kind="email_change")).one()
        assert mail.to_address == "nieuw@example.org" and "24 uur" in mail.body_text
        token = _token(app)
        assert email_change.pending_change(token, now).new_email == "nieuw@example.org"
        email_change.confirm_email_change(token, now)
        assert db.session.get(User, ref.id).email == "nieuw@example.org"
        notice = db.session.scalars(db.select(OutboxMail).filter_by(kind="email_changed")).one()
        assert notice.to_address == "oud@example.org"
        assert "n•••@example.org" in notice.body_text and "nieuw@" not in notice.body_text
        with pytest.raises(RuleViolation) as used:
            email_change.confirm_email_change(token, now)
        assert used.value.code == email_change.USED
        actions = db.session.scalars(db.select(AuditEntry.action)).all()
        assert {"email_change_requested", "email_changed"} <= set(actions)
        assert all(
            "example.org" not in d for d in db.session.scalars(db.select(AuditEntry.details))
        )


def test_a_newer_link_used_first_makes_the_older_one_dead(app, make_user):
    ref = make_user()
    now = datetime.now(UTC)
    with app.test_request_context():
        user = db.session.get(User, ref.id)
        email_change.request_email_change(user, "eerste@example.org", PASSWORD, now)
        older = _token(app)
        email_change.request_email_change(user, "tweede@example.org", PASSWORD, now)
        newer = _token(app)
        email_change.confirm_email_change(newer, now)
        with pytest.raises(RuleViolation) as refused:
            email_change.pending_change(older, now)
        assert refused.value.code == email_change.USED
        assert db.session.get(User, ref.id).email == "tweede@example.org"


def test_a_link_too_late_a_forged_one_and_a_taken_address(app, make_user):
    ref, other = make_user(), make_user(email="bezet@example.org")
    now = datetime.now(UTC)
    with app.test_request_context():
        user = db.session.get(User, ref.id)
        email_change.request_email_change(user, "later-bezet@example.org", PASSWORD, now)
        token = _token(app)
        with pytest.raises(RuleViolation) as late:
            email_change.confirm_email_change(token, now + timedelta(hours=24, seconds=5))
        assert late.value.code == email_change.EXPIRED
        with pytest.raises(NotFound):
            email_change.pending_change(token[:-3] + "abc", now)
        with pytest.raises(NotFound):
            email_change.pending_change("", now)
        db.session.get(User, other.id).email = "later-bezet@example.org"  # taken meanwhile
        db.session.flush()
        with pytest.raises(RuleViolation) as taken:
            email_change.confirm_email_change(token, now)
        assert taken.value.code == email_change.TAKEN
        assert db.session.get(User, ref.id).email == ref.email


@pytest.mark.parametrize(
    ("address", "password", "field"),
    [
        ("bezet@example.org", PASSWORD, "email"),
        ("SELF", PASSWORD, "email"),
        ("vrij@example.org", "niet-mijn-wachtwoord", "current_password"),
    ],
)
def test_refused_requests_send_nothing(app, make_user, address, password, field):
    ref = make_user()
    make_user(email="bezet@example.org")
    with app.test_request_context():
        user = db.session.get(User, ref.id)
        with pytest.raises(RuleViolation) as refused:
            email_change.request_email_change(
                user, ref.email if address == "SELF" else address, password, datetime.now(UTC)
            )
        assert refused.value.field == field
        assert db.session.scalars(db.select(OutboxMail).filter_by(kind="email_change")).all() == []


def test_masked_addresses():
    assert email_change.masked("fatma@example.org") == "f•••@example.org"
    assert email_change.masked("x") == "x•••@"
