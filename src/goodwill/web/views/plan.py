"""Web views for the plan area (being built)."""

urlpatterns: list = []
