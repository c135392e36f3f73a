"""Web views for the team area (being built)."""

urlpatterns: list = []
