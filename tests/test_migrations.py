"""The migrations build exactly the models' schema, downgrade cleanly, on both databases."""

from __future__ import annotations

from collections.abc import Iterator

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from booking import create_app
from booking.extensions import db
from tests.conftest import ON_POSTGRES, app_config, scratch_database

# Real migrations with real commits, on a database of their own.
pytestmark = pytest.mark.real_commits


@pytest.fixture
def empty_database_url(database_url: str, tmp_path) -> Iterator[str]:
    with scratch_database(database_url, "buurthuis_migrations_test", tmp_path) as url:
        yield url


def test_upgrade_matches_models_and_downgrades(empty_database_url: str) -> None:
    app = create_app(app_config(empty_database_url))
    with app.app_context():
        flask_migrate.upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        assert differences == []
        if ON_POSTGRES:
            with db.engine.connect() as conn:
                names = (
                    conn.execute(text("SELECT conname FROM pg_constraint WHERE contype = 'x'"))
                    .scalars()
                    .all()
                )
            assert "ex_booking_no_overlap" in names
        flask_migrate.downgrade(revision="base")
        tables = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert tables == set()
        flask_migrate.upgrade()
        assert "booking" in inspect(db.engine).get_table_names()
        db.engine.dispose()


TABLES_WITH_ROWS = ("house", "room", "booking", "booking_series", "visit", "audit_entry")


def _row_counts() -> dict[str, int]:
    return {
        table: db.session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
        for table in TABLES_WITH_ROWS
    }


def test_a_database_with_rows_migrates_down_and_up(empty_database_url: str) -> None:
    """On SQLite batch mode rebuilds tables other rows refer to (house in 0003, booking in
    0004); with the demo's rows in place every step keeps them, and the status CHECK."""
    from booking.demo.loader import load_demo

    app = create_app(app_config(empty_database_url))
    with app.app_context():
        flask_migrate.upgrade()
        load_demo()
        db.session.commit()
        before = _row_counts()
        assert before["booking"] > 0 and before["visit"] > 0
        db.session.close()
        flask_migrate.downgrade(revision="0002")
        flask_migrate.upgrade()
        assert _row_counts() == before
        if not ON_POSTGRES:  # the migration's connection never returns to the pool
            assert db.session.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
        with pytest.raises(IntegrityError):
            db.session.execute(text("UPDATE booking SET status = 'kwijt'"))
            db.session.flush()
        db.session.rollback()
        db.session.close()
        db.engine.dispose()
