"""Browser tests: a real threaded server on loopback, Debian's Chromium, axe-core.

Chromium comes from Debian (`playwright install` cannot download browsers here). Without
/usr/bin/chromium the browser tests are skipped with a clear reason, except under CI,
where a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import flask_migrate
import pytest
from axe_playwright_python.sync_playwright import Axe
from werkzeug.serving import make_server

from booking import create_app
from booking.demo.loader import load_demo
from booking.extensions import db
from tests.conftest import app_config, scratch_database

CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None
)
SERIOUS = {"serious", "critical"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    browser_items = [i for i in items if "tests/browser/" in str(i.fspath).replace(os.sep, "/")]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
        item.add_marker(pytest.mark.real_commits)  # a real server, on a database of its own
    if CHROMIUM:
        return
    if os.environ.get("CI"):
        raise pytest.UsageError("CI: /usr/bin/chromium is missing, so the browser tests cannot run")
    skip = pytest.mark.skip(
        reason="Chromium ontbreekt: browser tests overgeslagen "
        "(installeer met: apt-get install chromium)"
    )
    for item in browser_items:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-quic",
            "--no-first-run",
            "--disable-sync",
            "--lang=nl-NL",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "nl-NL", "timezone_id": "Europe/Amsterdam"}


@pytest.fixture(scope="session")
def live_database_url(tmp_path_factory: pytest.TempPathFactory, database_url: str) -> Iterator[str]:
    """A database of its own, so the other tests' clean-ups never touch it."""
    with scratch_database(
        database_url, "buurthuis_browser_test", tmp_path_factory.mktemp("live")
    ) as url:
        yield url


@pytest.fixture(scope="session")
def live_server(live_app: Any) -> str:
    return live_app.config["LIVE_URL"]


@pytest.fixture(scope="session")
def live_app(live_database_url: str) -> Iterator[Any]:
    """The app with the Oss demo loaded, served by a threaded server on a free port."""
    with serve_demo(live_database_url) as app:
        yield app


@contextmanager
def serve_demo(database_url: str) -> Iterator[Any]:
    """Migrate `database_url`, load the Oss demo and serve it on a free port until the block
    ends; the app's LIVE_URL (and PUBLIC_BASE_URL, for links in mails) say where."""
    app = create_app(app_config(database_url, PUBLIC_BASE_URL="http://127.0.0.1"))
    with app.app_context():
        flask_migrate.upgrade()
        load_demo()
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["LIVE_URL"] = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_BASE_URL"] = app.config["LIVE_URL"]
    try:
        yield app
    finally:
        server.shutdown()
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


def assert_accessible(axe: Axe, page: Any) -> None:
    """No serious or critical axe-core violations on the page as it is now."""
    results = axe.run(page)
    violations = [v for v in results.response["violations"] if v.get("impact") in SERIOUS]
    details = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
    ]
    assert not violations, f"{page.url}:\n" + "\n".join(details)


def log_in(page: Any, base: str, email: str, password: str = "buurthuis-demo") -> None:
    page.goto(f"{base}/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{base}/dashboard")
