"""SIGKILL during a large import, at random points: the SQLite file stays sound
(integrity and foreign-key checks pass) and the import is all or nothing.

The import runs as the real CLI in a subprocess (`goodwill --db FILE import csv`)
against a database that already holds a network; each kill lands somewhere in
the import's measured running time, counted from when the import service starts.

``kill_imports`` is reused by tests/postgres/ to do the same against PostgreSQL.
"""

from __future__ import annotations

import csv
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.reporting import report
from tests.services.test_concurrency import writer_env

ROWS = 8000
KILLS = 5

pytestmark = [
    pytest.mark.xdist_group("subprocess-heavy"),
    pytest.mark.sqlite_only(
        "kills an import into a SQLite file; test_kill_pg.py kills one into PostgreSQL"
    ),
]


def _goodwill(*args: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "goodwill", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


# The real CLI, which says "importing" on stdout when the import service starts
# (after Python, Django and the command have started and the file has been read),
# so kills can land in the import itself however slow the start is.
_ANNOUNCED_IMPORT = """
import sys
from goodwill import bootstrap
from goodwill.cli import main

setup = bootstrap.setup

def announcing_setup(*args, **kwargs):
    setup(*args, **kwargs)
    from goodwill.services import importing
    import_file = importing.import_file

    def announced(**kw):
        print("importing", flush=True)
        return import_file(**kw)

    importing.import_file = announced

bootstrap.setup = announcing_setup
sys.argv = ["goodwill", *sys.argv[1:]]
main()
"""


def _import(db: str, source: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """Start an import of ``source``; returns once the import service has begun."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _ANNOUNCED_IMPORT, "--db", db, "import", "csv", str(source)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line == b"importing\n", (line, proc.stderr.read() if proc.stderr else "")
    return proc


def _seed(db: str, env: dict[str, str]) -> None:
    """One person already known; their title is the imported people's (see ``state``)."""
    seed = _goodwill(
        "--db", db, "add", "Already Known", "--email", "known@example.test", "--title", "CFO",
        env=env,
    )  # fmt: skip
    assert seed.wait(timeout=120) == 0, seed.stderr.read() if seed.stderr else ""


def kill_imports(
    *, new_db: Callable[[], str], tmp_path: Path, state: Callable[[str], tuple[int, int]]
) -> None:
    """Kill imports of ROWS contacts into a seeded database at random points.

    ``new_db()`` makes an empty database and returns its --db value; ``state(db)``
    checks that a database is sound and returns (people, people that full-text
    search finds). One import first runs undisturbed, to time it; an import that
    committed before its kill is followed by a fresh database, so every kill
    interrupts a first import.
    """
    env = writer_env(tmp_path)
    source = tmp_path / "contacts.csv"
    with source.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["name", "email", "organization", "title", "notes"])
        for i in range(ROWS):
            w.writerow(
                [f"Contact {i}", f"c{i}@example.test", f"Firm {i % 300}", "CFO", "met at a fair"]
            )

    def seeded() -> str:
        db = new_db()
        _seed(db, env)
        assert state(db) == (1, 1)
        return db

    # How long does the import itself take here (from its start to the process's end)?
    calibration = seeded()
    proc = _import(calibration, source, env)
    start = time.monotonic()
    assert proc.wait(timeout=300) == 0, proc.stderr.read() if proc.stderr else ""
    duration = timed = time.monotonic() - start
    assert state(calibration) == (1 + ROWS, 1 + ROWS)

    rng = random.Random(8)
    untouched = completed = 0
    db = seeded()
    for _ in range(KILLS):
        proc = _import(db, source, env)
        waited = rng.uniform(0.0, 0.9) * duration
        time.sleep(waited)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        people, indexed = state(db)
        assert people == indexed
        assert people in (1, 1 + ROWS), f"partial import: {people} people"
        if people == 1:
            untouched += 1
        else:
            completed += 1
            duration = waited  # it commits sooner than timed (a busy machine): aim earlier
            db = seeded()  # a second import would only update: start again
    report(
        "kill during import",
        f"{KILLS} SIGKILLs survived during a {ROWS}-row import ({timed:.1f} s): "
        f"{untouched} left nothing, {completed} had committed; database sound, "
        "search index complete, no partial import",
    )
    assert untouched >= 1


def _sqlite_state(db: str) -> tuple[int, int]:
    """(people, people in both search indexes), after SQLite's integrity checks pass."""
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        people = con.execute("SELECT count(*) FROM goodwill_person").fetchone()[0]
        indexed = con.execute("SELECT count(*) FROM goodwill_fts WHERE rowid % 2 = 0").fetchone()[0]
        names = con.execute("SELECT count(*) FROM goodwill_name_trgm_docsize").fetchone()[0]
        counted = con.execute("SELECT coalesce(sum(people), 0) FROM goodwill_peoplecount")
        assert counted.fetchone()[0] == people  # the kept count too
        return people, min(indexed, names)
    finally:
        con.close()


def test_killing_an_import_at_random_points_leaves_all_or_nothing(tmp_path):
    files = (str(tmp_path / f"network{n}.sqlite3") for n in range(KILLS + 2))
    kill_imports(new_db=lambda: next(files), tmp_path=tmp_path, state=_sqlite_state)
