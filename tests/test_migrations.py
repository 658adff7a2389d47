"""The migrations build exactly the models' schema, downgrade cleanly, on both databases."""

from __future__ import annotations

from collections.abc import Iterator

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

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
