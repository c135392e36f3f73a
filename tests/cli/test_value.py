"""CLI: favour, ledger, deal, deals, deal-status, review — JSON contract and exit codes."""

from __future__ import annotations

import pytest


@pytest.fixture
def people(cli):
    assert cli("add", "Rita Referrer", "--email", "rita@ref.test").code == 0
    assert cli("add", "Bruno Buyer", "--introduced-by", "Rita").code == 0
    assert cli("add", "Chen Customer", "--introduced-by", "Bruno").code == 0


def test_deals_added_through_the_cli_add_up_in_the_review(cli, people):
    first = cli("deal", "Bruno", "1000", "--referrer", "Rita", "--date", "2026-03-01", "--json")
    assert first.code == 0 and set(first.json) >= {"id"}
    assert cli("deal", "Chen", "400.10", "--referrer", "Bruno", "--json").code == 0
    again = cli("deal", "Bruno", "250", "--origin", "word_of_mouth", "--json")
    assert again.json["repeat"] is True
    assert cli("deal", "Chen", "99", "--status", "lost", "--json").code == 0
    assert cli("deal", "Chen", "50", "--currency", "eur", "--json").code == 0

    r = cli("review", "--year", "2026", "--json")
    assert r.code == 0
    review = r.json
    assert {"year", "total", "by_origin", "top_clients", "biggest_deals", "referrers"} <= set(
        review
    )
    assert review["year"] == 2026
    assert review["currency"] == "USD" and review["total"] == 1650.1
    assert review["totals"] == {"USD": 1650.1, "EUR": 50}
    assert review["by_origin"]["referral"]["total"] == 1400.1
    assert review["by_origin"]["word_of_mouth"]["total"] == 250
    assert review["repeat_business"]["total"] == 250
    assert review["biggest_deals"][0]["amount"] == 1000
    assert review["top_clients"][0]["person"]["name"] == "Bruno Buyer"
    rita = next(x for x in review["referrers"] if x["person"]["name"] == "Rita Referrer")
    # direct: the 1000 referral + Bruno's 250 (Rita brought Bruno); chain: half of Chen's deals
    assert rita["direct"] == {"USD": 1250}
    assert rita["chain"] == {"USD": 200.05, "EUR": 25}
    assert {"n", "correlation"} <= set(review["health_revenue"])
    thanks = {t["referrer"]["name"]: t for t in review["thanks"]}
    assert set(thanks) == {"Bruno Buyer", "Rita Referrer"}
    assert "Chen Customer" in thanks["Bruno Buyer"]["reason"]


def test_deals_lists_with_origin_and_year(cli, people):
    cli("deal", "Bruno", "10", "--date", "2025-05-01")
    cli("deal", "Bruno", "20")
    rows = cli("deals", "--year", "2026", "--json").json
    assert [(d["amount"], d["repeat"]) for d in rows] == [(20, True)]
    assert len(cli("deals", "--json").json) == 2
    out = cli("deals").out
    assert "Bruno Buyer" in out


def test_a_favour_shows_in_the_ledger_json(cli, people):
    r = cli("favour", "Rita", "gave", "advice", "--value", "120", "--json")
    assert r.code == 0 and isinstance(r.json["id"], int)
    for _ in range(2):
        cli("favour", "Bruno", "received", "time")
    rows = cli("ledger", "--json").json
    assert rows[0]["person"]["name"] == "Bruno Buyer" and rows[0]["only_taking"] is True
    rita = next(r for r in rows if r["person"]["name"] == "Rita Referrer")
    assert (rita["given"], rita["received"], rita["balance"], rita["given_value"]) == (1, 0, 1, 120)
    assert "Network reciprocity" in cli("ledger").out


def test_deal_status_moves_a_deal_and_its_referral_favour(cli, people):
    d = cli("deal", "Bruno", "10", "--referrer", "Rita", "--status", "open", "--json").json["id"]
    assert cli("ledger", "--json").json == []
    assert cli("deal-status", str(d), "won", "--json").json == {"id": d, "status": "won"}
    assert cli("ledger", "--json").json[0]["received"] == 1


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["deal", "Bruno", "--", "-5"], "zero or more"),
        (["deal", "Bruno", "ten"], "not a number"),
        (["deal", "Bruno", "10", "--origin", "magic"], "unknown origin"),
        (["deal", "Bruno", "10", "--origin", "referral"], "needs a referrer"),
        (["deal", "Bruno", "10", "--referrer", "Bruno"], "cannot be the client"),
        (["deal", "Bruno", "10", "--currency", "ABC"], "unknown currency"),
        (["deal", "Nobody", "10"], "no person"),
        (["favour", "Rita", "sideways", "advice"], "unknown direction"),
        (["review", "--year", "12"], "bad year"),
        (["deal-status", "999", "won"], "no deal"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_writes_nothing(cli, people, args, words):
    before = cli("deals", "--json").json, cli("ledger", "--json").json
    r = cli(*args)
    assert r.code == 2
    assert words in r.err and len(r.err.strip().splitlines()) == 1
    assert (cli("deals", "--json").json, cli("ledger", "--json").json) == before


def test_the_review_prints_tables_without_json(cli, people):
    cli("deal", "Bruno", "1000", "--referrer", "Rita")
    out = cli("review").out
    assert "Value by origin" in out and "Referrers" in out and "Rita Referrer" in out
