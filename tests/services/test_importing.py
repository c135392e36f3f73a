"""Importing contacts: create, update, merge candidates, dry runs, strictness, bulk queries."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goodwill.db.models import Channel, Organization, Person, StageChange
from goodwill.io.vcard_writer import CardPerson, write
from goodwill.services.errors import BadInput, Forbidden
from goodwill.services.exporting import people_vcard
from goodwill.services.importing import import_file
from goodwill.services.people import PersonInput, add_person

FIXTURES = Path(__file__).parent.parent / "io" / "fixtures"
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


def linkedin(rows: int, start: int = 0) -> bytes:
    lines = [
        f"Person{i},Surname{i},https://www.linkedin.com/in/p{i},p{i}@x.test,"
        f"Org {i % 7},Role {i},07 Mar 2023"
        for i in range(start, start + rows)
    ]
    return ("Notes:\nsomething\n\n" + HEADER + "\n".join(lines) + "\n").encode()


def run(actor, today, kind="linkedin", data=None, **kw):
    if data is None:
        data = (FIXTURES / "Connections.csv").read_bytes()
    return import_file(actor=actor, today=today, kind=kind, data=data, **kw)


def counts(actor):
    ws = actor.workspace
    return tuple(
        m.objects.filter(workspace=ws).count() for m in (Person, Channel, Organization, StageChange)
    )


def test_linkedin_import_creates_people_with_source_stage_org_title_and_profile_url(alice, today):
    result = run(alice, today)
    assert (result.created, result.updated, result.skipped) == (4, 0, 1)
    ada = Person.objects.get(workspace=alice.workspace, name="Ada Lovelace")
    assert (ada.source, ada.stage, ada.title) == ("linkedin", "connected", "Chief Mathematician")
    assert ada.organization.name == "Analytical Engines"
    assert str(ada.stage_since) == "2023-03-07"
    urls = Channel.objects.filter(person=ada, kind="url").values_list("value", flat=True)
    assert list(urls) == ["https://www.linkedin.com/in/ada-lovelace"]
    assert StageChange.objects.filter(person=ada, to_stage="connected").exists()


def test_bad_records_are_listed_with_their_line_and_the_good_ones_still_import(alice, today):
    result = run(alice, today)
    assert {e.line for e in result.errors} == {10, 11}
    assert not Person.objects.filter(name__in=["Linus Torvalds", "Margaret Hamilton"]).exists()


def test_importing_the_same_file_twice_changes_nothing_the_second_time(alice, today):
    run(alice, today)
    before = counts(alice)
    again = run(alice, today)
    assert (again.created, again.updated, again.merged) == (0, 0, 0)
    assert again.skipped == 5
    assert counts(alice) == before


@pytest.mark.parametrize(("kind", "name"), [("vcard", "contacts.vcf"), ("google", "google.csv")])
def test_reimporting_vcards_and_google_csv_is_idempotent_too(alice, today, kind, name):
    data = (FIXTURES / name).read_bytes()
    first = run(alice, today, kind, data)
    before = counts(alice)
    second = run(alice, today, kind, data)
    assert first.created > 0 and second.created == 0 and second.updated == 0
    assert counts(alice) == before


def test_the_same_email_updates_the_existing_person_and_fills_only_blank_fields(alice, today):
    ada = add_person(
        actor=alice,
        data=PersonInput(name="Ada L.", email="ADA@analytical.test", title="Countess"),
        today=today,
    )
    result = run(alice, today)
    ada.refresh_from_db()
    assert result.updated == 1 and result.created == 3
    assert ada.title == "Countess"  # never overwritten
    assert ada.organization.name == "Analytical Engines"  # blank, so filled
    assert Channel.objects.filter(person=ada, kind="url").count() == 1


def test_the_same_profile_url_updates_even_without_an_email(alice, today):
    babbage = add_person(
        actor=alice,
        data=PersonInput(name="C. Babbage", urls=["http://linkedin.com/in/cbabbage/"]),
        today=today,
    )
    run(alice, today)
    assert Person.objects.filter(workspace=alice.workspace, name__icontains="babbage").count() == 1
    babbage.refresh_from_db()
    assert babbage.title == "Inventor, Difference Engine"


def test_a_fuzzy_same_name_and_organization_is_reported_as_a_merge_candidate(alice, today):
    old = add_person(
        actor=alice,
        data=PersonInput(name="Ada Lovelase", organization="Analytical Engines Ltd"),
        today=today,
    )
    result = run(alice, today)
    assert [(c.line, c.person["id"]) for c in result.candidates] == [(5, old.pk)]
    assert result.created == 4 and result.merged == 0


def test_with_merge_a_fuzzy_candidate_becomes_the_existing_person(alice, today):
    old = add_person(
        actor=alice,
        data=PersonInput(name="Ada Lovelase", organization="Analytical Engines Ltd"),
        today=today,
    )
    result = run(alice, today, merge=True)
    assert result.merged == 1 and result.created == 3
    old.refresh_from_db()
    assert old.email == "ada@analytical.test"


def test_dry_run_writes_nothing_and_reports_what_would_happen(alice, today):
    result = run(alice, today, dry_run=True)
    assert result.created == 4 and result.dry_run
    assert counts(alice) == (0, 0, 0, 0)


def test_strict_imports_nothing_when_any_record_is_bad(alice, today):
    with pytest.raises(BadInput, match=r"line 10: .*--strict"):
        run(alice, today, strict=True)
    assert counts(alice) == (0, 0, 0, 0)


def test_a_file_that_cannot_be_read_at_all_is_bad_input(alice, today):
    with pytest.raises(BadInput, match="binary"):
        run(alice, today, data=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    with pytest.raises(BadInput, match="unknown import format"):
        run(alice, today, kind="excel", data=b"x")


def test_viewers_cannot_import_but_may_dry_run(vera, today):
    with pytest.raises(Forbidden):
        run(vera, today)
    assert run(vera, today, dry_run=True).created == 4


def test_the_import_stays_in_the_actors_workspace(alice, mallory, today):
    run(alice, today)
    assert counts(mallory) == (0, 0, 0, 0)
    assert run(mallory, today).created == 4  # alice's people are no match for mallory


def test_the_query_count_does_not_grow_with_the_number_of_rows(
    alice, today, django_assert_max_num_queries
):
    run(alice, today, data=linkedin(5))
    # 24: the writes, and per derived table (two search indexes, the people count) a
    # trigger dropped, its rows written, it restored (db.deferred.derived_deferred).
    with django_assert_max_num_queries(24) as small:
        run(alice, today, data=linkedin(20, start=5) + b"")
    with django_assert_max_num_queries(len(small.captured_queries)):
        run(alice, today, data=linkedin(400, start=100))
    assert Person.objects.filter(workspace=alice.workspace).count() == 425


def queries(actor, today, data, kind="linkedin"):
    with CaptureQueriesContext(connection) as captured:
        run(actor, today, kind, data)
    return len(captured.captured_queries)


def vcards(count: int, start: int = 0, title: str = "") -> bytes:
    people = [
        CardPerson(
            name=f"Card{i} Holder{i}", organization=f"Org {i % 3}", title=title,
            emails=[(f"card{i}@x.test", "work")], phones=[(f"+1 555 {i:04d}", "cell")],
            tags=["imported"],
        )
        for i in range(start, start + count)
    ]  # fmt: skip
    return write(people).encode()


def test_importing_10_or_100_rows_runs_the_same_queries_in_a_network_of_people(alice, today):
    run(alice, today, data=linkedin(50, start=1000))  # people to match against
    assert queries(alice, today, linkedin(10)) == queries(alice, today, linkedin(100, start=10))


def test_updating_10_or_100_people_runs_the_same_queries(alice, today):
    run(alice, today, data=linkedin(200))
    renamed = [
        linkedin(n, start=s).replace(b",Role ", b",New role ") for n, s in ((10, 0), (100, 50))
    ]
    with_emails = [data.replace(b"@x.test", b"@new.test") for data in renamed]
    assert queries(alice, today, with_emails[0]) == queries(alice, today, with_emails[1])
    assert (
        Channel.objects.filter(workspace=alice.workspace, value__endswith="@new.test").count()
        == 110
    )


def test_importing_10_or_100_vcards_runs_the_same_queries(alice, today):
    run(alice, today, "vcard", vcards(5, start=500))  # their organizations and tag exist now
    assert queries(alice, today, vcards(10), "vcard") == queries(
        alice, today, vcards(100, 10), "vcard"
    )
    again = [vcards(10, title="CTO"), vcards(100, 10, title="CTO")]  # updates: a blank title
    assert queries(alice, today, again[0], "vcard") == queries(alice, today, again[1], "vcard")
    assert Person.objects.filter(workspace=alice.workspace, title="CTO").count() == 110


def test_progress_is_reported_up_to_the_total(alice, today):
    seen = []
    run(alice, today, data=linkedin(30), progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (30, 30)


def test_vcard_round_trip_into_a_new_workspace_keeps_people_and_channels(
    network, alice, mallory, today
):
    exported = people_vcard(actor=alice)
    run(mallory, today, "vcard", exported.encode())

    def snapshot(actor):
        people = {
            p.name: (p.organization.name if p.organization else "", p.title)
            for p in Person.objects.filter(workspace=actor.workspace).select_related("organization")
        }
        channels = set(
            Channel.objects.filter(workspace=actor.workspace).values_list(
                "person__name", "kind", "normalized"
            )
        )
        return people, channels

    assert snapshot(mallory) == snapshot(alice)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=300), kind=st.sampled_from(["linkedin", "vcard", "google", "csv"]))
def test_arbitrary_bytes_either_import_or_fail_with_bad_input_writing_nothing(
    alice, today, data, kind
):
    before = counts(alice)
    try:
        run(alice, today, kind, data, strict=True)
    except BadInput:
        assert counts(alice) == before


def test_exported_vcard_note_title_and_organization_with_commas_import_whole(alice, mallory, today):
    note = "Met at the Lisbon summit, likes sailing, two kids\nasked for an intro, to Ana"
    add_person(
        actor=alice,
        data=PersonInput(
            name="Inês Costa",
            email="ines@maraz.test",
            organization="Mar Azul, Lda.",
            title="Head of Sales, Iberia",
            notes=note,
        ),
        today=today,
    )
    exported = people_vcard(actor=alice)
    assert "NOTE:Met at the Lisbon summit\\, likes" in exported  # the writer escapes commas
    assert run(mallory, today, "vcard", exported.encode()).created == 1
    ines = Person.objects.select_related("organization").get(workspace=mallory.workspace)
    assert (ines.notes, ines.title) == (note, "Head of Sales, Iberia")
    assert ines.organization.name == "Mar Azul, Lda."


def test_imported_people_are_found_by_any_part_of_their_name(alice, today):
    from goodwill.services.people import filter_people, search_matches

    run(alice, today, data=linkedin(30))
    matches = search_matches(actor=alice, search="rname1")  # Surname1, Surname10…19
    found = filter_people(actor=alice, matches=matches)
    assert sorted(p.name for p in found) == sorted(
        f"Person{i} Surname{i}" for i in [1, *range(10, 20)]
    )
