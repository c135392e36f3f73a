"""A deterministic, realistic demo network (``goodwill demo``).

Same seed and same ``today`` give the same network. Everything is dated
relative to ``today``: people joined over the last three years (in every role,
tier, stage and source, with ``introduced_by`` chains), interactions cover the
last 14 months with rhythms by tier (inner weekly, key monthly, network a few
times a year), some key clients go quiet, some relationships are one-sided
(only they reach out, or only I do), pitches are mixed with help; then
commitments, favours both ways, deals with origins and referral chains,
introductions in every status and a few events (see :mod:`.demo_activity`).

Bulk path: ids are allocated up front and every table is written with one
statement per chunk of people (:mod:`.bulkload`), people last, so their
summary columns (``last_contact``, ``touch_count``) are computed in Python
from every touchpoint first: interactions, favours, deals (as client, and as
the referrer thanked by a referral favour), made introductions, events met.
``touch_count`` counts those touchpoints, as :func:`.touch.touched` does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from goodwill.db.deferred import derived_deferred
from goodwill.db.models import (
    Channel,
    Commitment,
    Deal,
    Event,
    EventMet,
    EventTarget,
    Favour,
    Interaction,
    Introduction,
    Organization,
    Person,
    PersonTag,
    StageChange,
    Tag,
)

from . import demo_activity as A
from . import demo_words as W
from .bulkload import Row, Table, next_ids, reset_sequences
from .context import Actor, scoped
from .errors import BadInput
from .people import normalize_channel

MAX_PEOPLE = 2_000_000
CHUNK = 5_000  # people per written chunk: bounds memory and the number of statements
FUNNEL = ("identified", "connected", "nurturing", "productive")

Progress = Callable[[int, int], None]

ROLES = (
    ("client", 12),
    ("prospect", 24),
    ("partner", 6),
    ("referral_source", 5),
    ("employee", 4),
    ("peer", 16),
    ("supervisor", 1),
    ("vendor", 7),
    ("friend", 7),
    ("other", 18),
)
SOURCES = (
    ("event", 16),
    ("linkedin", 24),
    ("facebook", 4),
    ("introduction", 16),
    ("referral", 8),
    ("colleague", 8),
    ("inbound", 10),
    ("cold", 8),
    ("other", 6),
)
TIERS = {
    "client": (15, 45),
    "partner": (10, 40),
    "referral_source": (10, 40),
    "employee": (30, 40),
    "supervisor": (30, 40),
}  # (inner %, key %); others (2, 10)
STAGES = {
    "client": (("productive", 88), ("nurturing", 6), ("let_go", 6)),
    "prospect": (("identified", 35), ("connected", 30), ("nurturing", 28), ("let_go", 7)),
    "partner": (("productive", 50), ("nurturing", 35), ("connected", 10), ("let_go", 5)),
    "referral_source": (("productive", 60), ("nurturing", 30), ("connected", 10)),
    "employee": (("productive", 70), ("nurturing", 30)),
    "supervisor": (("productive", 70), ("nurturing", 30)),
    "peer": (("connected", 40), ("nurturing", 35), ("productive", 12), ("let_go", 13)),
    "friend": (("connected", 30), ("nurturing", 50), ("productive", 20)),
    "vendor": (("connected", 40), ("productive", 40), ("let_go", 20)),
    "other": (("identified", 45), ("connected", 35), ("let_go", 20)),
}
REASONS = {
    "connected": ("met for the first time", "accepted my invitation", "first call"),
    "nurturing": ("meeting regularly", "building trust", "helped them with something"),
    "productive": ("first piece of business", "sends referrals", "working together"),
    "let_go": ("no mutual interest", "moved to another industry", "not a fit", "never replies"),
}
CONNECTORS = {"client", "referral_source", "partner", "peer", "friend", "supervisor"}
SOURCE_DETAIL = {
    "linkedin": "connected on LinkedIn",
    "facebook": "a Facebook group",
    "inbound": "contact form on our website",
    "cold": "cold email",
    "colleague": "former colleague",
    "other": "",
}


@dataclass
class DemoSummary:
    people: int
    organizations: int
    interactions: int
    commitments: int
    favours: int
    deals: int
    won_deals: int
    introductions: int
    events: int
    stage_changes: int
    channels: int
    seed: int


def _tables() -> dict[str, Table]:
    ws = ["id", "workspace_id"]
    return {
        "org": Table(Organization, [*ws, "name", "industry", "size", "website"]),
        "event": Table(
            Event, [*ws, "name", "date", "location", "target_criteria", "notes", "hours"]
        ),  # noqa: E501
        "tag": Table(Tag, [*ws, "name"]),
        "interaction": Table(
            Interaction,
            [
                *ws,
                "person_id",
                "kind",
                "date",
                "initiated_by",
                "note",
                "quality",
                "is_pitch",
                "member_id",
                "created_at",
            ],
        ),
        "commitment": Table(
            Commitment,
            [*ws, "person_id", "description", "by", "created_on", "due_date", "kept_on", "broken"],
        ),
        "favour": Table(
            Favour,
            [
                *ws,
                "person_id",
                "direction",
                "kind",
                "value",
                "note",
                "date",
                "introduction_id",
                "deal_id",
            ],
        ),
        "deal": Table(
            Deal,
            [
                *ws,
                "client_id",
                "title",
                "amount",
                "currency",
                "status",
                "date",
                "origin",
                "referrer_id",
                "event_id",
                "note",
            ],
        ),
        "intro": Table(
            Introduction,
            [
                *ws,
                "a_id",
                "b_id",
                "reason",
                "status",
                "suggested_on",
                "asked_on",
                "made_on",
                "declined_on",
                "followed_up_on",
                "outcome",
                "dismissed",
            ],
        ),
        "met": Table(EventMet, ["workspace_id", "event_id", "person_id", "was_new", "note"]),
        "target": Table(EventTarget, ["workspace_id", "event_id", "person_id"]),
        "stage": Table(
            StageChange, ["workspace_id", "person_id", "from_stage", "to_stage", "date", "reason"]
        ),
        "channel": Table(
            Channel, ["workspace_id", "person_id", "kind", "value", "normalized", "label"]
        ),
        "person_tag": Table(PersonTag, ["workspace_id", "person_id", "tag_id"]),
        "person": Table(
            Person,
            [
                *ws,
                "name",
                "email",
                "organization_id",
                "title",
                "industry",
                "location",
                "role",
                "tier",
                "stage",
                "source",
                "source_detail",
                "introduced_by_id",
                "needs",
                "offers",
                "goals",
                "value_i_bring",
                "work_on",
                "personal",
                "notes",
                "birthday",
                "cadence_days",
                "q_interesting",
                "q_enjoy",
                "q_mutual_business",
                "created_on",
                "stage_since",
                "last_contact",
                "touch_count",
            ],
        ),
    }


@transaction.atomic
def build_demo(
    *,
    actor: Actor,
    today: dt.date,
    people: int = 2000,
    seed: int = 1,
    progress: Progress | None = None,
) -> DemoSummary:
    """Fill the actor's (empty) workspace with a demo network of ``people`` people.

    Refuses a workspace that already has people: the demo never mixes with
    real data. One transaction; a bounded number of statements per chunk."""
    actor.require_write()
    if not 1 <= people <= MAX_PEOPLE:
        raise BadInput(f"--people must be between 1 and {MAX_PEOPLE:,}", field="people")
    existing = scoped(Person, actor.workspace).count()
    if existing:
        raise BadInput(
            f"this workspace already has {existing} people; the demo only fills an empty "
            "network (use a new database: --db demo.sqlite3)"
        )
    ws, user = actor.workspace.pk, actor.user.pk
    with_ids = [
        Organization,
        Event,
        Tag,
        Person,
        Interaction,
        Commitment,
        Favour,
        Deal,
        Introduction,
    ]
    g = A.Gen(seed=seed, today=today, ids=next_ids(with_ids))
    t = _tables()
    total, done = 3 * people, 0

    def advance(step: int) -> None:
        nonlocal done
        done += step
        if progress:
            progress(done, total)

    # The search indexes and the people count written once at the end, not per row.
    derived = ("goodwill_person", "goodwill_interaction")
    with derived_deferred(derived, "workspace_id = %s", [ws]):
        orgs = _organizations(g, ws, people, t["org"])
        _events(g, ws, people, t["event"])
        tags = [(g.new_id(Tag), ws, name) for name in W.TAGS]
        t["tag"].write(tags)
        _people(g, people, orgs, advance)
        intro_rows: list[Row] = []
        favour_rows: list[Row] = []
        A.introductions(g, ws, max(6, people // 40), intro_rows, favour_rows)
        t["intro"].write(intro_rows)
        met_rows: list[Row] = []
        target_rows: list[Row] = []
        A.events_met(g, ws, met_rows, target_rows)
        t["met"].write(met_rows)
        t["target"].write(target_rows)
        for start in range(0, people, CHUNK):
            chunk = g.people[start : start + CHUNK]
            _activity(g, ws, user, chunk, [tg[0] for tg in tags], t, favour_rows)
            favour_rows = []
            advance(len(chunk))
        for start in range(0, people, CHUNK):
            chunk = g.people[start : start + CHUNK]
            t["person"].write([(p.id, ws, *p.row, p.last, p.touches) for p in chunk])
            advance(len(chunk))
    reset_sequences([*with_ids, EventMet, EventTarget, StageChange, Channel, PersonTag])
    return DemoSummary(
        people=t["person"].count,
        organizations=t["org"].count,
        interactions=t["interaction"].count,
        commitments=t["commitment"].count,
        favours=t["favour"].count,
        deals=t["deal"].count,
        won_deals=g.won,
        introductions=t["intro"].count,
        events=t["event"].count,
        stage_changes=t["stage"].count,
        channels=t["channel"].count,
        seed=seed,
    )


def _organizations(g: A.Gen, ws: int, n: int, table: Table) -> list[tuple[int, str, str]]:
    """Organizations in several industries; returns (id, industry, email domain)."""
    rng, rows, result, seen = g.rng, [], [], set()
    industries = list(W.INDUSTRIES)
    for _ in range(max(8, n // 8)):
        industry = rng.choice(industries)
        name = f"{rng.choice(W.ORG_WORDS)} {rng.choice(W.INDUSTRIES[industry][0])}"
        if name in seen:
            name = f"{name} {rng.choice(W.CITIES)}"
        k = 2
        while name in seen:
            name, k = f"{name.rsplit(' #', 1)[0]} #{k}", k + 1
        seen.add(name)
        domain = "".join(c for c in name.lower() if c.isalnum()) + ".example"
        oid = g.new_id(Organization)
        rows.append((oid, ws, name, industry, rng.choice(W.ORG_SIZES), f"https://{domain}"))
        result.append((oid, industry, domain))
    table.write(rows)
    return result


def _events(g: A.Gen, ws: int, n: int, table: Table) -> None:
    """A few events over the last two years, and one coming up in twelve days."""
    rng, rows = g.rng, []
    count = min(40, 3 + n // 3000)
    dates = sorted(g.today - dt.timedelta(days=rng.randint(5, 700)) for _ in range(count))
    dates[-1] = g.today - dt.timedelta(days=rng.randint(2, 9))  # one to follow up on now
    dates.append(g.today + dt.timedelta(days=12))
    for date in dates:
        name = f"{rng.choice(W.EVENT_NAMES)} {date.year}"
        criteria = rng.choice(W.TARGET_CRITERIA) if rng.random() < 0.5 else ""
        eid = g.new_id(Event)
        hours = Decimal(rng.choice(("1.5", "2.0", "3.0", "8.0")))
        rows.append((eid, ws, name, date, rng.choice(W.CITIES), criteria, "", hours))
        g.events.append((eid, date, name))
    table.write(rows)


def _people(
    g: A.Gen, n: int, orgs: list[tuple[int, str, str]], advance: Callable[[int], None]
) -> None:
    """Who is in the network: drawn first, then put in order of creation so
    that whoever introduced someone was already there."""
    rng, today = g.rng, g.today
    past = [i for i, (_, d, _) in enumerate(g.events) if d < today]
    drawn = []
    for _ in range(n):
        source = A.pick(rng, SOURCES)
        event = rng.choice(past) if source == "event" and past else None
        if event is not None:
            created = g.events[event][1]
        else:
            created = today - dt.timedelta(days=7 + int(rng.random() ** 1.4 * 1090))
        drawn.append((created, A.pick(rng, ROLES), source, event))
    drawn.sort(key=lambda x: x[0])  # stable: ties keep the drawing order
    # (referred clients, clients and referral sources, anyone who connects people)
    connectors: tuple[list[int], list[int], list[int]] = ([], [], [])
    emails: set[str] = set()
    for index, (created, role, source, event) in enumerate(drawn):
        p = _person(g, index, created, role, source, event, connectors, orgs, emails)
        g.people.append(p)
        if p.role in CONNECTORS and p.stage in ("nurturing", "productive"):
            connectors[2].append(index)
            if p.role in ("client", "referral_source") and p.stage == "productive":
                connectors[1].append(index)
                if p.introducer is not None and p.role == "client":
                    connectors[0].append(index)
        if index % CHUNK == CHUNK - 1:
            advance(CHUNK)
    advance(len(drawn) % CHUNK)


GOALS = (
    "double revenue this year",
    "open a second location",
    "raise a seed round",
    "hire five people",
    "expand to Europe",
    "win two enterprise clients",
)
WORK_ON = (
    "follow up faster after meetings",
    "ask about their family",
    "less pitching, more help",
    "send the articles I promise",
)


def _person(
    g: A.Gen,
    index: int,
    created: dt.date,
    role: str,
    source: str,
    event: int | None,
    connectors: tuple[list[int], list[int], list[int]],
    orgs: list[tuple[int, str, str]],
    emails: set[str],
) -> A.DemoPerson:
    rng, today = g.rng, g.today
    inner, key = TIERS.get(role, (2, 10))
    r = rng.random() * 100
    tier = "inner" if r < inner else "key" if r < inner + key else "network"
    stage = A.pick(rng, STAGES[role])
    introducer = None
    if source in ("introduction", "referral"):
        # Clients and referral sources send most referrals; some were referred
        # themselves, which makes the chains (A referred B who referred C).
        r = rng.random()
        pool = next(
            (c for c, share in zip(connectors, (0.25, 0.65, 1.0), strict=True) if c and r < share),
            None,
        )
        if pool:
            introducer = rng.choice(pool)
        else:
            source = "linkedin"
    first, last = rng.choice(W.FIRST_NAMES), rng.choice(W.LAST_NAMES)
    name = f"{first} {last}"
    org = (
        orgs[rng.randrange(len(orgs))]
        if rng.random() < (0.3 if role == "friend" else 0.9)
        else None
    )
    industry = org[1] if org else ""
    titles = W.INDUSTRIES[industry][1] if industry and rng.random() < 0.5 else W.GENERIC_TITLES
    email = ""
    if rng.random() < 0.95:
        local = f"{first}.{last}".lower().replace("'", "")
        domain = org[2] if org else rng.choice(("mail.example", "post.example", "inbox.example"))
        email, k = f"{local}@{domain}", 2
        while email in emails:
            email, k = f"{local}{k}@{domain}", k + 1
        emails.add(email)
    buying = role in ("client", "prospect")
    need = rng.randrange(len(W.THEMES)) if rng.random() < (0.55 if buying else 0.3) else None
    helping = role in ("partner", "vendor", "referral_source", "peer")
    offer = rng.randrange(len(W.THEMES)) if rng.random() < (0.6 if helping else 0.3) else None
    needs = rng.choice(W.THEMES[need][0]) if need is not None else ""
    if needs and rng.random() < 0.15:
        needs += "; also " + rng.choice(rng.choice(W.THEMES)[0])
    offers = rng.choice(W.THEMES[offer][1]) if offer is not None else ""
    # The funnel path so far, each step dated after the previous one.
    if stage == "let_go":
        path = [*FUNNEL, "let_go"] if role == "client" else [*FUNNEL[: rng.randint(1, 3)], "let_go"]
    else:
        path = list(FUNNEL[: FUNNEL.index(stage) + 1])
    dates = sorted(g.day(created, today - dt.timedelta(days=1)) for _ in path[1:])
    changes = [("", path[0], created, "added")]
    for prev, to, d in zip(path, path[1:], dates, strict=False):
        changes.append((prev, to, d, rng.choice(REASONS[to])))
    p = A.DemoPerson(
        id=g.new_id(Person),
        first=first,
        name=name,
        role=role,
        tier=tier,
        stage=stage,
        source=source,
        created=created,
        changes=changes,
        event=event,
        introducer=introducer,
        need=need,
        offer=offer,
    )
    p.until = p.stage_date("let_go")
    r = rng.random()
    productive = p.stage_date("productive")
    quiet_from = today - dt.timedelta(days=rng.randint(75, 200))
    if role == "client" and tier != "network" and stage == "productive" and r < 0.2:
        if productive is not None and productive < quiet_from:
            p.rhythm, p.until = "quiet", quiet_from
    elif r < 0.24:
        p.rhythm = "only_them"
    elif r < 0.30:
        p.rhythm = "only_me"
    intro = g.people[introducer] if introducer is not None else None
    detail = (
        g.events[event][2]
        if event is not None
        else f"introduced by {intro.name}"
        if intro and source == "introduction"
        else f"referred by {intro.name}"
        if intro
        else SOURCE_DETAIL.get(source, "")
    )
    answered = source == "event" and rng.random() < 0.6
    p.row = (
        name,
        email,
        org[0] if org else None,
        rng.choice(titles),
        industry,
        rng.choice(W.CITIES) if rng.random() < 0.7 else "",
        role,
        tier,
        stage,
        source,
        detail,
        intro.id if intro else None,
        needs,
        offers,
        rng.choice(GOALS) if buying and rng.random() < 0.3 else "",
        f"introductions to people in {industry or 'my network'}" if tier != "network" else "",
        rng.choice(WORK_ON) if tier == "inner" and rng.random() < 0.5 else "",
        rng.choice(W.PERSONAL) if rng.random() < 0.2 else "",
        "",
        dt.date(rng.randint(1958, 1999), rng.randint(1, 12), rng.randint(1, 28))
        if rng.random() < 0.25
        else None,
        rng.choice((7, 14, 30, 60, 90)) if rng.random() < 0.08 else None,
        rng.random() < 0.8 if answered else None,
        rng.random() < 0.7 if answered else None,
        rng.random() < 0.5 if answered else None,
        created,
        changes[-1][2],
    )
    return p


def _activity(
    g: A.Gen,
    ws: int,
    user: int,
    chunk: list[A.DemoPerson],
    tag_ids: list[int],
    t: dict[str, Table],
    favour_rows: list[Row],
) -> None:
    """Write everything one chunk of people did (their rows come later)."""
    rng = g.rng
    rows: dict[str, list[Row]] = {
        k: [] for k in ("interaction", "commitment", "deal", "stage", "channel", "person_tag")
    }
    rows["favour"] = favour_rows
    for p in chunk:
        A.interactions(g, p, ws, user, rows["interaction"])
        A.commitments(g, p, ws, rows["commitment"])
        A.favours(g, p, ws, rows["favour"])
        A.deals(g, p, ws, rows["deal"], rows["favour"])
        rows["stage"].extend((ws, p.id, *change) for change in p.changes)
        email = str(p.row[1])
        channels = [("email", email, "work")] if email else []
        if rng.random() < 0.4:
            phone = f"+1 555 {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
            channels.append(("phone", phone, "mobile"))
        if p.source == "linkedin" or rng.random() < 0.3:
            slug = p.name.lower().replace(" ", "-").replace("'", "")
            channels.append(("url", f"https://www.linkedin.com/in/{slug}-{p.id}", "linkedin"))
        rows["channel"].extend(
            (ws, p.id, kind, value, normalize_channel(kind, value), label)
            for kind, value, label in channels
        )
        if rng.random() < 0.25:
            for tag in rng.sample(tag_ids, rng.randint(1, 2)):
                rows["person_tag"].append((ws, p.id, tag))
    for key, values in rows.items():
        t[key].write(values)
