"""Hostile requests: oversized uploads (by Content-Length and chunked, through
Django and through the real waitress server) and NUL characters in text."""

from __future__ import annotations

import io
import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from goodwill.db.models import Introduction, Person
from goodwill.web.middleware import CHUNK
from goodwill.web.server import FRAMING, create
from goodwill.wsgi import application

from .conftest import bearer, csrf_headers, login

LIMIT = 256 * 1024
CSV = (Path(__file__).parent.parent / "io" / "fixtures" / "Connections.csv").read_bytes()


@pytest.fixture
def limit(settings: Any) -> int:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = LIMIT
    return LIMIT


class _Counting(io.RawIOBase):
    """A request body of ``size`` bytes that counts what was read of it."""

    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        end = len(self.data) if n is None or n < 0 else min(len(self.data), self.pos + n)
        out, self.pos = self.data[self.pos : end], end
        return out


def _chunked(client: Client, path: str, body: bytes, terminated: bool = True, **extra: Any):
    """POST ``body`` as a server passes a chunked upload on: no Content-Length, and
    (gunicorn and others) wsgi.input_terminated."""
    stream = _Counting(body)
    environ = {"wsgi.input": stream, "HTTP_TRANSFER_ENCODING": "chunked", **extra}
    if terminated:
        environ["wsgi.input_terminated"] = True
    return client.generic("POST", path, b"", **environ), stream


# --- Django: Content-Length and chunked bodies --------------------------------


def test_a_chunked_upload_over_the_limit_is_refused_while_reading_it(alice, limit):
    body = b"x" * (4 * limit)
    r, stream = _chunked(
        Client(), "/api/v1/import/linkedin?dry_run=false", body,
        CONTENT_TYPE=MULTIPART_CONTENT, **bearer(alice),
    )  # fmt: skip
    assert r.status_code == 413
    assert r.json() == {
        "detail": "the upload is too large: more than 0.25 MB, the limit is 0.25 MB"
    }
    assert stream.pos <= limit + CHUNK  # it stopped reading at the limit
    page, _ = _chunked(login(alice), "/import/", body, CONTENT_TYPE=MULTIPART_CONTENT)
    assert page.status_code == 413 and b"the limit is 0.25 MB" in page.content
    assert not Person.objects.exists()


def test_a_chunked_upload_under_the_limit_is_read_whole_and_imported(alice, limit):
    form = encode_multipart(BOUNDARY, {"file": io.BytesIO(CSV)})
    assert len(form) < limit
    r, stream = _chunked(
        Client(), "/api/v1/import/linkedin?dry_run=false", form,
        CONTENT_TYPE=MULTIPART_CONTENT, **bearer(alice),
    )  # fmt: skip
    assert r.status_code == 200, r.content
    assert r.json()["created"] == 4 and stream.pos == len(form)
    assert Person.objects.filter(workspace=alice.workspace).count() == 4


def test_a_chunked_upload_the_server_does_not_end_is_asked_for_a_length(alice, limit):
    r, stream = _chunked(
        Client(), "/api/v1/import/linkedin", b"x" * 10, terminated=False,
        CONTENT_TYPE=MULTIPART_CONTENT, **bearer(alice),
    )  # fmt: skip
    assert r.status_code == 411 and "Content-Length" in r.json()["detail"]
    assert stream.pos == 0


def test_a_declared_length_over_the_limit_is_refused_before_reading(alice, limit):
    r, stream = _chunked(
        Client(), "/api/v1/tokens", b"x" * (limit + 1), CONTENT_LENGTH=str(limit + 1),
        CONTENT_TYPE="application/json", **bearer(alice),
    )  # fmt: skip
    assert r.status_code == 413 and r.json()["detail"].startswith("the upload is too large")
    assert stream.pos == 0


# --- waitress, as `goodwill serve` runs it -------------------------------------


@contextmanager
def _serving(app: Any) -> Iterator[int]:
    server = create(app, host="127.0.0.1", port=0, threads=2, ident="goodwill")
    stop = threading.Event()

    def run() -> None:  # server.run(), but one that can be told to stop between polls
        while not stop.is_set():
            server.asyncore.loop(timeout=0.05, map=server._map, count=1)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield server.effective_port
    finally:
        stop.set()
        thread.join(timeout=10)
        for channel in list(server._map.values()):  # the server and what is left open
            channel.close()
        server.task_dispatcher.shutdown()


