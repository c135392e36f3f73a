"""SIGKILL during a large import into PostgreSQL, at random points: the import is
all or nothing, every B-tree index agrees with its table (amcheck), and the
full-text (GIN) index finds every person."""

from __future__ import annotations

import time

import psycopg
import pytest

from goodwill.db.search import PERSON_DOC
from tests.postgres.test_migrate_to import new_database_url
from tests.services.test_kill import kill_imports

pytestmark = [pytest.mark.postgres, pytest.mark.xdist_group("subprocess-heavy")]

BTREES = """
SELECT c.oid::regclass::text FROM pg_index i
JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
WHERE am.amname = 'btree' AND c.relnamespace = 'public'::regnamespace
"""


def _settle(con: psycopg.Connection) -> None:
    """Wait until the killed client's server process has rolled back and gone."""
    deadline = time.monotonic() + 60
    while con.execute(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
    ).fetchone()[0]:
        assert time.monotonic() < deadline, "a killed import's session never ended"
        time.sleep(0.1)


def _pg_state(url: str) -> tuple[int, int]:
    """(people, people the full-text index finds), after amcheck passes."""
    with psycopg.connect(url, autocommit=True) as con:
        _settle(con)
        con.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
        for (index,) in con.execute(BTREES).fetchall():
            con.execute("SELECT bt_index_check(%s::regclass, true)", [index])
        people = con.execute("SELECT count(*) FROM goodwill_person").fetchone()[0]
        con.execute("SET enable_seqscan = off")  # answer from the GIN index
        indexed = con.execute(
            f"SELECT count(*) FROM goodwill_person "
            f"WHERE to_tsvector('simple', {PERSON_DOC}) @@ to_tsquery('simple', 'cfo')"
        ).fetchone()[0]
        counted = con.execute("SELECT coalesce(sum(people), 0) FROM goodwill_peoplecount")
        assert counted.fetchone()[0] == people  # the kept count too
        return people, indexed


def test_killing_an_import_into_postgresql_leaves_all_or_nothing(tmp_path, postgresql_proc):
    kill_imports(
        new_db=lambda: new_database_url(postgresql_proc), tmp_path=tmp_path, state=_pg_state
    )
