"""Web routes. Each area keeps its views in web/views/<area>.py with its own urlpatterns."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from .api import api

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="goodwill/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/v1/", api.urls),
    path("", include("goodwill.web.views.people")),
    path("", include("goodwill.web.views.plan")),
    path("", include("goodwill.web.views.value")),
    path("", include("goodwill.web.views.intros")),
    path("", include("goodwill.web.views.funnel")),
    path("", include("goodwill.web.views.io")),
    path("", include("goodwill.web.views.team")),
]
