"""Buurthuis: room booking and anonymous visitor check-in for community centres."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from config import CONFIGS, INSTANCE_DIR, Config, config_for_environment, development_secret_key

PROJECT_DIR = Path(__file__).resolve().parent.parent


def _load_config(app: Flask, config: str | type[Config] | Mapping[str, Any] | None) -> None:
    if config is None or isinstance(config, Mapping):
        app.config.from_object(config_for_environment())
        app.config.update(config or {})
    elif isinstance(config, str):
        app.config.from_object(CONFIGS[config])
    else:
        app.config.from_object(config)
    if not app.config.get("SECRET_KEY"):
        if app.config.get("ENV_NAME") != "development":
            raise RuntimeError(
                "SECRET_KEY must be set in the environment (or set BUURTHUIS_ENV=development "
                "for a local development instance)"
            )
        app.config["SECRET_KEY"] = development_secret_key()
    if app.config.get("ENV_NAME") != "development":
        app.config["SHOW_MAIL_VIEWER"] = app.config.get("ENV_NAME") == "testing" and bool(
            app.config.get("SHOW_MAIL_VIEWER")
        )


def create_app(config: str | type[Config] | Mapping[str, Any] | None = None) -> Flask:
    """Build the application. Nothing here touches the database or starts a scheduler."""
    app = Flask(
        __name__,
        instance_path=str(INSTANCE_DIR),
        template_folder=str(PROJECT_DIR / "templates"),
        static_folder=str(PROJECT_DIR / "static"),
    )
    _load_config(app, config)
    _trust_proxies(app)

    from booking import cli, error_pages, i18n, input_guard, security, transaction
    from booking.database import (
        DEFAULT_BUSY_TIMEOUT_MS,
        engine_options,
        install_error_scrubbing,
        install_sqlite_transaction_control,
    )
    from booking.extensions import csrf, db, limiter, login_manager, migrate

    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config)
    db.init_app(app)
    with app.app_context():
        install_sqlite_transaction_control(
            db.engine, app.config.get("DATABASE_BUSY_TIMEOUT_MS", DEFAULT_BUSY_TIMEOUT_MS)
        )
        install_error_scrubbing(db.engine)
    migrate.init_app(app, db, directory=str(PROJECT_DIR / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    i18n.init_app(app)
    input_guard.init_app(app)
    security.init_app(app)
    error_pages.init_app(app)
    transaction.init_app(app)
    cli.init_app(app)
    _register_blueprints(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Believe X-Forwarded-* only from the configured number of proxies in front."""
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops
        )


def _register_blueprints(app: Flask) -> None:
    from booking import routing

    routing.install(app.url_map)  # before any rule: every <int:...> is bounded (404 beyond)

    from booking import accounts, api, beheer, feeds, gemeente, mailbox, public, rooms, stats
    from kiosk import create_blueprint as kiosk_blueprint

    for area in (public, accounts, rooms, beheer, gemeente, feeds, stats, api):
        app.register_blueprint(area.create_blueprint())
    app.register_blueprint(kiosk_blueprint())
    if app.config.get("SHOW_MAIL_VIEWER"):  # never in production: see booking/mailbox
        app.register_blueprint(mailbox.create_blueprint())
