"""One small function per bulk path: what it calls, and its limit.

Each returns an :class:`Entry`; ``run`` is None when the service does not
exist yet ("not available yet"). Limits are the raw SQL returning the same
rows, or the minimal page of :mod:`bench.urls`.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

Fn = Callable[[], object]


@dataclass
class Ctx:
    actor: Any
    today: dt.date
    ws: int
    person: int  # a busy person (inner tier, most touchpoints)
    client: Any  # django.test.Client, logged in


@dataclass
class Entry:
    path: str
    run: Fn | None
    limit: Fn | None
    limit_label: str
    note: str = ""
    rate: tuple[int, str] | None = None  # (items one run handles, unit): also shown per second


def sql(query: str, params: list[Any]) -> Fn:
    def run() -> object:
        with connection.cursor() as cur:
            cur.execute(query, params)
            return cur.fetchall()

    return run


def both(*fns: Fn) -> Fn:
    return lambda: [f() for f in fns]


def service(module: str, *names: str) -> Callable[..., Any] | None:
    """The first of ``names`` in ``goodwill.services.<module>``, if it exists yet."""
    try:
        mod = importlib.import_module(f"goodwill.services.{module}")
    except ImportError:
        return None
    return next((getattr(mod, n) for n in names if callable(getattr(mod, n, None))), None)


def call(fn: Callable[..., Any], **offered: Any) -> Fn:
    """Call ``fn`` with the keyword arguments it accepts among ``offered``."""
    accepted = inspect.signature(fn).parameters
    return lambda: fn(**{k: v for k, v in offered.items() if k in accepted})


def rolled_back(fn: Fn) -> Fn:
    def run() -> object:
        with transaction.atomic():
            result = fn()
            transaction.set_rollback(True)
        return result

    return run


PAGE_SQL = (
    "SELECT p.id, p.name, p.email, o.name, p.role, p.stage, p.tier, p.last_contact "
    "FROM goodwill_person p LEFT JOIN goodwill_organization o ON o.id = p.organization_id "
    "WHERE p.workspace_id = %s ORDER BY p.name, p.id LIMIT 50 OFFSET %s"
)
COUNT_SQL = "SELECT count(*) FROM goodwill_person WHERE workspace_id = %s"
FTS_SQL = (
    "SELECT person_id FROM goodwill_fts WHERE goodwill_fts MATCH %s AND workspace_id = %s "
    "GROUP BY person_id ORDER BY min(rank) LIMIT %s"
)


def people_first_page(c: Ctx) -> Entry:
    from goodwill.services.directory import list_people

    return Entry(
        "people list, first page",
        lambda: list_people(actor=c.actor, today=c.today),
        both(sql(COUNT_SQL, [c.ws]), sql(PAGE_SQL, [c.ws, 0])),
        "count + page SQL",
    )


def people_deep_page(c: Ctx) -> Entry:
    from goodwill.services.directory import list_people

    return Entry(
        "people list, page 101",
        lambda: list_people(actor=c.actor, today=c.today, offset=5000),
        both(sql(COUNT_SQL, [c.ws]), sql(PAGE_SQL, [c.ws, 5000])),
        "count + page SQL",
    )


def people_search(c: Ctx) -> Entry:
    from goodwill.services.directory import list_people

    query = (
        "SELECT p.id, p.name, p.email, o.name, p.role, p.stage, p.tier, p.last_contact "
        "FROM goodwill_person p LEFT JOIN goodwill_organization o ON o.id = p.organization_id "
        f"WHERE p.id IN ({FTS_SQL}) ORDER BY p.name, p.id LIMIT 50"
    )
    return Entry(
        "people list, search 'books'",
        lambda: list_people(actor=c.actor, today=c.today, search="books"),
        sql(query, ['body : ("books"*)', c.ws, 1000]),
        "FTS + page SQL",
    )


def search(c: Ctx) -> Entry:
    from goodwill.services.search import search_ids

    return Entry(
        "search 'bookkeeping'",
        lambda: search_ids(actor=c.actor, query="bookkeeping", limit=50),
        sql(FTS_SQL, ['body : ("bookkeeping"*)', c.ws, 50]),
        "raw FTS5 query",
    )


def person_detail(c: Ctx) -> Entry:
    from goodwill.services.directory import person_detail as detail
    from goodwill.services.people import resolve_person

    tables = [
        ("goodwill_interaction", "person_id"),
        ("goodwill_favour", "person_id"),
        ("goodwill_commitment", "person_id"),
        ("goodwill_deal", "client_id"),
        ("goodwill_stagechange", "person_id"),
        ("goodwill_channel", "person_id"),
    ]
    limit = both(
        sql("SELECT * FROM goodwill_person WHERE id = %s", [c.person]),
        *[sql(f"SELECT * FROM {t} WHERE {col} = %s", [c.person]) for t, col in tables],
    )
    return Entry(
        "person detail (service)",
        lambda: detail(
            actor=c.actor, person=resolve_person(actor=c.actor, ref=c.person), today=c.today
        ),
        limit,
        "7 raw SELECTs",
    )


def _page(c: Ctx, name: str, url: str) -> Entry:
    probe = c.client.get(url)
    if probe.status_code == 404:
        return Entry(name, None, None, "minimal page", "not available yet")
    minimal = c.client.get("/bench/minimal/")
    assert minimal.status_code == 200, minimal.status_code
    return Entry(
        name, lambda: c.client.get(url), lambda: c.client.get("/bench/minimal/"), "minimal page"
    )


def person_page(c: Ctx) -> Entry:
    return _page(c, "person page (web)", f"/people/{c.person}/")


def people_page(c: Ctx) -> Entry:
    return _page(c, "people page (web)", "/people/")


def dashboard(c: Ctx) -> Entry:
    return _page(c, "dashboard (web)", "/")


# Last contact per person over every touchpoint table: the aggregate the plan's
# summary columns (kept current on write) stand in for.
LAST_CONTACT_SQL = (
    "SELECT person_id, max(d) FROM ("
    "SELECT person_id, date AS d FROM goodwill_interaction WHERE workspace_id = %s "
    "UNION ALL SELECT person_id, date FROM goodwill_favour WHERE workspace_id = %s "
    "UNION ALL SELECT client_id, date FROM goodwill_deal WHERE workspace_id = %s "
    "UNION ALL SELECT m.person_id, e.date FROM goodwill_eventmet m "
    "JOIN goodwill_event e ON e.id = m.event_id WHERE m.workspace_id = %s "
    "UNION ALL SELECT a_id, made_on FROM goodwill_introduction "
    "WHERE workspace_id = %s AND made_on IS NOT NULL "
    "UNION ALL SELECT b_id, made_on FROM goodwill_introduction "
    "WHERE workspace_id = %s AND made_on IS NOT NULL"
    ") GROUP BY person_id"
)


def plan(c: Ctx) -> Entry:
    fn = service("plan", "build_plan")
    limit = sql(LAST_CONTACT_SQL, [c.ws] * 6)
    # The next day: the dashboard entry may have saved today's plan, which a call for
    # today would then only read back.
    day = c.today + dt.timedelta(days=1)
    run = call(fn, actor=c.actor, today=day, count=3, persist=False) if fn else None
    return Entry("today's plan", run, limit, "SQL: last contact per person")


def overdue(c: Ctx) -> Entry:
    fn = service("plan", "overdue")
    from goodwill.services.health import cadence_policy

    policy = cadence_policy(c.actor)
    cases = " ".join(
        f"WHEN tier = '{tier}' AND role = '{role}' THEN {policy.days(tier=tier, role=role)}"
        for tier in policy.tier_days
        for role in policy.role_factor
    )
    days = f"coalesce(cadence_days, CASE {cases} ELSE {policy.tier_days.get('network', 90)} END)"
    query = (
        f"SELECT id, name, role, julianday(%s) - julianday(last_contact) AS since, {days} "
        "FROM goodwill_person WHERE workspace_id = %s AND stage <> 'let_go' "
        f"AND julianday(%s) - julianday(last_contact) > {days} ORDER BY since DESC"
    )
    day = c.today.isoformat()
    run = call(fn, actor=c.actor, today=c.today) if fn else None
    return Entry("overdue list", run, sql(query, [day, c.ws, day]), "SQL with cadence CASE")


def funnel(c: Ctx) -> Entry:
    fn = service("funnel", "funnel_report")
    limit = both(
        sql(
            "SELECT stage, count(*) FROM goodwill_person WHERE workspace_id = %s GROUP BY stage",
            [c.ws],
        ),
        sql(
            "SELECT person_id, to_stage, date FROM goodwill_stagechange WHERE workspace_id = %s",
            [c.ws],
        ),
    )
    run = call(fn, actor=c.actor, today=c.today) if fn else None
    return Entry("funnel", run, limit, "GROUP BY + stage history")


def review(c: Ctx) -> Entry:
    """Run by ``python -m bench`` on the network with 2 deals a person (bench/variants.py)."""
    fn = service("review", "yearly_review", "build_review", "review")
    year = [c.ws, dt.date(c.today.year, 1, 1), dt.date(c.today.year, 12, 31)]
    limit = sql(  # the same totals: won deals of the year by origin and currency
        "SELECT origin, currency, sum(amount), count(*) FROM goodwill_deal WHERE workspace_id = %s "
        "AND status = 'won' AND date BETWEEN %s AND %s GROUP BY origin, currency",
        year,
    )
    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*), count(CASE WHEN status = 'won' AND date BETWEEN %s AND %s "
            "THEN 1 END) FROM goodwill_deal WHERE workspace_id = %s",
            [*year[1:], c.ws],
        )
        deals, won = cur.fetchone()
    note = f"{deals:,} deals, {won:,} won in {c.today.year}" if fn else "not available yet"
    run = call(fn, actor=c.actor, today=c.today, year=c.today.year) if fn else None
    return Entry("yearly review", run, limit, "SUM by origin, currency", note)


NEEDS_OFFERS_SQL = (
    "SELECT id, needs, offers FROM goodwill_person WHERE workspace_id = %s "
    "AND stage <> 'let_go' AND (needs <> '' OR offers <> '')"
)


def matching(c: Ctx) -> Entry:
    fn = service("intros", "suggestions")
    run = call(fn, actor=c.actor, today=c.today, limit=20) if fn else None
    return Entry(
        "intro suggestions (stored matches)",
        run,
        sql(NEEDS_OFFERS_SQL, [c.ws]),
        "SQL: needs and offers",
        "" if fn else "not available yet",
    )


def matching_rebuild(c: Ctx) -> Entry:
    """Matching the whole network again, as after needs or offers changed."""
    fn = service("matches", "rebuild")
    run = call(fn, actor=c.actor) if fn else None
    return Entry(
        "matching the whole network (rebuild)",
        run,
        sql(NEEDS_OFFERS_SQL, [c.ws]),
        "SQL: needs and offers",
        "" if fn else "not available yet",
    )


PERSON_INSERT = (
    "INSERT INTO goodwill_person (workspace_id, name, email, title, industry, location, role, "
    "tier, stage, source, source_detail, needs, offers, goals, value_i_bring, work_on, "
    "personal, notes, created_on, stage_since, touch_count) VALUES "
    "(%s, %s, %s, %s, '', '', 'other', 'network', 'identified', %s, '', '', "
    "'', '', '', '', '', '', %s, %s, 0)"
)


def _insert_people(c: Ctx, rows: list[tuple[str, str, str]], source: str) -> None:
    """The limit's write: one person row per record (name, email, title), one executemany."""
    with connection.cursor() as cur:
        cur.executemany(
            PERSON_INSERT, [(c.ws, n, e, t, source, c.today, c.today) for n, e, t in rows]
        )


