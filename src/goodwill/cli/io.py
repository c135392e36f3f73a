"""CLI commands for the io area (being built)."""
