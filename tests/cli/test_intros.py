"""intros, intro, introductions and path through the CLI: JSON contract and exit codes."""

from __future__ import annotations

from goodwill.db.models import Favour, Introduction


def _network(cli):
    cli("add", "Carol Client", "--email", "carol@acme.test", "--stage", "nurturing",
        "--needs", "need help with my books before the audit")  # fmt: skip
    cli("add", "Paul Partner", "--email", "paul@p.test", "--stage", "nurturing",
        "--offers", "bookkeeping and tax returns for small firms")  # fmt: skip
    cli("add", "Fay Founder", "--stage", "connected", "--needs", "looking for investors")
    cli("add", "Peter Peer", "--stage", "connected", "--offers", "angel investor, seed rounds")
    cli("add", "Hal Hiring", "--stage", "connected", "--needs", "hiring a React developer")
    cli("add", "Fran Frontend", "--stage", "connected",
        "--offers", "frontend engineer (React, TypeScript)")  # fmt: skip


def test_intros_json_names_who_needs_who_helps_and_why(cli):
    _network(cli)
    r = cli("intros", "--json")
    assert r.code == 0, r.err
    pairs = {(s["a"]["name"], s["b"]["name"]) for s in r.json}
    assert {
        ("Carol Client", "Paul Partner"),
        ("Fay Founder", "Peter Peer"),
        ("Hal Hiring", "Fran Frontend"),
    } <= pairs
    for s in r.json:
        assert {"a", "b", "score", "need", "offer", "why", "shared_terms"} <= set(s)
        assert set(s["a"]) == {"id", "name"} and 0 <= s["score"] <= 1 and s["shared_terms"]


def test_intros_for_one_person_and_a_limit(cli):
    _network(cli)
    r = cli("intros", "Fay", "--limit", "1", "--json")
    assert r.code == 0 and len(r.json) == 1 and r.json[0]["b"]["name"] == "Peter Peer"
    table = cli("intros", "Fay")
    assert table.code == 0 and "Peter Peer" in table.out


def test_intro_records_then_moves_the_introduction_and_made_gives_favours(cli):
    _network(cli)
    r = cli("intro", "Carol", "Paul", "--reason", "her audit", "--status", "asked", "--json")
    assert r.code == 0, r.err
    intro_id = r.json["id"]
    r = cli("intro", "carol@acme.test", "paul@p.test", "--status", "made", "--json")
    assert r.json == {"id": intro_id, "status": "made"}
    assert Favour.objects.filter(introduction_id=intro_id).count() == 2
    rows = cli("introductions", "--json").json
    assert [row["id"] for row in rows] == [intro_id]
    assert rows[0]["status"] == "made" and rows[0]["reason"] == "her audit"
    pairs = {(s["a"]["name"], s["b"]["name"]) for s in cli("intros", "--json").json}
    assert ("Carol Client", "Paul Partner") not in pairs


def test_bad_introductions_exit_2_with_one_line_and_write_nothing(cli):
    _network(cli)
    for args, words in [
        (("intro", "Carol", "Carol"), "themself"),
        (("intro", "Carol", "Nobody Here"), "no person"),
        (("intro", "Carol", "Paul", "--status", "maybe"), "unknown status"),
        (("path", "Nobody Here"), "no person"),
        (("intros", "Nobody Here"), "no person"),
    ]:
        r = cli(*args)
        assert r.code == 2, args
        assert words in r.err and len(r.err.strip().splitlines()) == 1
    assert not Introduction.objects.exists()


def test_path_json_walks_from_me_through_who_introduced_whom(cli):
    cli("add", "Rita Referrer", "--email", "rita@r.test")
    cli("log", "Rita", "call")
    cli("add", "Bruno Buyer", "--introduced-by", "rita@r.test", "--email", "bruno@b.test")
    cli("add", "Chen Customer", "--introduced-by", "bruno@b.test")
    r = cli("path", "Chen", "--json")
    assert r.code == 0, r.err
    assert [s["name"] for s in r.json["path"]][1:] == [
        "Rita Referrer",
        "Bruno Buyer",
        "Chen Customer",
    ]
    assert r.json["path"][0]["kind"] == "me" and 0 < r.json["strength"] < 1
    assert set(r.json["path"][1]) >= {"id", "name"} and r.json["alternatives"] == []
    text = cli("path", "Chen")
    assert text.code == 0 and "Rita Referrer → Bruno Buyer → Chen Customer" in text.out


def test_path_to_someone_unreachable_says_so(cli):
    cli("add", "Lone Wolf")
    r = cli("path", "Lone", "--json")
    assert r.code == 0 and r.json["path"] == [] and r.json["strength"] == 0
    assert "No warm path" in cli("path", "Lone").out
