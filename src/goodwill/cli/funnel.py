"""CLI commands for the funnel area (being built)."""
