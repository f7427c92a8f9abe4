from django.urls import path

from . import plan_edit_views, plan_views, proposal_views, views

app_name = "reporting"
urlpatterns = [
    path("campanas/", views.campaigns, name="campaigns"),
    path("campanas/<int:pk>/", views.campaign, name="campaign"),
    path("campanas/<int:pk>/plantilla.xlsx", views.template_xlsx, name="template"),
    path("campanas/<int:pk>/cargar/", views.upload_xlsx, name="upload"),
    path("campanas/<int:pk>/publicar/", views.publish_all, name="publish_all"),
    path("campanas/<int:pk>/cerrar/", views.close, name="close"),
    path("campanas/<int:pk>/analisis/<str:code>/", views.analysis, name="analysis"),
    path("campanas/<int:pk>/reportes/<str:code>/", views.submission, name="submission"),
    path("campanas/<int:pk>/reportes/<str:code>/propuesta/<int:proposal_id>/", proposal_views.decide, name="proposal"),
    path("campanas/<int:pk>/reportes/<str:code>/evidencia/", views.evidence, name="evidence"),
    path("campanas/<int:pk>/reportes/<str:code>/evidencia/<int:evidence_id>/", views.evidence_file, name="evidence_file"),
    path("notificaciones/", views.notifications, name="notifications"),
    path("compromisos/", views.commitments, name="commitments"),
    path("auditoria.csv", views.audit_log, name="audit"),
    path("planes/<slug:plan>/indicadores/<str:code>/logro/<int:year>/", views.target, name="target"),
    path("planes/<slug:plan>/matriz/importar/", views.matrix_import, name="matrix_import"),
    path("gestion/planes/", plan_views.plans, name="plans"),
    path("gestion/planes/plan-nuevo.xlsx", plan_views.example, name="plan_example"),
    path("gestion/planes/cargar/", plan_views.upload, name="plan_upload_new"),
    path("gestion/planes/confirmar/", plan_views.confirm, name="plan_confirm"),
    path("gestion/planes/<slug:plan>/", plan_views.plan, name="plan"),
    path("gestion/planes/<slug:plan>/libro.xlsx", plan_views.export, name="plan_export"),
    path("gestion/planes/<slug:plan>/cargar/", plan_views.upload, name="plan_upload"),
    path("gestion/planes/<slug:plan>/versiones/", plan_views.versions, name="plan_versions"),
    path("gestion/planes/<slug:plan>/periodos/", plan_views.lock, name="plan_lock"),
    path("gestion/planes/<slug:plan>/estructura/", plan_edit_views.structure, name="plan_structure"),
    path("gestion/planes/<slug:plan>/metas/", plan_edit_views.targets, name="plan_targets"),
    path("gestion/planes/<slug:plan>/fichas/<str:code>/", plan_edit_views.ficha, name="plan_ficha"),
]
