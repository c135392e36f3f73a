"""Import page (preview then import), duplicates review with merge, exports, and the io API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from goodwill.db.models import Person
from goodwill.services.people import PersonInput, add_person
from goodwill.services.team import create_token

FIXTURES = Path(__file__).parent.parent / "io" / "fixtures"


def client_for(actor) -> Client:
    c = Client()
    c.force_login(actor.user, backend="goodwill.services.accounts.UserBackend")
    session = c.session
    session["workspace_id"] = actor.workspace.pk
    session.save()
    return c


def bearer(actor, scope="write") -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {create_token(actor=actor, scope=scope).raw}"}


def upload(name="Connections.csv"):
    return SimpleUploadedFile(name, (FIXTURES / name).read_bytes(), content_type="text/csv")


def people(actor):
    return Person.objects.filter(workspace=actor.workspace)


def test_preview_shows_the_mapping_and_first_rows_and_writes_nothing(alice):
    c = client_for(alice)
    page = c.post("/import/", {"kind": "linkedin", "file": upload(), "action": "preview"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Column mapping" in text and "Ada Lovelace" in text and "would import" in text
    assert "line" in text and "bad email" in text
    assert not people(alice).exists()
    assert "style=" not in text


def test_import_after_preview_uses_the_same_upload_and_lists_per_line_errors(alice):
    c = client_for(alice)
    c.post("/import/", {"kind": "linkedin", "file": upload(), "action": "preview"})
    page = c.post("/import/", {"kind": "linkedin", "action": "import"}, HTTP_HX_REQUEST="true")
    text = page.content.decode()
    assert page.status_code == 200 and "4 created" in text and "31 Foo 2020" in text
    assert people(alice).count() == 4


def test_an_unreadable_upload_shows_the_error_next_to_the_file_field(alice):
    c = client_for(alice)
    bad = SimpleUploadedFile("x.csv", b"\x00\x01\x02" * 50)
    page = c.post("/import/", {"kind": "csv", "file": bad, "action": "preview"})
    assert page.status_code == 400 and "binary" in page.content.decode()


def test_viewers_cannot_import(vera):
    c = client_for(vera)
    assert c.get("/import/").status_code == 200
    assert (
        c.post("/import/", {"kind": "linkedin", "file": upload(), "action": "import"}).status_code
        == 403
    )
    assert not people(vera).exists()


def test_the_duplicates_page_lists_pairs_and_merges_with_htmx(alice, today):
    a = add_person(actor=alice, data=PersonInput(name="Jane Doe", email="jane@x.test"), today=today)
    b = add_person(
        actor=alice, data=PersonInput(name="J. Doe", emails=["JANE@x.test"]), today=today
    )
    c = client_for(alice)
    page = c.get("/duplicates/").content.decode()
    assert "Jane Doe" in page and "same email jane@x.test" in page
    merged = c.post("/duplicates/merge/", {"keep": a.pk, "drop": b.pk}, HTTP_HX_REQUEST="true")
    assert merged.status_code == 200 and "Merged" in merged.content.decode()
    assert list(people(alice).values_list("id", flat=True)) == [a.pk]


def test_merging_someone_of_another_workspace_is_not_found(alice, mallory, today):
    mine = add_person(actor=alice, data=PersonInput(name="Mine"), today=today)
    theirs = add_person(actor=mallory, data=PersonInput(name="Theirs"), today=today)
    page = client_for(alice).post("/duplicates/merge/", {"keep": mine.pk, "drop": theirs.pk})
    assert page.status_code == 404
    assert Person.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize(
    ("fmt", "marker"), [("csv", "id,name,email"), ("vcard", "BEGIN:VCARD"), ("json", '"format"')]
)
def test_exports_download_as_attachments(alice, network, fmt, marker):
    response = client_for(alice).get(f"/export/{fmt}/")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert marker in response.content.decode()


def test_an_unknown_export_format_is_404(alice):
    assert client_for(alice).get("/export/xlsx/").status_code == 404


def test_api_import_returns_the_contract_shape(alice):
    response = Client().post(
        "/api/v1/import/linkedin?dry_run=false", {"file": upload()}, **bearer(alice)
    )
    body = response.json()
    assert response.status_code == 200, body
    assert {"created", "updated", "merged", "skipped", "errors"} <= set(body)
    assert body["created"] == 4 and body["errors"][0] == {
        "line": 10,
        "message": "bad email 'not-an-email'",
    }


def test_api_import_of_a_bad_file_is_a_4xx_with_detail(alice):
    bad = SimpleUploadedFile("x.vcf", b"hello")
    response = Client().post("/api/v1/import/vcard", {"file": bad}, **bearer(alice))
    assert response.status_code == 400 and "vCard" in response.json()["detail"]


def test_api_read_token_cannot_import(alice):
    response = Client().post("/api/v1/import/linkedin", {"file": upload()}, **bearer(alice, "read"))
    assert response.status_code == 401
    assert not people(alice).exists()


def test_api_duplicates_and_merge(alice, today):
    a = add_person(actor=alice, data=PersonInput(name="Jane Doe", email="jane@x.test"), today=today)
    b = add_person(actor=alice, data=PersonInput(name="Jane Doe", email="jane@x.test"), today=today)
    pairs = Client().get("/api/v1/duplicates", **bearer(alice)).json()
    assert [(p["a"]["id"], p["b"]["id"]) for p in pairs] == [(a.pk, b.pk)]
    merged = Client().post(
        "/api/v1/merge",
        json.dumps({"keep": a.pk, "drop": b.pk}),
        content_type="application/json",
        **bearer(alice),
    )
    assert merged.json() == {"id": a.pk, "merged": b.pk}


def test_api_export_json_is_versioned(alice, network):
    body = Client().get("/api/v1/export/json", **bearer(alice)).json()
    assert body["format"] == "goodwill" and body["version"] == 1
    assert len(body["tables"]["person"]) == 7
