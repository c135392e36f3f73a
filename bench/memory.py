"""Peak memory (RSS) of whole CLI commands, each run as its own process."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import time
from pathlib import Path
from typing import Any

from .networks import env, goodwill

TIMEOUT_S = 75


def peak_rss(args: list[str]) -> dict[str, Any]:
    """Run ``goodwill ARGS``; its peak RSS in MB (from wait4, this child only)."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        goodwill(*args), env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = started + TIMEOUT_S
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            return {"error": f"over {TIMEOUT_S} s"}
        time.sleep(0.05)
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace").strip() if proc.stderr else ""
    result: dict[str, Any] = {
        "rss_mb": round(usage.ru_maxrss / 1024, 1),  # Linux reports KiB
        "seconds": round(time.perf_counter() - started, 2),
        "code": proc.returncode,
    }
    if proc.returncode:
        result["error"] = (err.splitlines() or ["failed"])[-1][:200]
    return result


def linkedin_file(db: Path, path: Path, rows: int) -> Path:
    """The benchmark's Connections.csv (bench/importfiles.py) for the network in ``db``."""
    from .importfiles import for_network, linkedin_csv

    con = sqlite3.connect(db)
    try:
        (workspace,) = con.execute(
            "SELECT workspace_id FROM goodwill_person GROUP BY workspace_id "
            "ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
        path.write_bytes(linkedin_csv(for_network(con, workspace, rows)))
    finally:
        con.close()
    return path


def commands(db: Path, work: Path, review_db: Path | None = None) -> dict[str, list[str]]:
    """The commands whose memory is reported (an import last: it writes); the
    review on ``review_db`` when given (the network with more deals)."""
    csv = linkedin_file(db, work / "connections.csv", 100_000)
    base = ["--db", str(db)]
    return {
        "today": [*base, "today", "--count", "3", "--json"],
        "review": ["--db", str(review_db or db), "review", "--json"],
        "intros": [*base, "intros", "--json"],
        "import 100,000 LinkedIn rows": [*base, "import", "linkedin", str(csv), "--json"],
    }


def measure(db: Path, work: Path, review_db: Path | None = None) -> dict[str, dict[str, Any]]:
    out = {name: peak_rss(args) for name, args in commands(db, work, review_db).items()}
    if review_db is not None:
        out["review"]["note"] = "on the network with 2 deals a person"
    return out
