"""`goodwill migrate-to`: a local SQLite network copied into PostgreSQL, verified,
and the same answers from both afterwards."""

from __future__ import annotations

import json
import sqlite3
import uuid

import psycopg
import pytest

from tests.reporting import report
from tests.services.test_concurrency import writer_env

pytestmark = [pytest.mark.postgres, pytest.mark.xdist_group("subprocess-heavy")]


def new_database_url(postgresql_proc) -> str:
    """The URL of a new, empty database on the test cluster."""
    name = f"gw_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(
        host=postgresql_proc.host,
        port=postgresql_proc.port,
        user=postgresql_proc.user,
        password=postgresql_proc.password or None,
        dbname="postgres",
        autocommit=True,
    ) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    auth = postgresql_proc.user + (
        f":{postgresql_proc.password}" if postgresql_proc.password else ""
    )
    return f"postgresql://{auth}@{postgresql_proc.host}:{postgresql_proc.port}/{name}"


@pytest.fixture
def empty_pg_url(postgresql_proc) -> str:
    return new_database_url(postgresql_proc)


def _goodwill(*args, env):
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-m", "goodwill", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_migrate_to_copies_everything_and_both_databases_answer_alike(tmp_path, empty_pg_url):
    env = writer_env(tmp_path)
    src = str(tmp_path / "local.sqlite3")
    assert _goodwill("--db", src, "demo", "--people", "150", "--seed", "3", env=env).returncode == 0
    env_pw = {**env, "GOODWILL_PASSWORD": "a long enough password"}
    assert _goodwill("--db", src, "user", "add", "owner@example.com", env=env_pw).returncode == 0
    assert _goodwill("--db", src, "token", "create", "--scope", "write", env=env).returncode == 0

    r = _goodwill("--db", src, "migrate-to", empty_pg_url, "--json", env=env)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["ok"] is True and out["tables"]["goodwill_person"] >= 150

    lite = sqlite3.connect(src)
    with psycopg.connect(empty_pg_url) as pg:
        for table, rows in out["tables"].items():
            assert lite.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] == rows, table
            assert pg.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] == rows, table
        # Vacuumed and analyzed by the copy: statistics and the visibility map are there.
        stats = "SELECT count(*) FROM pg_stats WHERE tablename = 'goodwill_interaction'"
        assert pg.execute(stats).fetchone()[0] > 0
        visible = "SELECT relallvisible FROM pg_class WHERE relname = 'goodwill_interaction'"
        assert pg.execute(visible).fetchone()[0] > 0

    for args in (["people", "--json", "--limit", "500"], ["today", "--json", "--count", "3"]):
        here = _goodwill("--db", src, *args, env=env)
        there = _goodwill("--db", empty_pg_url, *args, env=env)
        assert here.returncode == there.returncode == 0, there.stderr
        assert json.loads(here.stdout) == json.loads(there.stdout), args

    # Sequences were reset: a new row on the server gets a fresh id.
    new = _goodwill("--db", empty_pg_url, "add", "After Move", "--json", env=env)
    assert new.returncode == 0, new.stderr
    assert json.loads(new.stdout)["id"] > out["tables"]["goodwill_person"]
    report(
        "migrate-to",
        f"{out['rows']} rows in {len(out['tables'])} tables copied SQLite -> PostgreSQL, "
        "counts and SHA-256 checksums equal",
    )


def test_migrate_to_refuses_a_database_that_already_holds_data(tmp_path, empty_pg_url):
    env = writer_env(tmp_path)
    src = str(tmp_path / "local.sqlite3")
    assert _goodwill("--db", src, "add", "Someone", env=env).returncode == 0
    assert _goodwill("--db", src, "migrate-to", empty_pg_url, env=env).returncode == 0
    again = _goodwill("--db", src, "migrate-to", empty_pg_url, env=env)
    assert again.returncode == 2 and "not empty" in again.stderr
