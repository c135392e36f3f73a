"""API routes for the funnel area (being built)."""

from ninja import Router

router = Router(tags=["funnel"])
