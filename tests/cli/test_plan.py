"""today, done, skip, snooze, overdue, commitment, cadence, calendar, digest on the command line."""

from __future__ import annotations

import pytest
from icalendar import Calendar

from goodwill.db.models import Commitment, PlanEntry
from goodwill.services import signals


@pytest.fixture(autouse=True)
def no_other_providers(monkeypatch):
    monkeypatch.setattr(signals, "PROVIDERS", [])


@pytest.fixture
def people(cli):
    """A key client quiet for 60 days, a peer seen last week."""
    ids = {}
    for name, role, tier, days in (
        ("Carol Client", "client", "key", 60),
        ("Peter Peer", "peer", "network", 7),
    ):
        r = cli("add", name, "--role", role, "--tier", tier, "--stage", "productive", "--json")
        ids[name] = r.json["id"]
        assert cli("log", name, "call", "--date", f"-{days}d").code == 0
    return ids


def test_today_prints_the_plan_in_the_contract_shape(cli, people):
    r = cli("today", "--json")
    assert r.code == 0, r.err
    assert set(r.json) >= {"date", "streak", "items"}
    item = r.json["items"][0]
    assert set(item) >= {"person", "score", "reasons", "action"}
    assert item["person"] == {"id": people["Carol Client"], "name": "Carol Client"}
    assert any("silent for 60 days" in reason for reason in item["reasons"])


def test_today_as_text_shows_the_action_and_reasons(cli, people):
    r = cli("today", "--count", "2")
    assert r.code == 0 and "Carol Client" in r.out and "silent for 60 days" in r.out


def test_today_for_another_date_is_not_saved(cli, people):
    r = cli("today", "--date", "2026-12-01", "--json")
    assert r.code == 0 and r.json["date"] == "2026-12-01"
    assert not PlanEntry.objects.exists()


def test_done_skip_and_snooze_answer_ok(cli, people):
    assert cli("done", "Carol", "--kind", "coffee", "--note", "caught up", "--json").json == {
        "ok": True
    }
    assert cli("skip", "Peter", "--json").json == {"ok": True}
    assert cli("snooze", "Peter", "--days", "5", "--json").json["ok"] is True
    assert cli("today", "--json").json["streak"] == 1


@pytest.mark.parametrize(
    "args, words",
    [
        (("today", "--count", "0"), "count"),
        (("today", "--count", "-2"), "count"),
        (("today", "--date", "someday"), "date"),
        (("done", "Nobody Here"), "no person"),
        (("snooze", "Carol", "--days", "0"), "days"),
        (("snooze", "Carol", "--days", "two"), "days"),
        (("skip", "999"), "no person"),
        (("commitment", "add", "Carol", "send deck", "--due", "soonish"), "due"),
        (("commitment", "add", "Carol", "send deck", "--by", "nobody"), "by"),
        (("commitment", "keep", "4242"), "no commitment"),
        (("cadence", "--set", "inner=fast"), "inner"),
        (("cadence", "--set", "wizard=3"), "cadence"),
        (("digest", "--send"), "email"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_writes_nothing(cli, people, args, words):
    r = cli(*args)
    assert r.code == 2, (r.out, r.err)
    assert words in r.err and len(r.err.strip().splitlines()) == 1
    assert not PlanEntry.objects.exists() and not Commitment.objects.exists()


def test_overdue_lists_late_relationships_with_the_contract_keys(cli, people):
    rows = cli("overdue", "--json").json
    assert [row["person"]["name"] for row in rows] == ["Carol Client"]
    assert set(rows[0]) >= {"person", "role", "days_since", "cadence_days", "overdue_days"}
    assert rows[0]["overdue_days"] == rows[0]["days_since"] - rows[0]["cadence_days"]


def test_commitments_are_added_listed_and_kept(cli, people):
    cid = cli("commitment", "add", "Carol", "send the deck", "--due", "-2d", "--json").json["id"]
    rows = cli("commitment", "list", "--json").json
    assert rows[0]["id"] == cid and rows[0]["status"] == "overdue"
    assert cli("commitment", "keep", str(cid), "--json").json["ok"] is True
    assert cli("commitment", "list", "--json").json == []
    plan = cli("today", "--json").json
    assert plan["items"]


def test_cadence_shows_and_changes_the_workspace_defaults(cli, people):
    assert cli("cadence", "--set", "key=10", "--set", "client=0.5", "--json").code == 0
    shown = cli("cadence", "--json").json
    assert shown["tiers"]["key"] == 10 and shown["role_factors"]["client"] == 0.5
    late = cli("overdue", "--json").json[0]
    assert late["cadence_days"] == 5
    assert cli("cadence", "--reset", "--json").json["tiers"]["key"] == 30


def test_a_calendar_url_is_made_and_revoked(cli, people, client):
    url = cli("calendar", "url", "--json").json["url"]
    path = url.split("8000", 1)[1]
    r = client.get(path)
    assert r.status_code == 200
    assert Calendar.from_ical(r.content).walk("VEVENT")
    assert cli("calendar", "revoke", "--json").json["revoked"] == 1
    assert client.get(path).status_code == 404


def test_the_digest_prints_the_plan_and_overdue(cli, people):
    r = cli("digest")
    assert r.code == 0 and "Carol Client" in r.out and "Going quiet" in r.out
    sent = cli("digest", "--send", "--to", "me@example.com", "--json")
    assert sent.code == 0 and sent.json["sent"] is True
