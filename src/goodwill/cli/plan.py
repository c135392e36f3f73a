"""CLI commands for the plan area (being built)."""
