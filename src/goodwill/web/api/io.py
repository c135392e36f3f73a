"""API: import a file, export, duplicates and merge. Same services and JSON
shapes as the CLI (``goodwill import … --json`` and friends)."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Query, Router, Schema
from ninja.files import UploadedFile

from goodwill.services.duplicates import find_duplicates
from goodwill.services.errors import BadInput
from goodwill.services.exporting import export
from goodwill.services.importing import import_file
from goodwill.services.merge import merge_by_ref

from ..context import web_today
from ..views.io import MAX_UPLOAD

router = Router(tags=["io"])


def _actor(request: HttpRequest) -> Any:
    return request.actor  # type: ignore[attr-defined]


class ImportOptions(Schema):
    dry_run: bool = False
    strict: bool = False
    merge: bool = False
    map: list[str] = []


class MergeIn(Schema):
    keep: int
    drop: int


@router.post("/import/{kind}", summary="Import a file (multipart field 'file')")
def import_route(
    request: HttpRequest,
    kind: str,
    file: UploadedFile = File(...),
    options: ImportOptions = Query(...),
) -> dict[str, Any]:
    if file.size is not None and file.size > MAX_UPLOAD:
        raise BadInput(f"the file is larger than {MAX_UPLOAD // (1024 * 1024)} MB", field="file")
    result = import_file(
        actor=_actor(request), today=web_today(), kind=kind, data=file.read(), mapping=options.map,
        dry_run=options.dry_run, strict=options.strict, merge=options.merge,
    )  # fmt: skip
    body = dataclasses.asdict(result)
    if not options.dry_run:
        body.pop("preview")
    return body


_FILES = {
    "responses": {
        "200": {
            "description": "the export file",
            "content": {
                t: {} for t in ("application/json", "text/csv", "text/vcard", "text/calendar")
            },
        }
    }
}


@router.get(
    "/export/{format}",
    summary="Download an export: json, csv, vcard, ics or deals",
    openapi_extra=_FILES,
)
def export_route(request: HttpRequest, format: str) -> HttpResponse:
    body = export(actor=_actor(request), today=web_today(), format=format)
    response = HttpResponse(body.content, content_type=body.content_type)
    response["Content-Disposition"] = f'attachment; filename="{body.filename}"'
    return response


@router.get("/duplicates", summary="Pairs of people who are probably one person")
def duplicates_route(request: HttpRequest, limit: int = 200) -> list[dict[str, Any]]:
    return [
        dataclasses.asdict(p)
        for p in find_duplicates(actor=_actor(request), limit=max(1, min(limit, 5000)))
    ]


@router.post("/merge", summary="Merge person 'drop' into 'keep'")
def merge_route(request: HttpRequest, payload: MergeIn) -> dict[str, Any]:
    kept, dropped = merge_by_ref(actor=_actor(request), keep=payload.keep, drop=payload.drop)
    return {"id": kept.pk, "merged": dropped}