def _exchange(port: int, head: bytes, body: Iterator[bytes] = iter(())) -> tuple[int, bytes]:
    """Send ``head`` and ``body``, then read the answer: (status, body)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=20)
    try:
        sock.sendall(head)
        for part in body:
            sock.sendall(part)
        data = b""
        while part := sock.recv(65536):
            data += part
    finally:
        sock.close()
    head_part, _, content = data.partition(b"\r\n\r\n")
    if b"transfer-encoding: chunked" in head_part.lower():
        content = _dechunk(content)
    return int(head_part.split()[1]), content


def _dechunk(data: bytes) -> bytes:
    out = b""
    while True:
        size_line, _, data = data.partition(b"\r\n")
        size = int(size_line, 16)
        if not size:
            return out
        out, data = out + data[:size], data[size + 2 :]


def _request(path: str, **headers: str) -> bytes:
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    lines += [f"{k.replace('_', '-')}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _frame(size: int) -> bytes:
    return b"%x\r\n" % size + b"x" * size + b"\r\n"


def _frames(payload: int, size: int = 64 * 1024) -> Iterator[bytes]:
    """A chunked body carrying ``payload`` bytes, with its end."""
    for _ in range(payload // size):
        yield _frame(size)
    if payload % size:
        yield _frame(payload % size)
    yield b"0\r\n\r\n"


def _unending(raw: int, size: int = 64 * 1024) -> Iterator[bytes]:
    """Chunk frames of exactly ``raw`` bytes on the wire, and never the end.

    Exactly: a server that stops reading part-way through what was sent would
    close with unread data, and the connection reset could swallow its answer."""
    while raw > 2 * len(_frame(size)):
        raw -= len(_frame(size))
        yield _frame(size)
    last = next(n for n in range(raw, 0, -1) if len(_frame(n)) == raw)
    yield _frame(last)


def _echo(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = json.dumps({"length": length, "read": len(environ["wsgi.input"].read(length))})
    start_response("200 OK", [("Content-Type", "application/json")])
    return [body.encode()]


def test_waitress_refuses_a_declared_length_over_the_limit_without_reading_it(limit):
    with _serving(application) as port:
        status, body = _exchange(
            port, _request("/api/v1/import/linkedin", Content_Length=str(50 * 1024 * 1024))
        )
    assert status == 413
    assert json.loads(body) == {"detail": "the upload is too large: 50 MB, the limit is 0.25 MB"}


def test_waitress_stops_reading_an_endless_chunked_upload_at_the_limit(limit):
    # The body never ends: only stopping at the limit (plus framing) gets an answer.
    with _serving(application) as port:
        status, body = _exchange(
            port, _request("/import/", Transfer_Encoding="chunked"), _unending(limit + FRAMING)
        )
    assert status == 413
    assert body.decode() == "the upload is too large: more than 0.25 MB, the limit is 0.25 MB\n"


def test_waitress_hands_a_chunked_upload_under_the_limit_on_with_its_length(limit):
    size = limit - 1000
    with _serving(_echo) as port:
        status, body = _exchange(port, _request("/", Transfer_Encoding="chunked"), _frames(size))
    assert status == 200 and json.loads(body) == {"length": size, "read": size}


def test_a_length_just_over_the_limit_gets_past_waitress_and_is_refused_by_goodwill(limit):
    size = limit + 1024
    with _serving(application) as port:
        status, body = _exchange(
            port, _request("/import/", Content_Length=str(size)), iter([b"x" * size])
        )
    assert status == 413 and body.startswith(b"the upload is too large: 0.25")


# --- NUL characters --------------------------------------------------------------

NUL_DETAIL = {"detail": "text may not contain NUL characters (\\x00)"}


def test_nul_in_api_json_is_refused_and_nothing_is_written(alice, network):
    r = Client().post(
        "/api/v1/introductions",
        json.dumps({"a": network.carol.pk, "b": network.paul.pk, "reason": "books\x00"}),
        content_type="application/json",
        **bearer(alice),
    )
    assert r.status_code == 400 and r.json() == NUL_DETAIL
    assert not Introduction.objects.exists()


def test_nul_in_a_query_or_a_form_field_is_refused(alice, network):
    c = login(alice)
    assert Client().get("/api/v1/people?search=a%00b", **bearer(alice)).json() == NUL_DETAIL
    page = c.get("/people/?q=%00")
    assert page.status_code == 400 and b"NUL" in page.content
    form = c.post(
        "/intros/accept/", {"a": network.carol.pk, "b": network.paul.pk, "reason": "x\x00"}
    )
    assert form.status_code == 400 and b"NUL" in form.content
    api = c.patch(
        f"/api/v1/people/{network.carol.pk}",
        json.dumps({"notes": "\x00"}),
        content_type="text/plain",  # the API reads any body as JSON
        **csrf_headers(c),
    )
    assert api.status_code == 400
    network.carol.refresh_from_db()
    assert "\x00" not in network.carol.notes and not Introduction.objects.exists()


def test_an_uploaded_file_may_hold_nul_bytes_it_is_data_not_text(alice):
    utf16 = CSV.decode().encode("utf-16")  # every ASCII letter comes with a NUL byte
    assert b"\x00" in utf16
    r = Client().post(
        "/api/v1/import/linkedin?dry_run=false",
        {"file": SimpleUploadedFile("Connections.csv", utf16, content_type="text/csv")},
        **bearer(alice),
    )
    assert r.status_code == 200, r.content
    assert r.json()["created"] == 4
