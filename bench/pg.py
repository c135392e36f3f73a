"""The web under load on PostgreSQL: a throwaway cluster, the network copied into
it with ``goodwill migrate-to`` (timed), then the same load test as on SQLite.

The cluster lives in a temporary directory (data and unix socket, no TCP port),
is started with Debian's binaries (``/usr/lib/postgresql/*/bin``) or those on
PATH, and is stopped and removed at the end, also on an error or SIGTERM.
PostgreSQL refuses to run as root: as root, its commands run as the ``postgres``
user (``runuser``), like the test suite's ``tests/postgres/pg_ctl_as_postgres``.
Its settings are PostgreSQL's defaults (fsync and synchronous commit on).

``python -m bench.pg [PEOPLE]`` runs only the web under load, on SQLite and on
PostgreSQL, and prints the table (PEOPLE defaults to 100,000).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from . import load
from .networks import CACHE, env, goodwill, network

DATABASE = "goodwill"
OWNER = "postgres"  # the superuser initdb creates, and the system user run as when root


class Unavailable(Exception):
    """PostgreSQL cannot run here (a binary or the ``postgres`` user is missing)."""


def bindir() -> Path:
    """The newest Debian PostgreSQL binaries, else the directory of PATH's pg_ctl."""
    for found in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version, reverse=True):
        if all((Path(found) / tool).exists() for tool in ("initdb", "pg_ctl", "createdb")):
            return Path(found)
    pg_ctl = shutil.which("pg_ctl")
    if pg_ctl and shutil.which("initdb") and shutil.which("createdb"):
        return Path(pg_ctl).parent
    raise Unavailable("PostgreSQL is not installed (no initdb, pg_ctl and createdb)")


def _version(path: str) -> tuple[int, ...]:
    name = Path(path).parent.name
    return tuple(int(p) for p in name.split(".") if p.isdigit())


