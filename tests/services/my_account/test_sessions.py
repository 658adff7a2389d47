"""Login sessions: opened at login, counted while current, ended one by one or all at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from booking.errors import NotFound
from booking.extensions import db
from booking.models import AuditEntry, User
from booking.models.accounts import LoginSession
from booking.services import accounts
from booking.services.my_account import sessions

NOW = datetime(2030, 3, 4, 10, 0, tzinfo=UTC)


@given(st.integers(min_value=0, max_value=10**7))
def test_last_seen_moves_on_once_a_quarter_hour_at_most(seconds):
    later = NOW + timedelta(seconds=seconds)
    assert sessions.needs_touch(NOW, later) == (seconds >= 15 * 60)


def test_a_session_counts_while_current_and_only_for_its_key(app, make_user):
    ref, other_ref = make_user(), make_user()
    with app.app_context():
        user = db.session.get(User, ref.id)
        key = sessions.open_session(user, NOW)
        stored = db.session.scalars(db.select(LoginSession)).one()
        assert stored.key_hash != key and len(stored.key_hash) == 64  # only the hash
        assert sessions.is_open(user, key, NOW)
        assert not sessions.is_open(user, key + "x", NOW)
        assert not sessions.is_open(user, None, NOW)
        assert not sessions.is_open(user, ["a list"], NOW)
        assert not sessions.is_open(user, "k" * 500, NOW)
        assert not sessions.is_open(db.session.get(User, other_ref.id), key, NOW)


def test_an_idle_session_ends_and_a_touch_keeps_it_alive(app, make_user):
    ref = make_user()
    with app.app_context():
        user = db.session.get(User, ref.id)
        key = sessions.open_session(user, NOW)
        month = NOW + sessions.IDLE_LIMIT
        sessions.touch(user, key, NOW + timedelta(minutes=5))  # too soon: no write
        assert db.session.scalars(db.select(LoginSession.last_seen_at)).one() == NOW
        assert not sessions.is_open(user, key, month + timedelta(hours=1))  # untouched
        touched = month - timedelta(days=1)
        sessions.touch(user, key, touched)
        db.session.expire_all()
        assert sessions.is_open(user, key, month + timedelta(hours=1))
        assert not sessions.is_open(user, key, touched + sessions.IDLE_LIMIT + timedelta(hours=1))


def test_log_out_everywhere_ends_every_row_and_the_next_login_clears_them(app, make_user):
    ref = make_user()
    with app.app_context():
        user = db.session.get(User, ref.id)
        first, second = sessions.open_session(user, NOW), sessions.open_session(user, NOW)
        assert len(sessions.open_sessions(user, first, NOW)) == 2
        accounts.end_all_sessions(user, now=NOW)
        assert not sessions.is_open(user, first, NOW) and not sessions.is_open(user, second, NOW)
        assert sessions.open_sessions(user, first, NOW) == []
        third = sessions.open_session(user, NOW)
        assert db.session.scalar(db.select(db.func.count(LoginSession.id))) == 1
        assert sessions.open_sessions(user, third, NOW)[0].is_this_one


def test_ending_one_session_leaves_the_others(app, make_user):
    ref = make_user()
    with app.app_context():
        user = db.session.get(User, ref.id)
        here, there = sessions.open_session(user, NOW), sessions.open_session(user, NOW)
        listed = {s.is_this_one: s for s in sessions.open_sessions(user, here, NOW)}
        assert sessions.end_session(user, listed[False].id, here, NOW) is False
        assert sessions.is_open(user, here, NOW) and not sessions.is_open(user, there, NOW)
        assert sessions.end_session(user, listed[True].id, here, NOW) is True
        assert not sessions.is_open(user, here, NOW)
        actions = db.session.scalars(db.select(AuditEntry.action)).all()
        assert actions.count("session_ended") == 2


def test_another_accounts_session_answers_404(app, make_user):
    owner_ref, stranger_ref = make_user(), make_user()
    with app.app_context():
        owner = db.session.get(User, owner_ref.id)
        stranger = db.session.get(User, stranger_ref.id)
        key = sessions.open_session(owner, NOW)
        session_id = sessions.open_sessions(owner, key, NOW)[0].id
        with pytest.raises(NotFound):
            sessions.end_session(stranger, session_id, None, NOW)
        assert sessions.is_open(owner, key, NOW)
