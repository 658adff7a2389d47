"""Configuration classes that read the environment.

Secrets never live in the repository: SECRET_KEY comes from the environment, or for
development from a file in the instance folder that is generated on first use.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("BUURTHUIS_INSTANCE", BASE_DIR / "instance"))


def _instance_secret_key() -> str:
    """Keep one generated key per development instance so sessions survive restarts."""
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def normalise_database_url(url: str) -> str:
    """Accept the usual postgres:// spellings and use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


class Config:
    """Production unless told otherwise: the safe settings are the defaults."""

    ENV_NAME = "production"
    SECRET_KEY = os.environ.get("SECRET_KEY") or None
    SQLALCHEMY_DATABASE_URI = normalise_database_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'buurthuis.sqlite'}")
    )
    # hide_parameters: no bound values (password hashes, e-mail addresses) in SQLAlchemy's
    # log or in error messages. create_app adds the timeouts below (booking/database.py).
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True, "hide_parameters": True}
    # PostgreSQL, per connection: a statement runs at most this long, and waits at most
    # DATABASE_LOCK_TIMEOUT_MS for a lock (0: no limit). The request then answers 503.
    DATABASE_STATEMENT_TIMEOUT_MS = _env_int("DATABASE_STATEMENT_TIMEOUT_MS", 15000)
    DATABASE_LOCK_TIMEOUT_MS = _env_int("DATABASE_LOCK_TIMEOUT_MS", 5000)
    # SQLite: how long a writer waits for another writer's lock before giving up (503).
    DATABASE_BUSY_TIMEOUT_MS = _env_int("DATABASE_BUSY_TIMEOUT_MS", 5000)
    # The name the app's PostgreSQL connections carry in pg_stat_activity.
    DATABASE_APPLICATION_NAME = os.environ.get("DATABASE_APPLICATION_NAME", "buurthuis")
    # The Retry-After of a 503 when the database is briefly unavailable.
    DATABASE_RETRY_AFTER_SECONDS = _env_int("DATABASE_RETRY_AFTER_SECONDS", 5)
    MAX_CONTENT_LENGTH = 1024 * 1024
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "1") == "1"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    REMEMBER_COOKIE_HTTPONLY = True
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    LANGUAGES = ("nl", "en")
    KIOSK_LANGUAGES = ("nl", "en", "tr", "ar", "pl")
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "buurthuis")
    RATELIMIT_HEADERS_ENABLED = True
    # Per client address, through Flask-Limiter (shared between workers only with Redis).
    LOGIN_RATE_LIMIT = "10 per 5 minutes"
    # Per account, in the database: after LOGIN_MAX_FAILURES wrong passwords in a row the
    # account waits LOGIN_BLOCK_SECONDS, doubling with every further failure up to a day.
    LOGIN_MAX_FAILURES = _env_int("LOGIN_MAX_FAILURES", 10)
    LOGIN_BLOCK_SECONDS = _env_int("LOGIN_BLOCK_SECONDS", 300)
    # How many proxies in front of the app set X-Forwarded-For/-Proto/-Host (0: none).
    # Behind the README's TLS proxy this is 1; never more than the proxies you run.
    TRUSTED_PROXIES = _env_int("TRUSTED_PROXIES", 0)
    MAIL_FROM = os.environ.get("MAIL_FROM", "Buurthuis <noreply@buurthuis.example>")
    SMTP_HOST = os.environ.get("SMTP_HOST", "")
    SMTP_PORT = int(os.environ.get("SMTP_PORT", "25"))
    SMTP_USER = os.environ.get("SMTP_USER", "")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
    SMTP_STARTTLS = os.environ.get("SMTP_STARTTLS", "0") == "1"
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    PASSWORD_RESET_MAX_AGE = 3600
    # Who may show a house's agenda (/huizen/<slug>/agenda-embed) in an iframe: the CSP
    # frame-ancestors sources, space separated. Default: any https website, since the
    # agenda is public; e.g. "https://www.dewijk.nl https://*.gemeente.nl" narrows it.
    # Every other page refuses to be framed.
    EMBED_FRAME_ANCESTORS = os.environ.get("EMBED_FRAME_ANCESTORS", "https:")
    PASSWORD_HASH_METHOD = "scrypt"
    SHOW_MAIL_VIEWER = False


class DevelopmentConfig(Config):
    """Only with BUURTHUIS_ENV=development (`make run` sets it): a local key, plain HTTP."""

    ENV_NAME = "development"
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "0") == "1"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SHOW_MAIL_VIEWER = True


class ProductionConfig(Config):
    ENV_NAME = "production"


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"
    SQLALCHEMY_DATABASE_URI = normalise_database_url(
        os.environ.get("TEST_DB_URL", "sqlite:///:memory:")
    )
    RATELIMIT_STORAGE_URI = "memory://"
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    PUBLIC_BASE_URL = "http://localhost"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    SHOW_MAIL_VIEWER = True
    # The race tests pile 50 writers onto one SQLite file on a shared machine; the tests
    # of the bounded wait (tests/test_database_faults.py) set their own short one.
    DATABASE_BUSY_TIMEOUT_MS = 30000


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "testing": TestingConfig,
}


def config_for_environment() -> type[Config]:
    """Production unless BUURTHUIS_ENV names another configuration explicitly."""
    name = os.environ.get("BUURTHUIS_ENV", "").strip() or "production"
    if name not in CONFIGS:
        raise RuntimeError(f"BUURTHUIS_ENV must be one of {', '.join(CONFIGS)}, not {name!r}")
    return CONFIGS[name]


def development_secret_key() -> str:
    """Development only: production refuses to start without SECRET_KEY."""
    return _instance_secret_key()
