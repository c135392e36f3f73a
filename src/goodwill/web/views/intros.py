"""Web views for the intros area (being built)."""

urlpatterns: list = []
