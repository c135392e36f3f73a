"""Web views for the io area (being built)."""

urlpatterns: list = []
