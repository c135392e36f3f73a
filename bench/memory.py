"""Peak memory (RSS) of whole CLI commands, each run as its own process."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from .networks import env, goodwill

TIMEOUT_S = 75


# Linux counts a child's peak RSS from the memory of the process that started it
# (fork copies its high-water mark, exec keeps it): the bench holds ~150 MB, so each
# command is started by this small wrapper, which reports its child's own peak.
WRAPPER = """
import json, os, subprocess, sys
proc = subprocess.Popen(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
err = proc.stderr.read()
_, status, usage = os.wait4(proc.pid, 0)
json.dump({"kb": usage.ru_maxrss, "code": os.waitstatus_to_exitcode(status),
           "err": err.decode(errors="replace")[-400:]}, sys.stdout)
"""


def peak_rss(args: list[str]) -> dict[str, Any]:
    """Run ``goodwill ARGS``; its own peak RSS in MB (from wait4 in a small wrapper)."""
    started = time.perf_counter()
    try:
        out = subprocess.run(
            [sys.executable, "-c", WRAPPER, "--", *goodwill(*args)],
            env=env(),
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"over {TIMEOUT_S} s"}
    report = json.loads(out.stdout)
    result: dict[str, Any] = {
        "rss_mb": round(report["kb"] / 1024, 1),  # Linux reports KiB
        "seconds": round(time.perf_counter() - started, 2),
        "code": report["code"],
    }
    if report["code"]:
        result["error"] = (report["err"].strip().splitlines() or ["failed"])[-1][:200]
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
