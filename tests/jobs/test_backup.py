"""`flask backup PATH`: an online SQLite backup that opens and restores; pg_dump advice."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from sqlalchemy import func, select

from booking import create_app
from booking.extensions import db
from booking.models import Booking
from tests.conftest import ON_POSTGRES, app_config

# The backup reads the database file through a connection of its own.
pytestmark = pytest.mark.real_commits


def _booking_count(url: str) -> int:
    restored = create_app(app_config(url))
    with restored.app_context():
        try:
            return db.session.scalar(select(func.count()).select_from(Booking))
        finally:
            db.session.remove()
            db.engine.dispose()


@pytest.mark.skipif(ON_POSTGRES, reason="the backup command copies SQLite files only")
def test_backup_opens_with_sqlite_and_restores(app, runner, make_house, make_user, book, tmp_path):
    house, organiser = make_house(), make_user()
    for days in (2, 3, 4):
        book(organiser, house.room_ids[0], days_ahead=days)
    target = tmp_path / "backups" / "buurthuis.sqlite"

    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert f"Back-up geschreven naar {target}" in result.output
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT count(*) FROM booking").fetchone() == (3,)
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert not list(target.parent.glob(".*"))  # no temporary file left behind

    # Restore: copy the backup into place and open it with the app.
    restored = tmp_path / "restored.sqlite"
    shutil.copyfile(target, restored)
    assert _booking_count(f"sqlite:///{restored}") == 3


@pytest.mark.skipif(ON_POSTGRES, reason="the backup command copies SQLite files only")
def test_backup_refuses_to_overwrite_unless_forced(app, runner, tmp_path, make_house):
    target = tmp_path / "bestaat.sqlite"
    target.write_text("oud")
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 1
    assert "bestaat al" in result.output and "--force" in result.output
    assert target.read_text() == "oud"

    make_house()
    result = runner.invoke(args=["backup", str(target), "--force"])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT count(*) FROM house").fetchone() == (1,)


def test_backup_of_postgresql_prints_the_pg_dump_command(tmp_path):
    app = create_app(app_config("postgresql+psycopg://buurt:geheim@db.example:5432/buurthuis"))
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "dump.pgc")])
    assert result.exit_code == 1
    assert "pg_dump --format=custom" in result.output
    assert "postgresql://buurt:***@db.example:5432/buurthuis" in result.output
    assert "geheim" not in result.output
    assert "Gebruik voor PostgreSQL pg_dump" in result.output
    assert not (tmp_path / "dump.pgc").exists()
