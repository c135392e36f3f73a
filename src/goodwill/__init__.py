"""goodwill: a relationship-building system."""

__version__ = "0.1.0"
