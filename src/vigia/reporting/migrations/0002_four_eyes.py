"""Four eyes: who saved or sent each report since its last publication. History change reasons
become text (they quote comments and resolutions, longer than 100 characters)."""

from django.conf import settings
from django.db import migrations, models


def backfill(apps, schema_editor):
    """Reports under way keep their authors: the last saver and whoever sent them since publication."""
    Submission = apps.get_model("reporting", "Submission")
    Transition = apps.get_model("reporting", "Transition")
    for s in Submission.objects.exclude(state="published"):
        published = Transition.objects.filter(submission=s, target="published").order_by("-at").values_list("at", flat=True).first()
        senders = Transition.objects.filter(submission=s, target="submitted")
        if published:
            senders = senders.filter(at__gt=published)
        authors = set(senders.values_list("user_id", flat=True)) | ({s.updated_by_id} if s.updated_by_id else set())
        s.authors.add(*authors)


class Migration(migrations.Migration):

    dependencies = [
        ("reporting", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="submission",
            name="authors",
            field=models.ManyToManyField(blank=True, related_name="+", to=settings.AUTH_USER_MODEL,
                                         verbose_name="guardado o enviado por (desde su última publicación)"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="historicalcampaign",
            name="history_change_reason",
            field=models.TextField(null=True),
        ),
        migrations.AlterField(
            model_name="historicalcommitment",
            name="history_change_reason",
            field=models.TextField(null=True),
        ),
        migrations.AlterField(
            model_name="historicalobjectiveanalysis",
            name="history_change_reason",
            field=models.TextField(null=True),
        ),
        migrations.AlterField(
            model_name="historicalprofile",
            name="history_change_reason",
            field=models.TextField(null=True),
        ),
        migrations.AlterField(
            model_name="historicalsubmission",
            name="history_change_reason",
            field=models.TextField(null=True),
        ),
    ]
