"""``goodwill demo``: the JSON contract, the table, and refusals (exit 2)."""

from __future__ import annotations

from typing import Any


def test_demo_json_has_the_contract_keys_and_fills_the_network(cli: Any) -> None:
    r = cli("demo", "--people", "120", "--seed", "3", "--json")
    assert r.code == 0, r.err
    data = r.json
    assert data["people"] == 120
    for key in ("people", "interactions", "deals"):
        assert isinstance(data[key], int) and data[key] > 0
    people = cli("people", "--json", "--limit", "500").json
    assert len(people) == 120
    shown = cli("show", str(people[0]["id"]), "--json")
    assert shown.code == 0 and shown.json["name"] == people[0]["name"]


def test_demo_prints_a_summary_table_without_json(cli: Any) -> None:
    r = cli("demo", "--people", "50")
    assert r.code == 0, r.err
    assert "Demo network" in r.out and "interactions" in r.out


def test_a_second_demo_is_refused_with_exit_2_and_nothing_written(cli: Any) -> None:
    assert cli("demo", "--people", "40", "--json").code == 0
    r = cli("demo", "--people", "40", "--json")
    assert r.code == 2
    assert r.out == ""
    assert "already has 40 people" in r.err and len(r.err.strip().splitlines()) == 1
    assert len(cli("people", "--json", "--limit", "500").json) == 40


def test_an_impossible_size_exits_2_with_one_line(cli: Any) -> None:
    r = cli("demo", "--people", "0")
    assert r.code == 2
    assert "between" in r.err and len(r.err.strip().splitlines()) == 1
    assert cli("people", "--json").json == []
