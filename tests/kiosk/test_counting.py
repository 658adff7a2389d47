"""The visit INSERTs are cached by SQLAlchemy (kiosk/counting.py): a check-in does not
compile its statement again, and each statement keeps its ON CONFLICT clause."""

from __future__ import annotations

import pytest
from sqlalchemy.dialects import postgresql, sqlite

from kiosk import counting

DIALECTS = {"sqlite": sqlite.dialect(), "postgresql": postgresql.dialect()}


@pytest.mark.parametrize("dialect", DIALECTS)
def test_the_visit_inserts_have_cache_keys_and_keep_on_conflict(dialect: str) -> None:
    statements = [
        counting._INSERT_VISIT[dialect],
        counting._INSERT_UNLESS_SEEN[dialect, False],
        counting._INSERT_UNLESS_SEEN[dialect, True],
    ]
    keys = [statement._generate_cache_key() for statement in statements]
    assert all(key is not None for key in keys)
    # the guarded inserts differ from the plain one and from each other
    assert keys[0] != keys[1] and keys[0] != keys[2] and keys[1] != keys[2]
    for statement in statements:
        sql = str(statement.compile(dialect=DIALECTS[dialect]))
        assert "ON CONFLICT (client_id) DO NOTHING" in sql and "RETURNING" in sql