def import_linkedin(c: Ctx, rows: int = 100_000) -> Entry:
    """A Connections.csv of ``rows`` people (bench/importfiles.py: real-looking names,
    existing people among them) into the network, rolled back. The limit reads the
    same file with csv.reader and inserts one person per row with executemany."""
    import csv
    import io

    from .importfiles import for_network, linkedin_csv

    fn = service("importing", "import_file")
    data = linkedin_csv(for_network(connection, c.ws, rows))

    def raw() -> object:
        reader = csv.reader(io.StringIO(data.decode()))
        for row in reader:  # the note lines, then the header
            if row[:2] == ["First Name", "Last Name"]:
                break
        _insert_people(c, [(f"{r[0]} {r[1]}", r[3], r[5]) for r in reader], "linkedin")
        return None

    run = (
        rolled_back(call(fn, actor=c.actor, today=c.today, kind="linkedin", data=data))
        if fn
        else None
    )
    return Entry(
        f"import {rows:,} LinkedIn rows",
        run,
        rolled_back(raw),
        "csv.reader + executemany INSERT",
        rate=(rows, "rows"),
    )


import_linkedin.timeout_s = 150  # type: ignore[attr-defined]  # three imports, two limits


def import_vcard(c: Ctx, cards: int = 50_000) -> Entry:
    """A .vcf of ``cards`` cards mixing 2.1 (QUOTED-PRINTABLE), Apple and Google 3.0 and
    4.0 (folded lines, grouped labels, photos) into the network, rolled back. The limit
    unfolds the file, takes each card's FN with one regex and inserts one person per card."""
    import re

    from .importfiles import for_network, vcards

    fn = service("importing", "import_file")
    data = vcards(for_network(connection, c.ws, cards), seed=7)

    def raw() -> object:
        text = re.sub(r"\r\n[ \t]", "", data.decode())
        names = re.findall(r"^FN[;:](?:[^:\r\n]*:)?([^\r\n]*)", text, re.M)
        _insert_people(c, [(n, "", "") for n in names], "other")
        return None

    run = (
        rolled_back(call(fn, actor=c.actor, today=c.today, kind="vcard", data=data)) if fn else None
    )
    return Entry(
        f"import {cards:,} vCards",
        run,
        rolled_back(raw),
        "unfold + regex + executemany INSERT",
        rate=(cards, "cards"),
    )


