# Stored duplicate-score features (dedup_store.stored_features) and the key's received_at for per-key recency.

from django.db import migrations, models


def backfill(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Store the duplicate-score features of the complaints stored before these columns (as intake does),
    and copy each complaint's received_at onto its look-up keys."""
    from inspectorate.complaints.dedup_store import stored_features

    Complaint = apps.get_model("complaints", "Complaint")
    DedupKey = apps.get_model("complaints", "DedupKey")
    rows = Complaint.objects.order_by("pk").only("pk", "text", "polluter_name", "received_at")
    for c in rows.iterator(chunk_size=500):
        Complaint.objects.filter(pk=c.pk).update(**stored_features(c.text, c.polluter_name))
        DedupKey.objects.filter(complaint_id=c.pk).update(received_at=c.received_at)


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0005_dedup_key_table'),
    ]

    operations = [
        migrations.AddField(
            model_name='complaint',
            name='dedup_grams',
            field=models.BinaryField(null=True),
        ),
        migrations.AddField(
            model_name='complaint',
            name='dedup_polluter',
            field=models.CharField(blank=True, editable=False, max_length=200),
        ),
        migrations.AddField(
            model_name='complaint',
            name='dedup_words',
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name='dedupkey',
            name='received_at',
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='dedupkey',
            name='received_at',
            field=models.DateTimeField(),
        ),
        migrations.RemoveIndex(
            model_name='dedupkey',
            name='dedupkey_lookup',
        ),
        migrations.AddIndex(
            model_name='dedupkey',
            index=models.Index(fields=['campaign', 'kind', 'key', '-received_at'], name='dedupkey_recent'),
        ),
    ]
