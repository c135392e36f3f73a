"""API: people and interactions (list, get, create, update, delete)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["people"])
