from django.urls import path

from . import portal, registry, reports, views

app_name = "web"

portal_patterns = [
    path("", portal.home, name="home"),
    path("buscar/", portal.search, name="search"),
    path("<slug:plan>/registro/", registry.portal_page, name="registry"),
    path("<slug:plan>/", portal.plan_latest, name="plan_latest"),
    path("<slug:plan>/<int:year>/", portal.plan, name="plan"),
    path("<slug:plan>/<int:year>/datos.<str:fmt>", portal.download, name="download"),
    path("<slug:plan>/<int:year>/indicadores/<str:code>/", portal.indicator, name="indicator"),
    path("<slug:plan>/<int:year>/indicadores/<str:code>/grafico.svg", portal.chart, name="chart"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("planes/", views.plans, name="plans"),
    path("planes/<slug:plan>/", views.dashboard, name="dashboard"),
    path("planes/<slug:plan>/matriz/", views.matrix, name="matrix"),
    path("planes/<slug:plan>/registro/", registry.page, name="registry"),
    path("planes/<slug:plan>/matriz.<str:fmt>", views.matrix_download, name="matrix_download"),
    path("planes/<slug:plan>/reporte.<str:fmt>", reports.download, name="report"),
    path("planes/<slug:plan>/indicadores/<str:code>/", views.indicator, name="indicator"),
    path("planes/<slug:plan>/indicadores/<str:code>/grafico.svg", views.indicator_chart, name="indicator_chart"),
]
