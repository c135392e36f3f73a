"""Serve the web app and API with waitress (a production WSGI server)."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from .app import app, console


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1"),
    port: int = typer.Option(8000, min=1, max=65535),
    threads: int = typer.Option(8, min=1, max=64),
) -> None:
    """Serve the web app and the API (waitress + whitenoise)."""
    import gc

    from goodwill.cli import DEFAULT_GC_THRESHOLD

    gc.set_threshold(*DEFAULT_GC_THRESHOLD)  # a long-running server collects as usual
    from django.conf import settings

    # Static files are served from the apps' folders (finders); an existing (empty)
    # collectstatic root keeps whitenoise from warning at every start.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    from goodwill.web.server import create
    from goodwill.wsgi import application

    proxy: dict[str, str] = {}
    if os.environ.get("GOODWILL_BEHIND_PROXY") == "1":
        # waitress drops X-Forwarded-* headers unless they come from a trusted proxy.
        proxy = {
            "trusted_proxy": os.environ.get("GOODWILL_TRUSTED_PROXY", "127.0.0.1"),
            "trusted_proxy_headers": "x-forwarded-proto x-forwarded-host x-forwarded-for",
        }
    server = create(application, host=host, port=port, threads=threads, ident="goodwill", **proxy)
    console.print(f"goodwill on http://{host}:{port}/  (API: /api/v1/, Ctrl-C stops)")
    server.run()
