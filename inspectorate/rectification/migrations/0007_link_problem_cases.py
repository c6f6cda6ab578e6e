"""Link problems to complaint cases where the stored case number matches a case in the same campaign."""

from django.db import migrations


def link(apps, schema_editor):  # type: ignore[no-untyped-def]
    Problem = apps.get_model("rectification", "Problem")
    Case = apps.get_model("complaints", "Case")
    todo = Problem.objects.filter(origin_case__isnull=True).exclude(origin_case_number="")
    for problem in todo.iterator():
        case = Case.objects.filter(campaign_id=problem.campaign_id, number=problem.origin_case_number.strip()).first()
        if case is not None:
            Problem.objects.filter(pk=problem.pk).update(origin_case=case)


class Migration(migrations.Migration):
    dependencies = [("rectification", "0006_case_link_schedule")]

    operations = [migrations.RunPython(link, migrations.RunPython.noop)]
