"""waitress, as ``goodwill serve`` runs it: the upload limit enforced while reading.

waitress reads a whole request body (into memory or a temporary file) before the
app sees it, and turns a chunked body into one with a Content-Length. By default
it would read up to 1 GB; here it stops at the limit (plus room for chunk
framing) and answers 413 with goodwill's message, so an endless chunked upload
costs at most that much. A Content-Length over the limit is refused before the
body is read, by waitress or by goodwill.web.middleware.MaxBodySizeMiddleware.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import BaseWSGIServer, create_server
from waitress.utilities import RequestEntityTooLarge

from .middleware import too_large_message

# Chunk-size lines and trailers count against waitress's limit; allow for them.
FRAMING = 1024 * 1024


class _TooLarge(RequestEntityTooLarge):
    def __init__(self, size: int | None, limit: int, api: bool) -> None:
        super().__init__(too_large_message(size, limit))
        self.api = api

    def to_response(self, ident: str | None = None) -> tuple[str, list[tuple[str, str]], bytes]:
        if self.api:
            body = json.dumps({"detail": self.body}).encode()
            return f"{self.code} {self.reason}", [("Content-Type", "application/json")], body
        body = (self.body + "\n").encode()
        return f"{self.code} {self.reason}", [("Content-Type", "text/plain; charset=utf-8")], body


class _Parser(HTTPRequestParser):
    def received(self, data: bytes) -> int:
        consumed: int = super().received(data)
        if type(self.error) is RequestEntityTooLarge:
            declared = self.content_length if not self.chunked else None
            api = str(getattr(self, "path", "")).startswith("/api/")
            self.error = _TooLarge(declared, settings.DATA_UPLOAD_MAX_MEMORY_SIZE, api)
        return consumed


class _Channel(HTTPChannel):
    parser_class = _Parser


def create(application: Any, **options: Any) -> Any:
    """A waitress server for ``application`` (not started; call ``.run()``).

    ``options`` are waitress's (host, port, threads, trusted_proxy, ...)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is not None:
        options.setdefault("max_request_body_size", limit + FRAMING)
    sockets: dict[int, Any] = {}
    server = create_server(application, map=sockets, **options)
    for listener in list(sockets.values()):  # one per address it listens on
        if isinstance(listener, BaseWSGIServer):
            listener.channel_class = _Channel
    return server
