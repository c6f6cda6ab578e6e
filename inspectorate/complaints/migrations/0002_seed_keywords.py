from django.db import migrations


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    from inspectorate.complaints.keywords import seed as seed_keywords

    seed_keywords(apps.get_model("complaints", "KeywordRule"))


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
