"""Engine set-up: SQLite pragmas, UTC times, and the serialised write transaction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from booking.database import begin_write
from booking.extensions import db
from booking.models import Area
from tests.conftest import ON_POSTGRES


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite pragmas")
def test_sqlite_runs_in_wal_with_foreign_keys(app):
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        busy_timeout = db.session.execute(text("PRAGMA busy_timeout")).scalar()
        assert busy_timeout == app.config["DATABASE_BUSY_TIMEOUT_MS"] > 0


def test_times_come_back_as_aware_utc(app, make_house):
    from booking.models import Closure

    house = make_house()
    amsterdam_noon = datetime(2026, 7, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    with app.app_context():
        db.session.add(
            Closure(
                house_id=house.id,
                starts_at=amsterdam_noon,
                ends_at=amsterdam_noon + timedelta(hours=1),
                reason="Onderhoud",
            )
        )
        db.session.commit()
        db.session.expire_all()
        closure = db.session.query(Closure).one()
        assert closure.starts_at == datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
        assert closure.starts_at.tzinfo is UTC


def test_naive_datetimes_are_refused(app, make_house):
    from booking.models import Closure

    house = make_house()
    with app.app_context():
        db.session.add(
            Closure(
                house_id=house.id,
                starts_at=datetime(2026, 7, 1, 12),
                ends_at=datetime(2026, 7, 1, 13),
                reason="x",
            )
        )
        with pytest.raises(Exception, match="naive datetime"):
            db.session.flush()
        db.session.rollback()


def test_begin_write_ends_a_read_transaction_first(app):
    with app.app_context():
        db.session.query(Area).all()  # opens a read transaction
        begin_write()
        db.session.add(Area(name="Megen", kind="kern"))
        db.session.commit()
        assert db.session.query(Area).count() == 1


def test_begin_write_refuses_after_pending_changes(app):
    if ON_POSTGRES:
        pytest.skip("a no-op on PostgreSQL")
    with app.app_context():
        db.session.query(Area).all()
        db.session.add(Area(name="Haren", kind="kern"))
        with pytest.raises(RuntimeError):
            begin_write()
        db.session.rollback()