@contextlib.contextmanager
def _sigterm_raises() -> Iterator[None]:
    """A SIGTERM ends the run through ``finally`` blocks (the cluster is removed)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def cluster() -> Iterator[str]:
    """A running throwaway cluster with an empty database; yields its URL."""
    bin_ = bindir()
    as_root = os.geteuid() == 0
    if as_root:
        try:
            owner = pwd.getpwnam(OWNER)
        except KeyError:
            raise Unavailable(f"running as root and there is no {OWNER!r} user") from None
    prefix = ["runuser", "-u", OWNER, "--"] if as_root else []
    home = Path(tempfile.mkdtemp(prefix="goodwill-bench-pg-"))
    data, log = home / "data", home / "server.log"

    def run(*args: str) -> None:
        try:
            subprocess.run([*prefix, *args], check=True, capture_output=True, text=True)
        except subprocess.CalledProcessError as exc:
            said = [*exc.stderr.strip().splitlines(), *_tail(log)]
            raise RuntimeError(
                f"{Path(args[0]).name} failed: {said[-1] if said else exc}"
            ) from None

    with _sigterm_raises():
        try:
            if as_root:
                os.chown(home, owner.pw_uid, owner.pw_gid)
                for up in home.parents:  # postgres must reach its directory
                    if not os.stat(up).st_mode & 0o001:
                        os.chmod(up, os.stat(up).st_mode | 0o001)
            run(str(bin_ / "initdb"), "-D", str(data), "-U", OWNER, "-A", "trust",
                "-E", "UTF8", "--locale=C", "--no-sync")  # fmt: skip
            run(str(bin_ / "pg_ctl"), "-D", str(data), "-l", str(log),
                "-o", f"-c listen_addresses='' -k {home}", "-w", "-t", "60", "start")  # fmt: skip
            run(str(bin_ / "createdb"), "-h", str(home), "-U", OWNER, DATABASE)
            yield f"postgresql://{OWNER}@{urllib.parse.quote(str(home), safe='')}/{DATABASE}"
        finally:
            if (data / "postmaster.pid").exists():
                subprocess.run(
                    [*prefix, str(bin_ / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                    check=False,
                    capture_output=True,
                )
            shutil.rmtree(home, ignore_errors=True)


def _tail(log: Path) -> list[str]:
    try:
        return log.read_text(errors="replace").strip().splitlines()[-1:]
    except OSError:
        return []


def copy_into(sqlite_db: Path, url: str) -> float:
    """``goodwill --db sqlite_db migrate-to url``; returns the seconds it took."""
    started = time.perf_counter()
    out = subprocess.run(
        goodwill("--db", str(sqlite_db), "migrate-to", url, "--json"),
        env=env(),
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if out.returncode:
        said = (out.stderr or out.stdout).strip().splitlines()
        raise RuntimeError(f"migrate-to failed: {said[-1] if said else out.returncode}")
    return seconds


def measure(db: Path, person_ids: list[int]) -> dict[str, Any]:
    """The load test on a PostgreSQL copy of ``db`` (only read: migrate-to works
    from a scratch copy of it). ``{"migrate_s": …, "load": …}``, or ``{"error": …}``
    saying why PostgreSQL could not be measured."""
    scratch = CACHE / f"pg-source-{db.stem}.sqlite3"
    try:
        with cluster() as url:
            shutil.copyfile(db, scratch)
            migrate_s = copy_into(scratch, url)
            return {"migrate_s": migrate_s, "load": load.measure(url, person_ids)}
    except Unavailable as exc:
        return {"error": str(exc)}
    finally:
        for old in CACHE.glob(f"{scratch.name}*"):
            old.unlink()


def rows(database: str, result: dict[str, Any]) -> list[list[str]]:
    """Rows of the "Web under load" table (see load_headers) for one database."""
    if "error" in result:
        return [[database, "–", "–", "0", "–", "–", "–", "–", result["error"]]]
    found = []
    for clients, scenarios in result["levels"].items():
        for name, s in scenarios.items():
            found.append(
                [
                    database,
                    name,
                    str(clients),
                    str(s["requests"]),
                    str(s.get("p50", "–")),
                    str(s.get("p95", "–")),
                    str(s.get("p99", "–")),
                    str(s["errors"]),
                    "",
                ]
            )
    for name in result["missing"]:
        found.append([database, name, "–", "0", "–", "–", "–", "–", "not available yet"])
    return found


HEADERS = [
    "database", "scenario", "clients", "requests", "p50 ms", "p95 ms", "p99 ms", "errors", "note",
]  # fmt: skip


def under_load(work: Path, source: Path, person_ids: list[int]) -> dict[str, Any]:
    """Both databases: SQLite on ``work`` (a scratch copy: the test writes), PostgreSQL
    on a copy of ``source`` (the pristine network). The table's rows, how long the
    copy into PostgreSQL took (None when it did not run) and a line saying so."""
    from goodwill.web.server import default_workers

    table: list[list[str]] = []
    try:
        table += rows("SQLite", load.measure(work, person_ids))
    except Exception as exc:  # noqa: BLE001  (a failed run is a row, not a crash)
        table += rows("SQLite", {"error": str(exc)[:200]})
    try:
        pg = measure(source, person_ids)
    except Exception as exc:  # noqa: BLE001
        pg = {"error": str(exc)[:200]}
    table += rows("PostgreSQL", pg.get("load", pg))
    migrate_s = pg.get("migrate_s")
    note = (
        f"{load.DURATION_S:.0f} s per level (at most {load.MAX_REQUESTS} requests) after "
        f"{load.WARMUP_S:.0f} s at that level not counted (every worker then has its "
        "connections and what it keeps loaded), the scenarios in turn on keep-alive "
        "connections; `goodwill serve` with its defaults "
        f"({default_workers()} worker processes of 8 threads). PostgreSQL: a throwaway "
        "cluster with default settings on a unix socket, "
        + (
            f"the network copied in by `goodwill migrate-to` in {migrate_s:.0f} s."
            if migrate_s is not None
            else "not measured (see the row)."
        )
    )
    return {"rows": table, "migrate_s": migrate_s, "note": note}


def main() -> None:
    from rich.console import Console
    from rich.table import Table

    from .__main__ import busy_people, work_copy

    size = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    db, _ = network(size)
    work = work_copy(db, size)
    try:
        result = under_load(work, db, busy_people(work))
    finally:
        for old in CACHE.glob(f"{work.name}*"):
            old.unlink()
    t = Table(title=f"Web under load, {size:,} people", title_justify="left")
    for h in HEADERS:
        t.add_column(h)
    for row in result["rows"]:
        t.add_row(*row)
    Console(highlight=False).print(t)
    print(result["note"])


if __name__ == "__main__":
    main()
