"""Matching the whole network (``python -m bench.matching``): the matcher of
core/matching.py against a dense brute force that finds the same matches.

The brute force scores every need phrase against every offer phrase with dense
TF-IDF term vectors (one matrix product per block of need phrases), keeps each
need phrase's best CANDIDATES offers and rescoring them with the character model,
exactly as the matcher's formula says; the matcher gets there by scoring each
distinct phrase once through sparse products. Both start from the same fitted
vectors, and the run checks that they return the same matches.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from .networks import ROOT, network

SIZES = (5_000, 20_000)
BLOCK = 256  # need phrases per dense product


def profiles(db: Path) -> list[Any]:
    from goodwill.core.matching import Profile

    con = sqlite3.connect(db)
    rows = con.execute(
        "SELECT id, needs, offers FROM goodwill_person WHERE stage <> 'let_go' "
        "AND (needs <> '' OR offers <> '') ORDER BY id"
    ).fetchall()
    con.close()
    return [Profile(pid, needs=n, offers=o) for pid, n, o in rows]


def brute_force(m: Any, per_person: int, min_score: float) -> list[Any]:
    """The same matches as ``m.match_all`` by scoring every (need, offer) row pair densely."""
    from goodwill.core import matching as mt

    wn = m._term[m._need_u].toarray()
    wo_t = m._term[m._offer_u].toarray().T
    need_owner, offer_owner = m._need_owner, m._offer_owner
    cols = np.arange(wo_t.shape[1])
    out_r, out_c, out_w = [], [], []
    for start in range(0, wn.shape[0], BLOCK):
        w = np.round(wn[start : start + BLOCK] @ wo_t, 5)
        rows = np.arange(start, start + w.shape[0])
        w[need_owner[rows][:, None] == offer_owner[None, :]] = 0.0
        for i, r in enumerate(rows):
            strong = np.flatnonzero(w[i] > 0)
            order = np.lexsort((cols[strong], offer_owner[strong], -w[i][strong]))
            top = strong[order][: mt.CANDIDATES]
            out_r.append(np.full(len(top), r))
            out_c.append(top)
            out_w.append(w[i][top])
    r, c, w = np.concatenate(out_r), np.concatenate(out_c), np.concatenate(out_w)
    char = m._char_cosine(r, c)
    score = np.round(mt.calibrate(np.round(mt.WORD_WEIGHT * w + mt.CHAR_WEIGHT * char, 5)), 6)
    best: dict[tuple[int, int], tuple[float, int, int]] = {}
    for ri, ci, si in zip(r.tolist(), c.tolist(), score.tolist(), strict=True):
        if si < min_score:
            continue
        key = (int(need_owner[ri]), int(offer_owner[ci]))
        if key not in best or (-si, ri, ci) < (-best[key][0], best[key][1], best[key][2]):
            best[key] = (si, ri, ci)
    by_need: dict[int, list[tuple[float, int, int, int]]] = {}
    for (a, b), (si, ri, ci) in best.items():
        by_need.setdefault(a, []).append((-si, b, ri, ci))
    found = []
    for a in sorted(by_need):
        for neg, _b, ri, ci in sorted(by_need[a])[:per_person]:
            found.append(m._explain(ri, ci, -neg))
    found.sort(key=lambda x: (-x.score, x.need_id, x.offer_id))
    return found


def timed(fn: Any, runs: int = 3) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), result


def measure(sizes: tuple[int, ...] = SIZES) -> list[dict[str, Any]]:
    from sklearn.feature_extraction.text import CountVectorizer  # noqa: F401  (imported once, untimed)

    from goodwill.core.matching import Matcher

    results = []
    for size in sizes:
        db, _ = network(size)
        people = profiles(db)
        fit_ms, m = timed(lambda people=people: Matcher(people), runs=1)
        ms, found = timed(lambda m=m: m.match_all(per_person=5, min_score=0.3))
        brute_ms, brute = timed(lambda m=m: brute_force(m, 5, 0.3), runs=1)
        results.append(
            {
                "people": size,
                "phrases": f"{len(m.need_text):,} needs × {len(m.offer_text):,} offers",
                "fit_ms": round(fit_ms, 1),
                "ms": round(ms, 1),
                "limit_ms": round(brute_ms, 1),
                "matches": len(found),
                "same": found == brute,
            }
        )
    return results


def main() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "goodwill.settings")
    for r in measure():
        ratio = r["ms"] / r["limit_ms"] if r["limit_ms"] else float("nan")
        print(
            f"{r['people']:>7,} people ({r['phrases']}): fit {r['fit_ms']:,.0f} ms, "
            f"match {r['ms']:,.0f} ms vs dense brute force {r['limit_ms']:,.0f} ms "
            f"({ratio:.3f}×), {r['matches']:,} matches, same: {r['same']}"
        )


if __name__ == "__main__":
    main()
