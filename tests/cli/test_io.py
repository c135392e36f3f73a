"""The io commands through the CLI: JSON shapes, exit codes, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

from goodwill.db.models import Person

FIXTURES = Path(__file__).parent.parent / "io" / "fixtures"
LINKEDIN = str(FIXTURES / "Connections.csv")


def test_import_json_has_the_contract_keys_and_per_line_errors(cli):
    r = cli("import", "linkedin", LINKEDIN, "--json")
    assert r.code == 0, r.err
    assert {"created", "updated", "merged", "skipped", "errors"} <= set(r.json)
    assert r.json["created"] == 4
    assert {e["line"] for e in r.json["errors"]} == {10, 11}


def test_import_twice_changes_nothing_the_second_time(cli):
    cli("import", "linkedin", LINKEDIN)
    second = cli("import", "linkedin", LINKEDIN, "--json").json
    assert (second["created"], second["updated"], second["merged"]) == (0, 0, 0)
    assert Person.objects.count() == 4


def test_dry_run_of_any_csv_shows_the_guessed_mapping_and_writes_nothing(cli):
    r = cli("import", "csv", str(FIXTURES / "custom.csv"), "--dry-run", "--json")
    assert r.code == 0, r.err
    assert r.json["mapping"]["Full name"] == "name" and r.json["created"] == 2
    assert r.json["errors"][0]["line"] == 4
    assert Person.objects.count() == 0


def test_map_option_sets_a_column(cli):
    r = cli("import", "csv", str(FIXTURES / "custom.csv"), "--map", "Notizen=notes", "--json")
    assert r.code == 0, r.err
    assert Person.objects.get(name="Zoë Faßbender").notes == "trinkt gern Café"


def test_strict_imports_nothing_and_exits_2_with_the_line(cli):
    r = cli("import", "linkedin", LINKEDIN, "--strict")
    assert (
        r.code == 2 and r.err.startswith("error: line 10:") and len(r.err.strip().splitlines()) == 1
    )
    assert Person.objects.count() == 0


def test_an_unreadable_file_exits_2_with_one_line(cli, tmp_path):
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" * 30)
    for kind in ("linkedin", "vcard", "google", "csv"):
        r = cli("import", kind, str(binary))
        assert r.code == 2 and len(r.err.strip().splitlines()) == 1, (kind, r.err)
    r = cli("import", "vcard", str(tmp_path / "missing.vcf"))
    assert r.code == 2 and "cannot read" in r.err


def test_human_output_summarises_and_lists_errors(cli):
    r = cli("import", "vcard", str(FIXTURES / "contacts.vcf"))
    assert r.code == 0, r.err
    assert "5 created" in r.out and "card 6" in r.out and "photo" in r.out


def test_export_csv_and_vcard_to_a_file_and_stdout(cli, tmp_path):
    cli("import", "linkedin", LINKEDIN)
    out = tmp_path / "people.vcf"
    assert cli("export", "vcard", "-o", str(out)).code == 0
    assert out.read_text().count("BEGIN:VCARD") == 4
    r = cli("export", "csv")
    assert r.code == 0 and r.out.splitlines()[0].startswith("id,name,email")


def test_export_of_an_unknown_format_exits_2(cli):
    r = cli("export", "xlsx")
    assert r.code == 2 and "unknown export format" in r.err


def test_export_json_then_restore_needs_an_empty_workspace(cli, tmp_path):
    cli("import", "linkedin", LINKEDIN)
    dump = tmp_path / "all.json"
    cli("export", "json", "-o", str(dump))
    assert json.loads(dump.read_text())["format"] == "goodwill"
    r = cli("restore", str(dump), "--json")
    assert r.code == 2 and "empty workspace" in r.err


def test_duplicates_and_merge(cli):
    a = cli("add", "Jane Doe", "--email", "jane@x.test", "--json").json["id"]
    b = cli("add", "Jane D", "--email", "JANE@x.test", "--json").json["id"]
    found = cli("duplicates", "--json").json
    assert [(p["a"]["id"], p["b"]["id"]) for p in found] == [(a, b)]
    assert cli("merge", str(a), str(b), "--json").json == {"id": a, "merged": b}
    assert cli("duplicates", "--json").json == []
