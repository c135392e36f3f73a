"""Django views, templates (htmx) and the REST API (django-ninja)."""
