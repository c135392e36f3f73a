"""Import (upload, preview of the mapping and first rows, then import), the
duplicates review page with merge buttons, and export downloads.

The uploaded file waits between preview and import in a private temporary
folder under a random token kept in the session, so the user uploads once.
"""

from __future__ import annotations

import secrets
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from goodwill.io import PARSERS
from goodwill.io.csvmap import FIELDS
from goodwill.services.duplicates import find_duplicates
from goodwill.services.errors import BadInput, NotFound
from goodwill.services.exporting import FORMATS, export
from goodwill.services.importing import import_file
from goodwill.services.merge import merge_by_ref

from ..context import web_today, with_actor

MAX_UPLOAD = int(getattr(settings, "DATA_UPLOAD_MAX_MEMORY_SIZE", 20 * 1024 * 1024))
UPLOADS = Path(tempfile.gettempdir()) / "goodwill-uploads"


def _actor(request: HttpRequest) -> Any:
    return request.actor  # type: ignore[attr-defined]


def _require_write(request: HttpRequest) -> None:
    if not _actor(request).can_write:
        raise PermissionDenied("viewers cannot change anything in this workspace")


def _stash(request: HttpRequest, data: bytes, name: str, kind: str, mapping: list[str]) -> None:
    UPLOADS.mkdir(mode=0o700, parents=True, exist_ok=True)
    token = secrets.token_urlsafe(16)
    (UPLOADS / token).write_bytes(data)
    old = request.session.get("io_upload")
    if old:
        (UPLOADS / old["token"]).unlink(missing_ok=True)
    request.session["io_upload"] = {
        "token": token, "name": name, "kind": kind, "map": mapping,
        "workspace": _actor(request).workspace.pk,
    }  # fmt: skip


def _stashed(request: HttpRequest) -> tuple[bytes, dict[str, Any]] | None:
    info = request.session.get("io_upload")
    if not info or info.get("workspace") != _actor(request).workspace.pk:
        return None
    file = UPLOADS / str(info["token"])
    return (file.read_bytes(), info) if file.is_file() else None


def _form(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {
        "kinds": list(PARSERS),
        "fields": FIELDS,
        "max_mb": MAX_UPLOAD // (1024 * 1024),
        "errors": {},
        **extra,
    }


@with_actor
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    """GET: the upload form. POST action=preview: parse and dry-run the upload;
    POST action=import: import the previewed file (or a fresh upload)."""
    if request.method == "GET":
        return render(request, "goodwill/import.html", _form(request))
    action = request.POST.get("action", "preview")
    if action == "import":
        _require_write(request)
    kind = request.POST.get("kind", "")
    mapping = [line.strip() for line in request.POST.get("map", "").splitlines() if line.strip()]
    upload = request.FILES.get("file")
    errors: dict[str, str] = {}
    if upload is not None:
        if upload.size is not None and upload.size > MAX_UPLOAD:
            errors["file"] = f"the file is larger than {MAX_UPLOAD // (1024 * 1024)} MB"
        else:
            data = upload.read()
            _stash(request, data, upload.name or "upload", kind, mapping)
    stashed = _stashed(request)
    if stashed is None and not errors:
        errors["file"] = "choose a file to import"
    if errors:
        return render(
            request, "goodwill/import.html", _form(request, errors=errors, kind=kind), status=400
        )
    assert stashed is not None
    data, info = stashed
    kind = kind or info["kind"]
    mapping = mapping or list(info.get("map") or [])
    try:
        result = import_file(
            actor=_actor(request), today=web_today(), kind=kind, data=data, mapping=mapping,
            dry_run=action != "import", strict=request.POST.get("strict") == "on",
            merge=request.POST.get("merge") == "on",
        )  # fmt: skip
    except BadInput as exc:
        field = "kind" if exc.field == "kind" else "file"
        ctx = _form(request, errors={field: exc.message}, kind=kind, filename=info["name"])
        return render(request, "goodwill/import.html", ctx, status=400)
    if action == "import":
        (UPLOADS / str(info["token"])).unlink(missing_ok=True)
        request.session.pop("io_upload", None)
    ctx = _form(
        request, result=result, kind=kind, filename=info["name"], map_text="\n".join(mapping)
    )
    template = (
        "goodwill/partials/io_result.html"
        if request.headers.get("HX-Request")
        else "goodwill/import.html"
    )
    return render(request, template, ctx)


@with_actor
@require_GET
def duplicates_page(request: HttpRequest) -> HttpResponse:
    pairs = find_duplicates(actor=_actor(request), limit=300)
    return render(
        request,
        "goodwill/duplicates.html",
        {"pairs": pairs, "can_write": _actor(request).can_write},
    )


@with_actor
@require_POST
def merge_view(request: HttpRequest) -> HttpResponse:
    """Merge the posted ``drop`` person into ``keep``; htmx gets the row's new text."""
    _require_write(request)
    try:
        kept, dropped = merge_by_ref(
            actor=_actor(request),
            keep=request.POST.get("keep", ""),
            drop=request.POST.get("drop", ""),
        )
    except NotFound as exc:
        raise Http404(exc.message) from None
    except BadInput as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
    if request.headers.get("HX-Request"):
        return render(
            request, "goodwill/partials/io_merged.html", {"kept": kept, "dropped": dropped}
        )
    return redirect("duplicates")


@with_actor
@require_GET
def export_view(request: HttpRequest, format: str) -> HttpResponse:
    try:
        body = export(actor=_actor(request), today=web_today(), format=format)
    except NotFound as exc:
        raise Http404(exc.message) from None
    response = HttpResponse(body.content, content_type=body.content_type)
    response["Content-Disposition"] = f'attachment; filename="{body.filename}"'
    return response


urlpatterns = [
    path("import/", import_page, name="import"),
    path("duplicates/", duplicates_page, name="duplicates"),
    path("duplicates/merge/", merge_view, name="merge"),
    path("export/<str:format>/", export_view, name="export"),
]

__all__ = ["FORMATS", "urlpatterns"]
