from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from vigia.api.api import api
from vigia.web.urls import portal_patterns

urlpatterns = [
    path("admin/", admin.site.urls),
    path("cuentas/ingresar/", login_not_required(auth_views.LoginView.as_view(redirect_authenticated_user=True)), name="login"),
    path("cuentas/salir/", auth_views.LogoutView.as_view(), name="logout"),
    path("transparencia/", include((portal_patterns, "portal"))),
    path("api/", api.urls),
    path("", include("vigia.reporting.urls")),
    path("", include("vigia.web.urls")),
]
