"""16 concurrent writers against one SQLite file: threads in one process, and
separate processes running the CLI (`goodwill --db FILE log ...`). No writer
may fail with "database is locked" and no write may be lost: every interaction
is there, and the person's touch count (an UPDATE of one hot row by every
writer) equals the number of writes.

``hammer`` is reused by tests/postgres/ to run the same against PostgreSQL.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reporting import report

WRITERS = 16
THREAD_WRITES = 20  # per thread
CLI_WRITES = 1  # per process (each is a whole CLI start: ~1 s of CPU)
PERSON = "hot@example.test"

pytestmark = [
    pytest.mark.xdist_group("subprocess-heavy"),
    pytest.mark.sqlite_only(
        "16 writers on one SQLite file; test_concurrency_pg.py runs them on PostgreSQL"
    ),
]

# Runs in a fresh interpreter: the test process's Django points at the test database.
_THREADS = """
import datetime as dt, json, sys, threading
from goodwill import bootstrap
bootstrap.setup(sys.argv[1])
from django.db import connections
from goodwill.services.context import local_actor
from goodwill.services.interactions import log_interaction
from goodwill.services.people import resolve_person

threads, writes = int(sys.argv[2]), int(sys.argv[3])
errors, barrier = [], threading.Barrier(threads)

def work(n):
    try:
        actor = local_actor()
        person = resolve_person(actor=actor, ref=sys.argv[4])
        barrier.wait()
        for i in range(writes):
            log_interaction(actor=actor, person=person, kind="call",
                            today=dt.date(2026, 11, 23), note=f"thread {n} write {i}")
    except Exception as exc:
        errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        connections.close_all()

pool = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
for t in pool: t.start()
for t in pool: t.join()
print(json.dumps({"errors": errors}))
"""

_COUNT = """
import json, sys
from goodwill import bootstrap
bootstrap.setup(sys.argv[1])
from goodwill.db.models import Interaction, Person
p = Person.objects.get(email=sys.argv[2])
print(json.dumps({"interactions": Interaction.objects.filter(person=p).count(),
                  "touch_count": p.touch_count}))
"""


def writer_env(tmp_path: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "GOODWILL_DB")
    }
    env.update(GOODWILL_HOME=str(tmp_path / "home"), GOODWILL_TODAY="2026-11-23")
    return env


def _python(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=600
    )


def hammer(db: str, tmp_path: Path, label: str) -> dict[str, int]:
    """Seed ``db``, run 16 writer threads and then 16 writer processes against it,
    assert nothing failed or was lost, and report the figures."""
    env = writer_env(tmp_path)
    seed = _python("-m", "goodwill", "--db", db, "add", "Hot Contact", "--email", PERSON, env=env)
    assert seed.returncode == 0, seed.stderr

    threads = _python("-c", _THREADS, db, str(WRITERS), str(THREAD_WRITES), PERSON, env=env)
    assert threads.returncode == 0, threads.stderr
    assert json.loads(threads.stdout)["errors"] == []

    log = " && ".join(
        [
            shlex.join(
                [
                    sys.executable,
                    "-m",
                    "goodwill",
                    "--db",
                    db,
                    "log",
                    PERSON,
                    "call",
                    "--note",
                    note,
                ]
            )
            for note in [f"cli write {i}" for i in range(CLI_WRITES)]
        ]
    )
    procs = [
        subprocess.Popen(
            ["sh", "-c", log], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        for _ in range(WRITERS)
    ]
    failures = []
    for proc in procs:
        _, err = proc.communicate(timeout=600)
        if proc.returncode != 0 or err:
            failures.append(err.decode())
    assert failures == []
    assert not any("locked" in f for f in failures)

    expected = WRITERS * THREAD_WRITES + WRITERS * CLI_WRITES
    counted = json.loads(_python("-c", _COUNT, db, PERSON, env=env).stdout)
    assert counted == {"interactions": expected, "touch_count": expected}
    report(
        f"concurrency ({label})",
        f"{WRITERS} threads x {THREAD_WRITES} + {WRITERS} CLI processes x {CLI_WRITES} "
        f"= {expected} writes, {counted['interactions']} stored, 0 lost, 0 'database is locked'",
    )
    return counted


def test_sixteen_concurrent_writers_on_sqlite_lose_nothing_and_never_see_a_lock(tmp_path):
    hammer(str(tmp_path / "shared.sqlite3"), tmp_path, "SQLite")
