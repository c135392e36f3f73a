"""Web views for the funnel area (being built)."""

urlpatterns: list = []
