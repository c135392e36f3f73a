"""CLI commands for the demo area (being built)."""
