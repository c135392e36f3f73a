"""API routes for the plan area (being built)."""

from ninja import Router

router = Router(tags=["plan"])
