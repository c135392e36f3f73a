"""Dashboard placeholder, people list, person page, quick log."""

urlpatterns: list = []
