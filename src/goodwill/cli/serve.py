"""Serve the web app and API with waitress (a production WSGI server)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import typer

from .app import app, console

SQLITE_MMAP = 1 << 30  # up to 1 GiB of the file mapped (address space, not memory)
SWITCH_INTERVAL_S = 0.001


def _server_session(sender: object, connection: Any, **_: object) -> None:
    """Settings of the server's own database connections (see serve)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP}")
        elif connection.vendor == "postgresql":
            cursor.execute("SET max_parallel_workers_per_gather = 0")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1"),
    port: int = typer.Option(8000, min=1, max=65535),
    threads: int = typer.Option(8, min=1, max=64, help="Threads in each worker process."),
    workers: int = typer.Option(
        0,
        min=0,
        max=64,
        help="Worker processes (0: two a core, at most 8; above 1 needs fork, not Windows).",
    ),
) -> None:
    """Serve the web app and the API (waitress + whitenoise)."""
    import gc

    from goodwill.cli import SERVER_GC_THRESHOLD

    gc.set_threshold(*SERVER_GC_THRESHOLD)
    # A worker's threads take turns every millisecond, not every 5 (Python's default):
    # a request waiting for the GIL behind another one's page waits less. At 8 clients
    # at 100k people, the slowest p95 went 88.9 / 98.7 -> 85.8 / 85.6 ms on PostgreSQL
    # and 76.2 / 76.0 -> 71.9 / 65.0 on SQLite (alternating runs), with no fewer requests.
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    from django.conf import settings

    # Static files are served from the apps' folders (finders); an existing (empty)
    # collectstatic root keeps whitenoise from warning at every start.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    from django.db import connections
    from django.db.backends.signals import connection_created

    # The server's SQLite connections read through mmap: straight from the operating
    # system's cache of the file, shared by every thread and worker, instead of a
    # copy in each connection. (Mapped pages count in a process's RSS, so the
    # one-shot commands, whose peak memory is reported, read as usual.)
    # PostgreSQL runs each of the server's queries in one process: the server
    # answers many small requests at once, and parallel workers (started per query)
    # cost more than they save on them: a search at 100,000 people takes 8.7 ms
    # with two workers, 2.8 ms without. The one-shot commands keep them.
    connection_created.connect(_server_session)
    connections.close_all()
    from goodwill.services.errors import BadInput
    from goodwill.web.server import create, default_workers, listen, run_workers
    from goodwill.wsgi import application

    workers = workers or default_workers()
    if workers > 1 and not hasattr(os, "fork"):
        raise BadInput("--workers above 1 needs fork (not available on Windows): use 1")

    proxy: dict[str, str] = {}
    if os.environ.get("GOODWILL_BEHIND_PROXY") == "1":
        # waitress drops X-Forwarded-* headers unless they come from a trusted proxy.
        proxy = {
            "trusted_proxy": os.environ.get("GOODWILL_TRUSTED_PROXY", "127.0.0.1"),
            "trusted_proxy_headers": "x-forwarded-proto x-forwarded-host x-forwarded-for",
        }
    options = {"threads": threads, "ident": "goodwill", **proxy}
    where = f"goodwill on http://{host}:{port}/  (API: /api/v1/, Ctrl-C stops)"
    try:
        if workers == 1:
            server = create(application, host=host, port=port, **options)
        else:
            sockets = listen(host, port)
    except OSError as exc:
        raise BadInput(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    if workers == 1:
        console.print(where, soft_wrap=True)
        server.run()
    else:
        console.print(f"{where}, {workers} worker processes", soft_wrap=True)
        run_workers(application, workers=workers, sockets=sockets, **options)
