"""funnel and targets through the CLI: JSON shapes, suggestions, bad input."""

from __future__ import annotations

from goodwill.db.models import Person, StageChange


def test_funnel_json_has_every_stage_with_the_contract_keys(cli):
    cli("add", "Ann", "--source", "linkedin")
    cli("add", "Ben", "--source", "event")
    assert cli("stage", "Ann", "connected").code == 0
    r = cli("funnel", "--by", "source", "--json")
    assert r.code == 0, r.err
    stages = r.json["stages"]
    assert [s["stage"] for s in stages] == [
        "identified", "connected", "nurturing", "productive", "let_go",
    ]  # fmt: skip
    assert all(set(s) >= {"stage", "count", "conversion", "median_days"} for s in stages)
    assert {s["stage"]: s["count"] for s in stages}["connected"] == 1
    assert set(r.json["groups"]) == {"linkedin", "event"}
    assert "suggestions" not in r.json


def test_funnel_suggest_lists_moves_that_the_stage_command_applies(cli):
    cli("add", "Pia Prospect")
    cli("log", "Pia", "coffee")
    cli("log", "Pia", "meeting")
    moves = cli("funnel", "--suggest", "--json").json["suggestions"]
    assert [(m["person"]["name"], m["to_stage"]) for m in moves] == [("Pia Prospect", "connected")]
    assert Person.objects.get().stage == "identified"  # only suggested
    assert cli("stage", "Pia", moves[0]["to_stage"], "--reason", moves[0]["reason"]).code == 0
    assert cli("funnel", "--suggest", "--json").json["suggestions"] == []
    assert "Suggested" not in cli("funnel", "--suggest").out


def test_bad_funnel_input_exits_2_and_writes_nothing(cli):
    cli("add", "Ann")
    before = StageChange.objects.count()
    for args in (
        ("stage", "Ann", "let_go"),
        ("stage", "Ann", "famous"),
        ("funnel", "--by", "colour"),
    ):
        r = cli(*args)
        assert r.code == 2, args
        assert r.err.startswith("error:") and len(r.err.strip().splitlines()) == 1
    assert StageChange.objects.count() == before
    assert Person.objects.get().stage == "identified"


def test_targets_json_says_when_there_is_too_little_data(cli):
    cli("add", "Ann", "--stage", "connected")
    r = cli("targets", "--json")
    assert r.code == 0, r.err
    assert set(r.json) >= {"criteria", "prospects"}
    assert "too little data" in r.json["message"]
    assert [p["person"]["name"] for p in r.json["prospects"]] == ["Ann"]
    assert set(r.json["prospects"][0]) >= {"person", "fit", "why"}
    assert "too little data" in cli("targets").out
