from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, reverse_lazy

from vigia.api.api import api
from vigia.web.urls import portal_patterns

handler400 = "vigia.web.errors.bad_request"
handler403 = "vigia.web.errors.permission_denied"
handler404 = "vigia.web.errors.page_not_found"
handler500 = "vigia.web.errors.server_error"


def _open(view):
    return login_not_required(view)


# Password change (every user) and reset by email, in the site's layout: Django's auth views with
# Vigía's templates (the admin's registration/ templates would otherwise be picked).
accounts = [
    path("clave/", auth_views.PasswordChangeView.as_view(
        template_name="registration/vigia_password_change.html", success_url=reverse_lazy("password_change_done")),
        name="password_change"),
    path("clave/cambiada/", auth_views.PasswordChangeDoneView.as_view(template_name="registration/vigia_password_changed.html"),
         name="password_change_done"),
    path("recuperar/", _open(auth_views.PasswordResetView.as_view(
        template_name="registration/vigia_password_reset.html", email_template_name="registration/vigia_password_reset_email.txt",
        subject_template_name="registration/vigia_password_reset_subject.txt", success_url=reverse_lazy("password_reset_done"))),
        name="password_reset"),
    path("recuperar/enviado/", _open(auth_views.PasswordResetDoneView.as_view(template_name="registration/vigia_password_reset_sent.html")),
         name="password_reset_done"),
    path("recuperar/<uidb64>/<token>/", _open(auth_views.PasswordResetConfirmView.as_view(
        template_name="registration/vigia_password_reset_confirm.html", success_url=reverse_lazy("password_reset_complete"))),
        name="password_reset_confirm"),
    path("recuperar/listo/", _open(auth_views.PasswordResetCompleteView.as_view(template_name="registration/vigia_password_reset_done.html")),
         name="password_reset_complete"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("cuentas/ingresar/", _open(auth_views.LoginView.as_view(redirect_authenticated_user=True)), name="login"),
    path("cuentas/salir/", auth_views.LogoutView.as_view(), name="logout"),
    path("cuentas/", include(accounts)),
    path("transparencia/", include((portal_patterns, "portal"))),
    path("api/", api.urls),
    path("", include("vigia.reporting.urls")),
    path("", include("vigia.web.urls")),
]
