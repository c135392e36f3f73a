"""API routes for the intros area (being built)."""

from ninja import Router

router = Router(tags=["intros"])
