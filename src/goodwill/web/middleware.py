"""Request logging and the upload size limit.

``RequestLogMiddleware`` writes one JSON line per request on the logger
``goodwill.requests`` (method, path, status, duration_ms, user), so a team
server's logs can be searched and counted without parsing prose.

``MaxBodySizeMiddleware`` refuses a request whose declared body is larger than
``DATA_UPLOAD_MAX_MEMORY_SIZE`` (default 20 MB, env ``GOODWILL_MAX_UPLOAD`` in
bytes) with 413 and a clear message, before anything reads the body.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable

from django.conf import settings
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


class MaxBodySizeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit is not None and length > limit:
            message = (
                f"the upload is too large: {_megabytes(length)}, the limit is {_megabytes(limit)}"
            )
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=413)
            return HttpResponse(message + "\n", status=413, content_type="text/plain")
        return self.get_response(request)


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
