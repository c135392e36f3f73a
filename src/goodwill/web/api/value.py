"""API routes for the value area (being built)."""

from ninja import Router

router = Router(tags=["value"])