import_vcard.timeout_s = 150  # type: ignore[attr-defined]


def duplicates(c: Ctx) -> Entry:
    """Every pair of people recorded twice in the whole network (target: under 30 s at
    100k people). The limit reads what it must: the email/URL channels grouped, and
    every person's name and organization."""
    fn = service("duplicates", "find_duplicates")
    limit = both(
        sql(
            "SELECT kind, normalized, count(*) FROM goodwill_channel WHERE workspace_id = %s "
            "AND kind IN ('email', 'url') GROUP BY kind, normalized HAVING count(*) > 1",
            [c.ws],
        ),
        sql(
            "SELECT p.id, p.name, o.name FROM goodwill_person p LEFT JOIN goodwill_organization o "
            "ON o.id = p.organization_id WHERE p.workspace_id = %s",
            [c.ws],
        ),
    )
    run = call(fn, actor=c.actor, limit=1000) if fn else None
    return Entry("duplicates", run, limit, "channels GROUP BY + names SQL", "target: under 30 s")


ENTRIES = [
    people_first_page,
    people_deep_page,
    people_search,
    search,
    person_detail,
    people_page,
    person_page,
    dashboard,
    plan,
    overdue,
    funnel,
    review,
    matching,
    matching_rebuild,
    import_linkedin,
    import_vcard,
    duplicates,
]
