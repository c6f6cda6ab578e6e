from django.conf import settings
from django.db import migrations, models
from django.db.models import F


def triaged_at_intake(apps, schema_editor):
    """Complaints stored before this migration were classified, routed and checked when they were received."""
    Complaint = apps.get_model("complaints", "Complaint")
    Complaint.objects.filter(triaged_at__isnull=True).update(triaged_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0001_initial"),
        ("complaints", "0006_dedup_stored_features"),
        ("orgs", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="complaint",
            name="triaged_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="triaged at"),
        ),
        migrations.RunPython(triaged_at_intake, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(
                condition=models.Q(("triaged_at__isnull", True)), fields=["received_at"], name="complaint_untriaged"
            ),
        ),
    ]
