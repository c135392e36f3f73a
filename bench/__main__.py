"""``python -m bench`` (``make bench``): build or reuse the networks, measure
every bulk path against its limit, memory of whole commands and the web
under load; print a table and write ``bench/latest.md``."""

from __future__ import annotations

import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from . import matching, memory, pg
from .networks import CACHE, ROOT, env, network
from .variants import with_deals

OUT = Path(__file__).resolve().parent / "latest.md"
console = Console(stderr=True, highlight=False)


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "Python": platform.python_version(),
        "SQLite": sqlite3.sqlite_version,
        "OS": platform.platform(terse=True),
    }


def work_copy(db: Path, size: int) -> Path:
    """A scratch copy: pages log in, the plan persists, the load test writes."""
    work = CACHE / f"work-{size}.sqlite3"
    for old in CACHE.glob(f"work-{size}.sqlite3*"):
        old.unlink()
    shutil.copyfile(db, work)
    return work


ENTRY_TIMEOUT_S = 45  # a path slower than this at 100k is a finding, not a figure


def paths(db: Path, variants: dict[str, Path] | None = None) -> list[dict[str, Any]]:
    """Each entry in its own process, so a path that is too slow is reported
    as such instead of holding up the suite; ``variants`` names the entries
    run on another database (the review: on the network with more deals)."""
    from .entries import ENTRIES

    results: list[dict[str, Any]] = []
    for make in ENTRIES:
        title = make.__name__.replace("_", " ")
        try:
            out = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "bench.paths",
                    str((variants or {}).get(make.__name__, db)),
                    make.__name__,
                ],
                env={**env(), "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'src'}"},
                stdout=subprocess.PIPE,
                text=True,
                check=False,
                timeout=getattr(make, "timeout_s", ENTRY_TIMEOUT_S),
            )
        except subprocess.TimeoutExpired:
            limit = getattr(make, "timeout_s", ENTRY_TIMEOUT_S)
            results.append({"path": title, "error": f"over {limit} s"})
            continue
        if out.returncode:
            results.append({"path": title, "error": f"exit {out.returncode}"})
            continue
        results += json.loads(out.stdout)
    return results


def busy_people(db: Path, count: int = 200) -> list[int]:
    con = sqlite3.connect(db)
    rows = con.execute(
        "SELECT id FROM goodwill_person ORDER BY touch_count DESC, id LIMIT ?", [count]
    ).fetchall()
    con.close()
    return [r[0] for r in rows]


def fmt(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.1f}" if value < 100 else f"{value:,.0f}"


def path_rows(size: int, results: list[dict[str, Any]]) -> list[list[str]]:
    rows = []
    for r in results:
        ms, limit = r.get("ms"), r.get("limit_ms")
        ratio = f"{ms / limit:.1f}×" if ms and limit else "–"
        note = r.get("error") or r.get("note") or ""
        rows.append(
            [
                r.get("path", r.get("key", "?")),
                f"{size:,}",
                fmt(ms),
                f"{fmt(limit)} ({r.get('limit_label', '')})",
                ratio,
                str(r.get("queries", "–")),
                note,
            ]
        )
    return rows


def md_table(headers: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + " --- |" * len(headers)]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
    return "\n".join(lines)


def show(title: str, headers: list[str], rows: list[list[str]]) -> None:
    t = Table(title=title, title_justify="left", header_style="bold")
    for h in headers:
        t.add_column(h)
    for row in rows:
        t.add_row(*row)
    Console(highlight=False).print(t)


