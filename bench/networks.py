"""Demo networks at fixed sizes, built once by ``goodwill demo`` and cached."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(__file__).resolve().parent / ".cache"
TODAY = "2026-11-23"  # a fixed date: cached networks and figures stay comparable
SEED = 1


def _fingerprint() -> str:
    """Changes when the generator changes, so a stale cache is rebuilt."""
    h = hashlib.sha256()
    services = ROOT / "src" / "goodwill" / "services"
    for name in ("demo.py", "demo_activity.py", "demo_words.py", "bulkload.py"):
        h.update((services / name).read_bytes())
    for migration in sorted((ROOT / "src" / "goodwill" / "db" / "migrations").glob("0*.py")):
        h.update(migration.name.encode())
    return h.hexdigest()[:12]


def env() -> dict[str, str]:
    """The environment every goodwill subprocess of the bench runs in."""
    return {
        **os.environ,
        "GOODWILL_TODAY": TODAY,
        "GOODWILL_HOME": str(CACHE / "home"),
        "PYTHONPATH": str(ROOT / "src"),
    }


def goodwill(*args: str) -> list[str]:
    return [sys.executable, "-m", "goodwill", *args]


def network(size: int) -> tuple[Path, float | None]:
    """The cached database of ``size`` people, and how long ``goodwill demo``
    took to build it (measured when it was built)."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"net-{size}-{_fingerprint()}.sqlite3"
    built = path.with_suffix(".json")
    if path.exists():
        return path, json.loads(built.read_text())["seconds"] if built.exists() else None
    for old in [*CACHE.glob(f"net-{size}-*.sqlite3*"), *CACHE.glob(f"net-{size}-*.json")]:
        old.unlink()
    tmp = CACHE / f"building-{size}.sqlite3"
    for stale in CACHE.glob(f"building-{size}.sqlite3*"):
        stale.unlink()
    started = time.perf_counter()
    out = subprocess.run(
        goodwill("--db", str(tmp), "demo", "--people", str(size), "--seed", str(SEED), "--json"),
        env=env(),
        check=True,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    json.loads(out.stdout)
    # Fold the WAL into the file so the cache is one self-contained file.
    import sqlite3

    con = sqlite3.connect(tmp)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.execute("PRAGMA journal_mode=DELETE")
    con.close()
    tmp.rename(path)
    built.write_text(json.dumps({"seconds": round(seconds, 1)}))
    return path, seconds
