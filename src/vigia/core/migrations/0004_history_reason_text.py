"""History change reasons become text: they quote comments and resolutions (more than 100 characters)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_indicator_decimals'),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicalindicator',
            name='history_change_reason',
            field=models.TextField(null=True),
        ),
        migrations.AlterField(
            model_name='historicalvalue',
            name='history_change_reason',
            field=models.TextField(null=True),
        ),
    ]
