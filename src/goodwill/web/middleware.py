"""Request logging and the upload size limit.

``RequestLogMiddleware`` writes one JSON line per request on the logger
``goodwill.requests`` (method, path, status, duration_ms, user), so a team
server's logs can be searched and counted without parsing prose.

``MaxBodySizeMiddleware`` refuses a request whose body is larger than
``DATA_UPLOAD_MAX_MEMORY_SIZE`` (default 20 MB, env ``GOODWILL_MAX_UPLOAD`` in
bytes) with 413 and a clear message: by its Content-Length before anything reads
it, and a chunked body of unknown length while reading it, stopping at the limit.
(waitress, behind ``goodwill serve``, stops reading a chunked body itself, see
goodwill.web.server, and hands Django a Content-Length.)

``NulCharacterMiddleware`` refuses text with a NUL character (in the path, the
query, form fields or a JSON body) with 400: PostgreSQL cannot store or even
compare it, so it would otherwise be a 500 there and stored on SQLite.
"""

from __future__ import annotations

import json
import logging
import tempfile
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import LimitedStream
from django.http import HttpRequest, HttpResponse, JsonResponse

log = logging.getLogger("goodwill.requests")


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        start = time.perf_counter()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        log.info(
            json.dumps(
                {
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - start) * 1000, 1),
                    "user": user.pk if user is not None and user.is_authenticated else None,
                }
            )
        )
        return response


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB"


def too_large_message(size: int | None, limit: int) -> str:
    """The 413 message; ``size`` is None when the body's length is not known."""
    told = _megabytes(size) if size is not None else f"more than {_megabytes(limit)}"
    return f"the upload is too large: {told}, the limit is {_megabytes(limit)}"


def refuse(request: HttpRequest, status: int, message: str) -> HttpResponse:
    """A one-line refusal: ``{"detail": ...}`` under /api/, plain text elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    return HttpResponse(message + "\n", status=status, content_type="text/plain")


CHUNK = 64 * 1024


def _read_capped(stream: Any, limit: int) -> Any | None:
    """The whole body of ``stream`` in a spooled file, or None past ``limit`` bytes
    (having read at most one chunk more than the limit)."""
    body = tempfile.SpooledTemporaryFile(max_size=1024 * 1024)  # noqa: SIM115  (returned open)
    size = 0
    while chunk := stream.read(CHUNK):
        size += len(chunk)
        if size > limit:
            body.close()
            return None
        body.write(chunk)
    body.seek(0)
    return body


class MaxBodySizeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is None:
            return self.get_response(request)
        meta = request.META
        try:
            length = int(meta.get("CONTENT_LENGTH") or -1)
        except ValueError:
            length = -1
        if length > limit:
            return refuse(request, 413, too_large_message(length, limit))
        chunked = "chunked" in meta.get("HTTP_TRANSFER_ENCODING", "").lower()
        if length < 0 and chunked:
            # Django reads only Content-Length bytes (none here). A server that ends
            # the stream at the body's end says so; then read it here, up to the limit.
            if not meta.get("wsgi.input_terminated"):
                return refuse(request, 411, "send the upload with a Content-Length header")
            body = _read_capped(meta["wsgi.input"], limit)
            if body is None:
                return refuse(request, 413, too_large_message(None, limit))
            size = body.seek(0, 2)
            body.seek(0)
            meta["CONTENT_LENGTH"] = str(size)
            request._stream = LimitedStream(body, size)  # type: ignore[attr-defined]
            try:
                return self.get_response(request)
            finally:
                body.close()
        return self.get_response(request)


NUL = "\x00"
NUL_MESSAGE = "text may not contain NUL characters (\\x00)"
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


class NulCharacterMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._carries_nul(request):
            return refuse(request, 400, NUL_MESSAGE)
        return self.get_response(request)

    @staticmethod
    def _carries_nul(request: HttpRequest) -> bool:
        if NUL in request.path or _has_nul(list(request.GET.lists())):
            return True
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return False
        if request.content_type in FORMS:
            return _has_nul(list(request.POST.lists()))  # uploaded files are data, not text
        if b"\\u0000" in request.body:  # the API reads any other body as JSON
            try:
                return _has_nul(json.loads(request.body))
            except ValueError:
                return False  # not JSON: the view says so
        return False


class UserErrorMiddleware:
    """A safety net: a BadInput (NotFound, Forbidden, …) a page view let escape answers
    its 4xx status with its one-line message instead of a 500. Views should still
    catch it and show the message next to the field; this only stops the 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        from goodwill.services.errors import BadInput  # noqa: PLC0415

        if not isinstance(exc, BadInput):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": exc.message}, status=exc.status)
        return HttpResponse(exc.message + "\n", status=exc.status, content_type="text/plain")
