"""What happens in the demo network: interactions with rhythms, commitments,
favours, deals with origins and referrers, introductions, events met.

Each function appends plain row tuples (see :mod:`.bulkload`) and records
every touchpoint on the person, so the summary columns are exact."""

from __future__ import annotations

import bisect
import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Model

from goodwill.db.models import Commitment, Deal, Favour, Interaction, Introduction

from . import demo_words as W

Row = tuple[object, ...]

HISTORY_DAYS = 425  # interactions cover a little over 14 months
GAP_DAYS = {"inner": 8, "key": 30, "network": 80}  # mean days between touchpoints
KINDS = {
    "inner": (
        ("meeting", 25),
        ("call", 25),
        ("email", 20),
        ("coffee", 12),
        ("message", 10),
        ("help", 4),
        ("shared_article", 4),
    ),
    "key": (
        ("meeting", 15),
        ("call", 20),
        ("email", 25),
        ("coffee", 12),
        ("message", 10),
        ("shared_article", 8),
        ("recommended_book", 3),
        ("help", 5),
        ("gift", 2),
    ),
    "network": (
        ("email", 30),
        ("message", 25),
        ("event_chat", 10),
        ("shared_article", 12),
        ("call", 10),
        ("coffee", 8),
        ("recommended_book", 3),
        ("other", 2),
    ),
}
FAVOUR_KINDS = (
    ("advice", 30),
    ("article", 20),
    ("recommendation", 15),
    ("endorsement", 10),
    ("time", 15),
    ("referral", 5),
    ("other", 5),
)
FIRST_ORIGIN = {
    "linkedin": "networking",
    "facebook": "networking",
    "colleague": "networking",
    "inbound": "inbound",
    "cold": "cold",
    "other": "word_of_mouth",
    "event": "event",
    "introduction": "referral",
    "referral": "referral",
}
INTRO_STATUS = (("made", 50), ("suggested", 20), ("asked", 15), ("declined", 15))
PITCH_SHARE = {"prospect": 0.35, "client": 0.1}


