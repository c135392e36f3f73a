"""CLI commands for the value area (being built)."""
