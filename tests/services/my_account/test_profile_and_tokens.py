"""The account's own details, and revoking one API token."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from booking.errors import InvalidInput, NotFound
from booking.extensions import db
from booking.models import AuditEntry, User
from booking.services import accounts
from booking.services.my_account import profile, tokens


def test_changed_fields_are_stored_and_audited_by_name_only(app, make_user):
    ref = make_user()
    with app.test_request_context():
        user = db.session.get(User, ref.id)
        assert profile.update_profile(user, " Fatma Yılmaz ", "Buurtkoor", "en") == [
            "name",
            "organisation",
            "locale",
        ]
        assert (user.name, user.organisation, user.locale) == ("Fatma Yılmaz", "Buurtkoor", "en")
        assert profile.update_profile(user, "Fatma Yılmaz", "Buurtkoor", "") == ["locale"]
        assert user.locale is None
        assert profile.update_profile(user, "Fatma Yılmaz", "Buurtkoor", None) == []
        details = db.session.scalars(
            db.select(AuditEntry.details).filter_by(action="profile_changed")
        ).all()
        assert len(details) == 2 and all("Fatma" not in d for d in details)


@pytest.mark.parametrize(
    ("name", "organisation", "locale", "field"),
    [
        ("   ", "", None, "name"),
        ("x" * 121, "", None, "name"),
        ("Fatma", "o" * 121, None, "organisation"),
        ("Fatma", "", "tr", "locale"),  # the kiosk speaks Turkish; these pages do not
        ("Fatma", "", "xx", "locale"),
    ],
)
def test_bad_details_are_refused_and_nothing_changes(
    app, make_user, name, organisation, locale, field
):
    ref = make_user()
    with app.test_request_context():
        user = db.session.get(User, ref.id)
        with pytest.raises(InvalidInput) as refused:
            profile.update_profile(user, name, organisation, locale)
        assert refused.value.field == field
        assert user.name == "Test initiatiefnemer"


def test_a_token_is_revoked_once_and_only_by_its_owner(app, make_user):
    owner_ref, stranger_ref = make_user(), make_user()
    now = datetime.now(UTC)
    with app.test_request_context():
        owner = db.session.get(User, owner_ref.id)
        stranger = db.session.get(User, stranger_ref.id)
        first, second = accounts.issue_api_token(owner), accounts.issue_api_token(owner)
        listed = tokens.valid_tokens(owner)
        assert len(listed) == 2
        with pytest.raises(NotFound):
            tokens.revoke_token(stranger, listed[0].id, now)
        tokens.revoke_token(owner, listed[0].id, now)
        with pytest.raises(NotFound):
            tokens.revoke_token(owner, listed[0].id, now)
        assert [t.id for t in tokens.valid_tokens(owner)] == [listed[1].id]
        working = {t for t in (first, second) if accounts.user_for_api_token(t) is not None}
        assert len(working) == 1