def main() -> None:
    started = time.perf_counter()
    sizes = [10_000, 100_000] + ([1_000_000] if os.environ.get("BENCH_FULL") == "1" else [])
    largest_default = 100_000
    headers = ["path", "people", "figure ms", "limit ms", "ratio", "queries", "note"]
    path_table: list[list[str]] = []
    build_rows: list[list[str]] = []
    explains: list[str] = []
    mem_rows: list[list[str]] = []
    load_rows: list[list[str]] = []
    load_note = ""
    for size in sizes:
        console.print(f"network of {size:,} people …")
        db, built = network(size)
        build_rows.append([f"{size:,}", f"{built:.1f}" if built is not None else "–"])
        work = work_copy(db, size)
        console.print(f"bulk paths at {size:,} …")
        deals_db, deal_count = with_deals(size)
        console.print(f"(the review on a copy with {deal_count:,} deals)")
        deals_work = CACHE / f"work-{size}-deals.sqlite3"
        shutil.copyfile(deals_db, deals_work)
        results = paths(work, {"review": deals_work})
        path_table += path_rows(size, results)
        slowest = sorted((r for r in results if r.get("ms")), key=lambda r: -r["ms"])[:3]
        for r in slowest:
            for q in r.get("explain", [])[:2]:
                plan = "\n".join(f"    {line}" for line in q["plan"])
                explains.append(
                    f"**{r['path']}** at {size:,} ({q['ms']} ms)\n\n```\n{q['sql']}\n{plan}\n```"
                )
        if size == largest_default:
            console.print("memory of whole commands …")
            for name, m in memory.measure(work, CACHE, review_db=deals_work).items():
                mem_rows.append(
                    [
                        name,
                        f"{size:,}",
                        str(m.get("rss_mb", "–")),
                        str(m.get("seconds", "–")),
                        m.get("error") or m.get("note", ""),
                    ]
                )
            console.print("web under load: SQLite, then PostgreSQL …")
            web = pg.under_load(work, db, busy_people(work))
            load_rows, load_note = web["rows"], web["note"]
        for old in [*CACHE.glob(f"work-{size}.sqlite3*"), *CACHE.glob(f"work-{size}-deals.*")]:
            old.unlink()
    console.print("matching the whole network at 5k and 20k people …")
    match_headers = [
        "people", "phrases", "fit ms", "match ms", "dense brute force ms", "ratio", "matches",
        "same answer",
    ]  # fmt: skip
    match_rows = [
        [
            f"{r['people']:,}",
            r["phrases"],
            fmt(r["fit_ms"]),
            fmt(r["ms"]),
            fmt(r["limit_ms"]),
            f"{r['ms'] / r['limit_ms']:.2f}×",
            f"{r['matches']:,}",
            "yes" if r["same"] else "NO",
        ]
        for r in matching.measure()
    ]
    total = time.perf_counter() - started
    show("Bulk paths (median ms; limit measured in the same run)", headers, path_table)
    show("Matching the whole network (core/matching.py)", match_headers, match_rows)
    show("goodwill demo build time (s)", ["people", "seconds"], build_rows)
    mem_headers = ["command", "people", "peak RSS MB", "seconds", "note"]
    show("Peak memory of whole commands", mem_headers, mem_rows)
    show("Web under load (goodwill serve, loopback)", pg.HEADERS, load_rows)
    console.print(load_note)
    info = machine()
    doc = [
        "# Benchmarks (latest run of `make bench`)",
        "",
        "Machine: " + ", ".join(f"{k} {v}" for k, v in info.items()) + ".",
        f"Run took {total:.0f} s. Figures are medians of up to 5 runs; the limit is measured "
        "in the same run on the same data (raw SQL returning the same rows, or a minimal page "
        "served by the same Django stack).",
        "",
        "## Bulk paths",
        md_table(headers, path_table),
        "",
        "## Matching the whole network",
        "The matcher against a dense brute force returning the same matches "
        "(every need phrase against every offer phrase, dense term vectors).",
        "",
        md_table(match_headers, match_rows),
        "",
        "## Building the demo network (`goodwill demo --people N`)",
        md_table(["people", "seconds"], build_rows),
        "",
        "## Peak memory of whole commands",
        md_table(mem_headers, mem_rows),
        "",
        "## Web under load",
        load_note,
        "",
        md_table(pg.HEADERS, load_rows),
        "",
        "## Query plans of the slowest paths",
        "",
        *explains,
        "",
    ]
    OUT.write_text("\n".join(doc))
    console.print(f"wrote {OUT.relative_to(ROOT)} in {total:.0f} s")


if __name__ == "__main__":
    main()
