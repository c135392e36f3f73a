"""CLI commands for the team area (being built)."""
