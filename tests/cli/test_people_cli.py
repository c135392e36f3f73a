"""The foundation commands through the CLI: JSON shapes, exit codes, one-line errors."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from goodwill import __version__
from goodwill.db.models import Interaction, Person


def test_add_prints_the_new_id_and_people_lists_it_with_the_contract_keys(cli):
    r = cli(
        "add",
        "Ada Lovelace",
        "--email",
        "ada@example.com",
        "--org",
        "Analytical",
        "--role",
        "client",
        "--tier",
        "inner",
        "--tag",
        "VIP",
        "--json",
    )
    assert r.code == 0, r.err
    new_id = r.json["id"]
    rows = cli("people", "--json").json
    assert [row["id"] for row in rows] == [new_id]
    assert set(rows[0]) >= {
        "id",
        "name",
        "email",
        "organization",
        "role",
        "stage",
        "health",
        "last_contact",
    }
    assert rows[0]["organization"] == "Analytical" and rows[0]["last_contact"] is None


def test_show_has_health_components_and_the_timeline(cli):
    pid = cli("add", "Grace Hopper", "--json").json["id"]
    assert (
        cli(
            "log",
            "grace",
            "coffee",
            "--note",
            "compilers",
            "--by",
            "them",
            "--quality",
            "4",
            "--json",
        ).code
        == 0
    )
    d = cli("show", str(pid), "--json").json
    assert {"id", "name", "health", "interactions", "favours", "deals"} <= set(d)
    assert {"score", "components"} <= set(d["health"])
    assert d["interactions"][0]["note"] == "compilers"
    assert d["interactions"][0]["initiated_by"] == "them"
    assert d["last_contact"] == os.environ["GOODWILL_TODAY"]


def test_stage_moves_and_reports_the_new_stage(cli):
    pid = cli("add", "Alan Turing", "--json").json["id"]
    r = cli("stage", "alan", "nurturing", "--json")
    assert r.json == {"id": pid, "stage": "nurturing"}


def test_an_ambiguous_name_is_exit_2_with_the_candidates_on_one_line(cli):
    cli("add", "Ann One")
    cli("add", "Anna Two")
    r = cli("show", "ann")
    assert r.code == 2
    assert r.out == ""
    lines = r.err.strip().splitlines()
    assert len(lines) == 1 and "Ann One" in lines[0] and "Anna Two" in lines[0]


@pytest.mark.parametrize(
    "args",
    [
        ("log", "nobody", "call"),
        ("log", "Ada", "telepathy"),
        ("log", "Ada", "call", "--date", "2026-02-30"),
        ("log", "Ada", "call", "--quality", "9"),
        ("stage", "Ada", "famous"),
        ("stage", "Ada", "let_go"),
        ("add", "Bad", "--email", "nope"),
        ("add", "Bad", "--role", "wizard"),
        ("add", "Bad", "--introduced-by", "nobody"),
        ("add",),
    ],
)
def test_bad_input_is_exit_2_one_line_and_writes_nothing(cli, args):
    cli("add", "Ada Lovelace")
    before = (Person.objects.count(), Interaction.objects.count())
    r = cli(*args)
    assert r.code == 2, r.out
    assert len(r.err.strip().splitlines()) == 1 and r.err.startswith("error: ")
    assert (Person.objects.count(), Interaction.objects.count()) == before


def test_search_finds_interaction_notes(cli):
    cli("add", "Linus")
    cli("log", "linus", "call", "--note", "kernel maintainers summit")
    assert [r["name"] for r in cli("search", "maintainers", "--json").json] == ["Linus"]


def test_people_filters_by_stage_and_tag(cli):
    cli("add", "A One", "--stage", "connected", "--tag", "golf")
    cli("add", "B Two", "--stage", "nurturing")
    assert [p["name"] for p in cli("people", "--stage", "connected", "--json").json] == ["A One"]
    assert [p["name"] for p in cli("people", "--tag", "GOLF", "--json").json] == ["A One"]


def test_token_create_prints_the_token_as_the_last_word(cli):
    os.environ["GOODWILL_PASSWORD"] = "a long enough password"
    try:
        assert cli("user", "add", "owner@example.com").code == 0
    finally:
        del os.environ["GOODWILL_PASSWORD"]
    r = cli("token", "create", "--user", "owner@example.com", "--scope", "write")
    assert r.code == 0
    from goodwill.services.accounts import authenticate_token

    found = authenticate_token(r.out.split()[-1])
    assert found is not None and found[1] == "write"


def test_the_first_user_adopts_the_cli_network(cli):
    cli("add", "Someone Known")
    os.environ["GOODWILL_PASSWORD"] = "a long enough password"
    try:
        cli("user", "add", "me@example.com")
    finally:
        del os.environ["GOODWILL_PASSWORD"]
    from django.contrib.auth import get_user_model

    from goodwill.services.context import actor_for

    me = get_user_model().objects.get(username="me@example.com")
    assert Person.objects.filter(workspace=actor_for(me).workspace).count() == 1


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "goodwill", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_a_new_database_file_is_created_and_migrated_on_first_use(tmp_path):
    env = {**os.environ, "GOODWILL_HOME": str(tmp_path / "home")}
    env.pop("GOODWILL_DB", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    db = tmp_path / "new.sqlite3"
    r = _run("--db", str(db), "add", "First Person", "--json", env=env)
    assert r.returncode == 0, r.stderr
    assert db.exists()
    r = _run("--db", str(db), "people", "--json", env=env)
    assert '"First Person"' in r.stdout
    r = _run("--db", str(db), "show", "nobody", env=env)
    assert r.returncode == 2 and r.stderr.startswith("error: no person")
    assert _run("--version", env=env).stdout.strip() == f"goodwill {__version__}"


def test_an_unsupported_database_url_is_exit_2(tmp_path):
    env = {**os.environ, "GOODWILL_HOME": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    r = _run("--db", "mysql://x/y", "people", env=env)
    assert r.returncode == 2 and "unsupported database URL" in r.stderr
