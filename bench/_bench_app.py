"""WSGI entry point for the benchmark: `gunicorn 'bench._bench_app:app'`.

The app is built like the test suite builds it (config.TestingConfig, fast password
hashing) on the database named by BENCH_DATABASE_URL, with the rate limiter switched off
so thousands of sequential requests from one address are measured, not throttled.
"""

from __future__ import annotations

import os
from typing import Any

from config import TestingConfig, normalise_database_url

DATABASE_URL_VARIABLE = "BENCH_DATABASE_URL"


def bench_config(database_url: str, **overrides: Any) -> dict[str, Any]:
    """TestingConfig as a dict (as tests/conftest.py app_config does), on `database_url`."""
    config = {k: getattr(TestingConfig, k) for k in dir(TestingConfig) if k.isupper()}
    config.update(
        SQLALCHEMY_DATABASE_URI=normalise_database_url(database_url),
        PASSWORD_HASH_METHOD=TestingConfig.PASSWORD_HASH_METHOD,
        RATELIMIT_ENABLED=False,
        **overrides,
    )
    return config


def _build_app() -> Any:
    from booking import create_app

    # TESTING off: an unexpected error answers 500 through the app's own handler, as in
    # production, instead of propagating into the gunicorn worker.
    return create_app(bench_config(os.environ[DATABASE_URL_VARIABLE], TESTING=False))


# Built only when the server imports this module; the benchmark script imports
# bench_config from here without a database URL in its own environment.
app = _build_app() if os.environ.get(DATABASE_URL_VARIABLE) else None
