"""Measure entries of :mod:`bench.entries` on one database, in a subprocess
(``python -m bench.paths DB [NAME…]``) so that the caller can bound each one
in time; prints JSON results."""

from __future__ import annotations

import json
import statistics
import sys
import time
from typing import Any

RUNS = 5
BUDGET_S = 3.0  # per figure: stop repeating after this long (at least one run)


def measure(fn: Any) -> float:
    """Median milliseconds of up to RUNS calls. A fast call gets an untimed
    warm-up first; a slow one (over a second) counts its first run and
    repeats at most twice, so the suite stays within its time budget."""
    t0 = time.perf_counter()
    fn()
    first = (time.perf_counter() - t0) * 1000
    times: list[float] = [first] if first > 1000 else []
    runs = 3 if first > 1000 else RUNS
    deadline = time.perf_counter() + BUDGET_S
    while len(times) < runs and (not times or time.perf_counter() < deadline):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def explain(queries: list[dict[str, Any]], top: int = 3) -> list[dict[str, Any]]:
    """EXPLAIN QUERY PLAN of the slowest distinct SELECTs."""
    from django.db import connection

    seen: set[str] = set()
    slow = []
    for q in sorted(queries, key=lambda q: -float(q["time"])):
        text = q["sql"]
        if not text.lstrip().upper().startswith("SELECT") or text in seen:
            continue
        seen.add(text)
        with connection.cursor() as cur:
            try:
                cur.execute("EXPLAIN QUERY PLAN " + text)
                plan = [row[-1] for row in cur.fetchall()]
            except Exception as exc:  # noqa: BLE001  (a query that cannot be re-run as text)
                plan = [f"(no plan: {exc})"]
        slow.append({"ms": round(float(q["time"]) * 1000, 2), "sql": text[:400], "plan": plan})
        if len(slow) == top:
            break
    return slow


def main(db: str, names: list[str]) -> None:
    import warnings

    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise, no collectstatic
    from goodwill import bootstrap

    bootstrap.setup(db)
    import logging

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.entries import ENTRIES, Ctx
    from bench.networks import TODAY
    from goodwill.services.context import local_actor

    logging.getLogger("goodwill.requests").setLevel(logging.WARNING)
    logging.getLogger("django.request").setLevel(logging.ERROR)
    settings.ROOT_URLCONF = "bench.urls"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    import datetime as dt

    actor = local_actor()
    with connection.cursor() as cur:
        cur.execute(
            "SELECT id FROM goodwill_person WHERE workspace_id = %s AND tier = 'inner' "
            "ORDER BY touch_count DESC, id LIMIT 1",
            [actor.workspace.pk],
        )
        person = cur.fetchone()[0]
    client = Client()
    client.force_login(actor.user)
    ctx = Ctx(actor, dt.date.fromisoformat(TODAY), actor.workspace.pk, person, client)
    results = []
    for make in [e for e in ENTRIES if not names or e.__name__ in names]:
        row: dict[str, Any] = {"key": make.__name__}
        try:
            entry = make(ctx)
            row.update(path=entry.path, limit_label=entry.limit_label, note=entry.note)
            if entry.run is not None:
                with CaptureQueriesContext(connection) as captured:
                    entry.run()
                row["queries"] = len(captured.captured_queries)
                row["explain"] = explain(captured.captured_queries)
                row["ms"] = measure(entry.run)
            if entry.limit is not None:
                row["limit_ms"] = measure(entry.limit)
            if entry.rate and row.get("ms") and row.get("limit_ms"):
                count, unit = entry.rate
                rates = (
                    f"{count / row['ms'] * 1000:,.0f} {unit}/s, "
                    f"limit {count / row['limit_ms'] * 1000:,.0f} {unit}/s"
                )
                row["note"] = f"{row['note']}; {rates}" if row.get("note") else rates
        except Exception as exc:  # noqa: BLE001  (one broken path must not stop the suite)
            row.setdefault("path", make.__name__)
            row["error"] = f"{type(exc).__name__}: {exc}"[:300]
        results.append(row)
        print(f"  {row.get('path')}: {row.get('ms', '-')} ms", file=sys.stderr, flush=True)
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
