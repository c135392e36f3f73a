"""Web views for the value area (being built)."""

urlpatterns: list = []
