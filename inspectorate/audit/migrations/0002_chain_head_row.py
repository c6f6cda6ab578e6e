from django.db import migrations


def create_head(apps, schema_editor):
    ChainHead = apps.get_model("audit", "ChainHead")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    if not ChainHead.objects.filter(id=1).exists():
        last = AuditEvent.objects.order_by("-seq").first()
        ChainHead.objects.create(id=1, last_seq=last.seq if last else 0, last_hash=last.hash if last else "0" * 64)


class Migration(migrations.Migration):
    """The chain head row exists from the start, so concurrent first writers cannot race to create it."""

    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(create_head, migrations.RunPython.noop)]
