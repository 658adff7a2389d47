"""The users commands: create with a role and house, print an API token."""

from __future__ import annotations

from booking.extensions import db
from booking.models import ApiToken, User


def test_users_create_with_house_role(app, runner, make_house):
    house = make_house("de-haard")
    result = runner.invoke(
        args=[
            "users",
            "create",
            "anna@example.org",
            "--role",
            "beheerder",
            "--house",
            "de-haard",
            "--password",
            "lang-wachtwoord",
        ]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.query(User).filter_by(email="anna@example.org").one()
        assert user.role == "beheerder"
        assert [(m.house_id, m.role) for m in user.memberships] == [(house.id, "beheerder")]


def test_users_create_refuses_unknown_house_and_short_password(app, runner, make_house):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "a@example.org",
            "--role",
            "beheerder",
            "--house",
            "nergens",
            "--password",
            "lang-wachtwoord",
        ]
    )
    assert result.exit_code != 0 and "onbekend huis" in result.output
    result = runner.invoke(
        args=["users", "create", "a@example.org", "--role", "gemeente", "--password", "kort"]
    )
    assert result.exit_code != 0 and "minstens 10" in result.output
    result = runner.invoke(
        args=[
            "users",
            "create",
            "a@example.org",
            "--role",
            "beheerder",
            "--password",
            "lang-wachtwoord",
        ]
    )
    assert result.exit_code != 0 and "hoort bij een huis" in result.output
    with app.app_context():
        assert db.session.query(User).count() == 0


def test_users_token_prints_a_token_and_stores_its_hash(app, runner, make_user, client):
    user = make_user()
    result = runner.invoke(args=["users", "token", user.email])
    assert result.exit_code == 0
    token = result.output.strip()
    with app.app_context():
        assert db.session.query(ApiToken).one().token_hash != token
    response = client.get("/api/v1/session", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


def test_users_token_for_unknown_user_fails(runner):
    result = runner.invoke(args=["users", "token", "niemand@example.org"])
    assert result.exit_code != 0 and "onbekende gebruiker" in result.output
