"""The default deployment is the safe one: production unless development is asked for."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from flask import Flask

import config
from booking import create_app
from booking.extensions import db


@pytest.fixture
def apps() -> Iterator[list[Flask]]:
    """Apps made by a test; their connection pools are closed afterwards."""
    made: list[Flask] = []
    yield made
    for app in made:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BUURTHUIS_ENV", raising=False)
    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", None)


def test_without_buurthuis_env_the_app_is_production_and_needs_a_secret_key(
    no_environment, migrated_database, apps
):
    with pytest.raises(RuntimeError, match="SECRET_KEY must be set"):
        create_app({"SQLALCHEMY_DATABASE_URI": migrated_database})
    app = create_app({"SQLALCHEMY_DATABASE_URI": migrated_database, "SECRET_KEY": "s" * 40})
    apps.append(app)
    assert app.config["ENV_NAME"] == "production"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SHOW_MAIL_VIEWER"] is False
    assert app.config["DEBUG"] is False


def test_production_has_no_mail_viewer_even_when_asked(no_environment, migrated_database, apps):
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": migrated_database,
            "SECRET_KEY": "s" * 40,
            "SHOW_MAIL_VIEWER": True,
        }
    )
    apps.append(app)
    assert app.config["SHOW_MAIL_VIEWER"] is False
    assert "mailbox.outbox" not in {rule.endpoint for rule in app.url_map.iter_rules()}
    assert app.test_client().get("/post").status_code == 404


def test_an_unknown_environment_name_refuses_to_start(monkeypatch):
    monkeypatch.setenv("BUURTHUIS_ENV", "prod")
    with pytest.raises(RuntimeError, match="BUURTHUIS_ENV must be one of"):
        config.config_for_environment()


def test_development_only_when_named(monkeypatch):
    monkeypatch.setenv("BUURTHUIS_ENV", "development")
    assert config.config_for_environment().SHOW_MAIL_VIEWER is True
    monkeypatch.setenv("BUURTHUIS_ENV", "")
    assert config.config_for_environment() is config.ProductionConfig


def _login_attempts(client, forwarded_for: str | None, count: int) -> list[int]:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return [
        client.post(
            "/api/v1/session",
            json={"email": f"niemand-{uuid.uuid4().hex}@example.org", "password": "fout"},
            headers=headers,
        ).status_code
        for _ in range(count)
    ]


def test_forwarded_addresses_are_ignored_without_trusted_proxies(app):
    client = app.test_client()
    # A spoofed header per request does not buy a fresh budget.
    statuses = [_login_attempts(client, f"203.0.113.{i}", 1)[0] for i in range(11)]
    assert statuses[:10] == [401] * 10 and statuses[10] == 429


@pytest.mark.real_commits  # a second app on the test database: its login throttle commits
def test_behind_a_trusted_proxy_each_client_has_its_own_budget(migrated_database, apps):
    from tests.conftest import app_config

    app = create_app(app_config(migrated_database, TRUSTED_PROXIES=1))
    apps.append(app)
    client = app.test_client()
    assert _login_attempts(client, "203.0.113.7", 11)[-1] == 429
    assert _login_attempts(client, "203.0.113.8", 1) == [401]
    # The proxy appends the real client: a client cannot choose its address by prepending.
    assert _login_attempts(client, "198.51.100.1, 203.0.113.7", 1) == [429]
