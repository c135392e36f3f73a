"""API routes for the team area (being built)."""

from ninja import Router

router = Router(tags=["team"])
