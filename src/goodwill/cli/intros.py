"""CLI commands for the intros area (being built)."""
