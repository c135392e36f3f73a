"""Network variants: a cached demo network with more data added in bulk.

``with_deals(size)`` copies the ``size`` network of :mod:`bench.networks` and
inserts won, lost and open deals until it holds ``DEALS_PER_PERSON × size`` of
them, so that the yearly review is measured at 100k people with 200k deals (the
demo generator makes about one deal for every three people, and stays as it is).

The added deals follow the demo's rules: half for today's clients, half across
the network; dated evenly between the client's first meeting and today (open
ones in the last 60 days); the first deal's origin by how we met the client,
later ones mostly repeat business; a referral credited to whoever introduced the
client (else word of mouth), an event deal to one of the last events held before
it; about 5% in EUR and 1% in GBP; amounts log-normal, one in five with cents;
one favour received per won referral deal, as ``add_deal`` records it; clients'
``last_contact`` and ``touch_count`` move with their deals. One bulk insert,
seeded, so every build is the same; rebuilt when the base network or this file
changes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import shutil
import sqlite3
import sys
import time
from decimal import Decimal
from pathlib import Path

from goodwill.services.demo_words import DEAL_TITLES

from .networks import CACHE, SEED, TODAY, network

DEALS_PER_PERSON = 2  # the review is measured at 2 deals per person (200k at 100k people)
STATUS = (("won", 74), ("lost", 13), ("open", 13))
# The first deal's origin by how we met the client (as the demo generator has it).
FIRST_ORIGIN = {
    "linkedin": "networking", "facebook": "networking", "colleague": "networking",
    "inbound": "inbound", "cold": "cold", "other": "word_of_mouth", "event": "event",
    "introduction": "referral", "referral": "referral",
}  # fmt: skip


def _version() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:8]


def with_deals(size: int, deals: int | None = None) -> tuple[Path, int]:
    """The cached ``size`` network grown to ``deals`` deals (default
    ``DEALS_PER_PERSON × size``), and its number of deals."""
    target = DEALS_PER_PERSON * size if deals is None else deals
    base, _ = network(size)
    path = CACHE / f"{base.stem}-deals-{target}-{_version()}.sqlite3"
    if path.exists():
        return path, _count(path)
    for old in CACHE.glob(f"{base.stem}-deals-{target}-*.sqlite3*"):
        old.unlink()
    tmp = CACHE / f"building-{size}-deals.sqlite3"
    for stale in CACHE.glob(f"building-{size}-deals.sqlite3*"):
        stale.unlink()
    shutil.copyfile(base, tmp)
    con = sqlite3.connect(tmp)
    try:
        _grow(con, target)
        con.execute("PRAGMA journal_mode=DELETE")
    finally:
        con.close()
    tmp.rename(path)
    return path, _count(path)


def _count(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        return int(con.execute("SELECT count(*) FROM goodwill_deal").fetchone()[0])
    finally:
        con.close()


def _pick(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([k for k, _ in table], weights=[w for _, w in table])[0]


def _amount(rng: random.Random, tier: str) -> Decimal:
    base = rng.lognormvariate(8.7, 0.8) * (2.5 if tier == "inner" else 1.0)
    cents = rng.choice((50, 99, 25, 10)) if rng.random() < 0.2 else 0
    return Decimal(int(base) // 10 * 10 * 100 + cents).scaleb(-2)


def _grow(con: sqlite3.Connection, target: int) -> None:
    started = time.perf_counter()
    rng = random.Random(SEED * 7919 + target)
    today = dt.date.fromisoformat(TODAY)
    (have,) = con.execute("SELECT count(*) FROM goodwill_deal").fetchone()
    missing = target - have
    if missing <= 0:
        return
    (ws,) = con.execute("SELECT id FROM goodwill_workspace ORDER BY id LIMIT 1").fetchone()
    people = con.execute(
        "SELECT id, name, role, tier, source, introduced_by_id, created_on "
        "FROM goodwill_person WHERE workspace_id = ?",
        [ws],
    ).fetchall()
    clients = [p for p in people if p[2] == "client"]
    events = sorted(
        (dt.date.fromisoformat(d), i)
        for i, d in con.execute("SELECT id, date FROM goodwill_event WHERE workspace_id = ?", [ws])
    )
    won_before: dict[int, dt.date] = {
        c: dt.date.fromisoformat(d)
        for c, d in con.execute(
            "SELECT client_id, min(date) FROM goodwill_deal WHERE status = 'won' GROUP BY client_id"
        )
    }
    # Clients: half to today's clients (more repeat business), half across the network.
    planned = []
    for _ in range(missing):
        p = rng.choice(clients) if rng.random() < 0.5 else rng.choice(people)
        created = dt.date.fromisoformat(p[6])
        span = max(0, (today - created).days)
        status = _pick(rng, STATUS)
        if status == "open":
            day = today - dt.timedelta(days=rng.randint(0, min(60, span)))
        else:
            day = created + dt.timedelta(days=int(span * rng.random()))
        planned.append((day, status, p))
    planned.sort(key=lambda x: (x[0], x[2][0]))
    deal_rows = []
    referrals = []
    latest: dict[int, tuple[dt.date, int]] = {}  # client: (latest deal, deals added)
    for day, status, (pid, name, _role, tier, source, introducer, _c) in planned:
        first = won_before.get(pid)
        repeat = first is not None and first < day
        origin = "repeat" if repeat and rng.random() < 0.85 else FIRST_ORIGIN.get(source, "other")
        referrer = None
        if origin == "referral":
            if introducer is None or introducer == pid or rng.random() < 0.3:
                origin = "word_of_mouth"
            else:
                referrer = introducer
        event = None
        if origin == "event":
            held = [i for d, i in events if d <= day]
            if held:
                event = rng.choice(held[-8:])
            else:
                origin = "networking"
        r = rng.random()
        currency = "EUR" if r < 0.05 else "GBP" if r < 0.06 else "USD"
        amount = _amount(rng, tier)
        deal_rows.append(
            (ws, pid, rng.choice(DEAL_TITLES), str(amount), currency, status, day.isoformat(),
             origin, referrer, event, "")
        )  # fmt: skip
        if status == "won":
            if first is None or day < first:
                won_before[pid] = day
            if referrer is not None:
                referrals.append((len(deal_rows) - 1, referrer, name, day))
        last, n = latest.get(pid, (day, 0))
        latest[pid] = (max(last, day), n + 1)
    with con:
        (first_id,) = con.execute("SELECT coalesce(max(id), 0) + 1 FROM goodwill_deal").fetchone()
        con.executemany(
            "INSERT INTO goodwill_deal (id, workspace_id, client_id, title, amount, currency, "
            "status, date, origin, referrer_id, event_id, note) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ((first_id + i, *row) for i, row in enumerate(deal_rows)),
        )
        con.executemany(
            "INSERT INTO goodwill_favour (workspace_id, person_id, direction, kind, value, note, "
            "date, introduction_id, deal_id) VALUES (?, ?, 'received', 'referral', NULL, ?, ?, "
            "NULL, ?)",
            (
                (ws, referrer, f"referred {name}", day.isoformat(), first_id + index)
                for index, referrer, name, day in referrals
            ),
        )
        con.executemany(
            "UPDATE goodwill_person SET touch_count = touch_count + ?, last_contact = "
            "CASE WHEN last_contact IS NULL OR last_contact < ? THEN ? ELSE last_contact END "
            "WHERE id = ?",
            ((n, d.isoformat(), d.isoformat(), pid) for pid, (d, n) in latest.items()),
        )
    print(
        f"  added {len(deal_rows):,} deals, {len(referrals):,} referral favours "
        f"in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
        flush=True,
    )


if __name__ == "__main__":
    for arg in sys.argv[1:] or ["100000"]:
        print(*with_deals(int(arg)))
