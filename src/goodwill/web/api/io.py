"""API routes for the io area (being built)."""

from ninja import Router

router = Router(tags=["io"])
