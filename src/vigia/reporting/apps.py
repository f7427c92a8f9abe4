from django.apps import AppConfig
from django.db.models import Q


class ReportingConfig(AppConfig):
    name = "vigia.reporting"
    label = "reporting"
    verbose_name = "Reporte de valores y revisión"

    def ready(self):
        from vigia.core.versions import track

        from . import models as m

        track(m.Campaign, lambda c: Q(pk=c.plan_id))
        track(m.Commitment, lambda c: Q(pk=c.plan_id))
        track(m.Submission, lambda s: Q(campaigns=s.campaign_id))
        track(m.ObjectiveAnalysis, lambda a: Q(campaigns=a.campaign_id))
