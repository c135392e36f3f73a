"""The app's URLs plus a minimal handler: the limit for pages, served by the
same Django stack (middleware, session, login) but doing no work."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path

from goodwill.urls import urlpatterns as app_urlpatterns


@login_required
def minimal(request: HttpRequest) -> HttpResponse:
    return HttpResponse("<!doctype html><title>ok</title><p>ok</p>")


urlpatterns = [path("bench/minimal/", minimal), *app_urlpatterns]