def pick(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    """A value drawn by weight from ``(value, weight)`` pairs."""
    x = rng.random() * sum(w for _, w in table)
    for value, weight in table:
        x -= weight
        if x < 0:
            return value
    return table[-1][0]


@dataclass(slots=True)
class DemoPerson:
    """A person being generated (the row is written last, with its summary)."""

    id: int
    first: str
    name: str
    role: str
    tier: str
    stage: str
    source: str
    created: dt.date
    changes: list[tuple[str, str, dt.date, str]] = field(default_factory=list)
    event: int | None = None  # index of the event where we first met
    introducer: int | None = None  # index of the person who introduced them
    need: int | None = None  # theme index
    offer: int | None = None
    rhythm: str = "normal"  # normal, quiet, only_them, only_me
    until: dt.date | None = None  # end of activity: let go, or gone quiet
    last: dt.date | None = None
    touches: int = 0
    row: Row = ()

    def stage_date(self, stage: str) -> dt.date | None:
        return next((d for _, to, d, _ in self.changes if to == stage), None)


class Gen:
    """Shared state of one generation run: the random stream, dates and ids."""

    def __init__(self, *, seed: int, today: dt.date, ids: dict[type[Model], int]) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.ids = ids
        self.people: list[DemoPerson] = []
        self.events: list[tuple[int, dt.date, str]] = []  # (id, date, name)
        self._stamps: dict[dt.date, object] = {}
        self.won = 0

    def new_id(self, model: type[Model]) -> int:
        value = self.ids[model]
        self.ids[model] = value + 1
        return value

    def day(self, start: dt.date, end: dt.date) -> dt.date:
        span = (end - start).days
        return start + dt.timedelta(days=self.rng.randint(0, span)) if span > 0 else start

    def touch(self, p: DemoPerson, when: dt.date) -> None:
        p.touches += 1
        if p.last is None or when > p.last:
            p.last = when

    def topic(self, p: DemoPerson) -> str:
        if p.need is not None and self.rng.random() < 0.6:
            return self.rng.choice(W.THEMES[p.need][0])
        if p.offer is not None:
            return self.rng.choice(W.THEMES[p.offer][1])
        return self.rng.choice(("plans for next year", "hiring", "the market", "pricing"))

    def stamp(self, day: dt.date) -> object:
        """``created_at`` for a row dated ``day`` (09:00 UTC), in the database's format."""
        if day not in self._stamps:
            moment = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
            self._stamps[day] = connection.ops.adapt_datetimefield_value(moment)
        return self._stamps[day]

    def window(self, p: DemoPerson) -> tuple[dt.date, dt.date]:
        """The days this relationship was active within the history."""
        start = max(p.created, self.today - dt.timedelta(days=HISTORY_DAYS))
        return start, max(start, p.until or self.today)


def interactions(g: Gen, p: DemoPerson, ws: int, user: int, rows: list[Row]) -> None:
    rng = g.rng
    start, end = g.window(p)
    if p.stage == "identified":
        if rng.random() < 0.3:
            d = g.day(start, end)
            rows.append(
                (
                    g.new_id(Interaction),
                    ws,
                    p.id,
                    "message",
                    d,
                    "me",
                    "connected online",
                    None,
                    False,
                    user,
                    g.stamp(d),
                )
            )
            g.touch(p, d)
        return
    gap = GAP_DAYS[p.tier] * (1.6 if p.stage == "connected" else 1.0)
    pitch_share = PITCH_SHARE.get(p.role, 0.03)
    d = start + dt.timedelta(days=rng.randint(0, int(gap)))
    while d <= end:
        kind = pick(rng, KINDS[p.tier])
        pitch = rng.random() < pitch_share
        by = {"only_them": "them", "only_me": "me"}.get(p.rhythm) or (
            "me" if pitch or rng.random() < 0.55 else "them"
        )
        if pitch:
            note = rng.choice(W.PITCH_NOTES)
        elif rng.random() < 0.6:
            note = rng.choice(W.NOTES[kind]).replace("{topic}", g.topic(p))
        else:
            note = ""
        quality = rng.randint(2, 5) if rng.random() < 0.4 else None
        rows.append(
            (g.new_id(Interaction), ws, p.id, kind, d, by, note, quality, pitch, user, g.stamp(d))
        )
        g.touch(p, d)
        d += dt.timedelta(days=max(1, int(gap * (0.4 + 1.2 * rng.random()))))


def commitments(g: Gen, p: DemoPerson, ws: int, rows: list[Row]) -> None:
    rng = g.rng
    if p.stage == "identified" or rng.random() > 0.25:
        return
    start, _ = g.window(p)
    for _ in range(rng.randint(1, 3)):
        created = g.day(start, g.today - dt.timedelta(days=1))
        due = created + dt.timedelta(days=rng.randint(3, 30))
        kept: dt.date | None = None
        broken = False
        r = rng.random()
        if due >= g.today:
            kept = g.day(created, g.today) if r < 0.3 else None
        elif r < 0.6:
            kept = g.day(created, due)  # kept on time
        elif r < 0.8:
            kept = min(g.today, due + dt.timedelta(days=rng.randint(1, 25)))  # late
        elif r < 0.9:
            broken = True
        text = rng.choice(W.COMMITMENTS).replace("{topic}", g.topic(p))
        by = "me" if rng.random() < 0.65 else "them"
        rows.append((g.new_id(Commitment), ws, p.id, text, by, created, due, kept, broken))


def favours(g: Gen, p: DemoPerson, ws: int, rows: list[Row]) -> None:
    rng = g.rng
    share = {"inner": 0.6, "key": 0.4}.get(p.tier, 0.12)
    if p.stage == "identified" or rng.random() > share:
        return
    start, end = g.window(p)
    for _ in range(rng.randint(1, 4)):
        direction = {"only_me": "gave", "only_them": "received"}.get(p.rhythm) or (
            "gave" if rng.random() < 0.55 else "received"
        )
        kind = pick(rng, FAVOUR_KINDS)
        value = (
            Decimal(rng.choice((50, 100, 150, 250, 500, 1000, 2500)))
            if rng.random() < 0.3
            else None
        )
        d = g.day(start, end)
        note = f"{kind} on {g.topic(p)}"
        rows.append((g.new_id(Favour), ws, p.id, direction, kind, value, note, d, None, None))
        g.touch(p, d)


def _amount(rng: random.Random, tier: str) -> Decimal:
    base = rng.lognormvariate(8.7, 0.8) * (2.5 if tier == "inner" else 1.0)
    return Decimal(int(base) // 10 * 10).quantize(Decimal("0.01"))


def deals(g: Gen, p: DemoPerson, ws: int, rows: list[Row], favour_rows: list[Row]) -> None:
    """Won deals for clients (the first by the way we met them, then repeat
    business), open and lost ones; a referral deal thanks its referrer with a
    favour received."""
    rng = g.rng
    won_from = p.stage_date("productive") if p.role == "client" else None
    wanted: list[tuple[str, dt.date]] = []
    if won_from is not None:
        end = max(won_from, p.until or g.today)
        wanted.append(("won", won_from))
        for _ in range(rng.randint(0, 3)):
            wanted.append(("won", g.day(won_from, end)))
        if rng.random() < 0.12:
            wanted.append(("lost", g.day(won_from, end)))
    if p.stage in ("nurturing", "productive") and p.role in ("client", "prospect"):
        if rng.random() < 0.25:
            wanted.append(("open", g.day(g.today - dt.timedelta(days=60), g.today)))
        if rng.random() < 0.1:
            wanted.append(
                ("lost", g.day(max(p.created, g.today - dt.timedelta(days=300)), g.today))
            )
    wanted.sort(key=lambda x: x[1])
    had_won = False
    for status, d in wanted:
        origin = "repeat" if had_won and rng.random() < 0.85 else FIRST_ORIGIN[p.source]
        referrer = None
        if origin == "referral":
            if p.introducer is None or p.source == "introduction" and rng.random() < 0.35:
                origin = "word_of_mouth"
            else:
                referrer = g.people[p.introducer]
        event_id = None
        if origin == "event":
            if p.event is not None and g.events[p.event][1] <= d:
                event_id = g.events[p.event][0]
            else:
                origin = "networking"
        had_won = had_won or status == "won"
        g.won += status == "won"
        currency = "EUR" if rng.random() < 0.04 else "USD"
        title = rng.choice(W.DEAL_TITLES)
        deal_id = g.new_id(Deal)
        rows.append(
            (
                deal_id,
                ws,
                p.id,
                title,
                _amount(rng, p.tier),
                currency,
                status,
                d,
                origin,
                referrer.id if referrer else None,
                event_id,
                "",
            )
        )
        g.touch(p, d)
        if referrer is not None and status == "won":
            favour_rows.append(
                (
                    g.new_id(Favour),
                    ws,
                    referrer.id,
                    "received",
                    "referral",
                    None,
                    f"referred {p.name}",
                    d,
                    None,
                    deal_id,
                )
            )
            g.touch(referrer, d)


def introductions(g: Gen, ws: int, count: int, rows: list[Row], favour_rows: list[Row]) -> None:
    """Introductions between someone with a need and someone offering it, in
    every status; a made one is a favour given to both people."""
    rng = g.rng
    needers: dict[int, list[DemoPerson]] = {}
    offerers: dict[int, list[DemoPerson]] = {}
    for p in g.people:
        if p.need is not None:
            needers.setdefault(p.need, []).append(p)
        if p.offer is not None:
            offerers.setdefault(p.offer, []).append(p)
    themes = sorted(t for t in needers if t in offerers)
    seen: set[tuple[int, int]] = set()
    for _ in range(count if themes else 0):
        t = rng.choice(themes)
        a, b = rng.choice(needers[t]), rng.choice(offerers[t])
        if a is b or (a.id, b.id) in seen:
            continue
        seen.add((a.id, b.id))
        suggested = g.day(max(a.created, b.created, g.today - dt.timedelta(days=365)), g.today)
        status = pick(rng, INTRO_STATUS)
        asked = g.day(suggested, g.today) if status != "suggested" else None
        made = g.day(asked, g.today) if status == "made" and asked else None
        declined = g.day(asked, g.today) if status == "declined" and asked else None
        followed = g.day(made, g.today) if made and rng.random() < 0.5 else None
        outcome = (
            rng.choice(
                (
                    "they met for coffee and hit it off",
                    "signed a small project",
                    "still talking",
                    "",
                )
            )
            if made
            else ""
        )
        reason = f"{a.first}: {W.THEMES[t][0][0]}; {b.first} offers {W.THEMES[t][1][0]}"
        intro_id = g.new_id(Introduction)
        rows.append(
            (
                intro_id,
                ws,
                a.id,
                b.id,
                reason,
                status,
                suggested,
                asked,
                made,
                declined,
                followed,
                outcome,
                False,
            )
        )
        if made:
            for p, other in ((a, b), (b, a)):
                favour_rows.append(
                    (
                        g.new_id(Favour),
                        ws,
                        p.id,
                        "gave",
                        "introduction",
                        None,
                        f"introduced to {other.name}",
                        made,
                        intro_id,
                        None,
                    )
                )
                g.touch(p, made)


def events_met(g: Gen, ws: int, met_rows: list[Row], target_rows: list[Row]) -> None:
    """People met at each past event (new ones, and people we already knew),
    and each event's targets; an upcoming event has targets only."""
    rng = g.rng
    met: set[tuple[int, int]] = set()
    for p in g.people:
        if p.event is not None:
            eid, date, _ = g.events[p.event]
            met.add((eid, p.id))
            met_rows.append((ws, eid, p.id, True, rng.choice(("", "great chat", "follow up"))))
            g.touch(p, date)
    created = [p.created for p in g.people]  # people are in order of creation
    for eid, date, _ in g.events:
        hi = bisect.bisect_left(created, date)
        known = [p for p in g.people[max(0, hi - 5000) : hi] if p.stage != "identified"]
        for p in rng.sample(known, min(len(known), rng.randint(3, 12))):
            if date <= g.today and (eid, p.id) not in met:
                met.add((eid, p.id))
                met_rows.append((ws, eid, p.id, False, ""))
                g.touch(p, date)
        prospects = [p for p in known if p.role in ("prospect", "partner", "referral_source")]
        for p in rng.sample(prospects, min(len(prospects), rng.randint(3, 6))):
            target_rows.append((ws, eid, p.id))
