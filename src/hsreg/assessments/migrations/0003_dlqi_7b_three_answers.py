"""DLQI question 7's follow-up ("If no: how much has your skin been a problem at work or
studying") has Finlay's three answers, a lot / a little / not at all (issue 12).

HISREG's data dictionary had a fourth, code 1 "Veldig mye", that the DLQI does not have. A
report that stored it is read as code 2 "a lot": MO-1a scored both 2, so no DLQI total
changes, and nothing is lost, the answer was at least "a lot". The same is done to the earlier
values kept of drafts (records.EarlierVersion), so an earlier version shows a choice the form
has. Going back leaves the codes as they are (2 is one of the four old answers)."""

from django.db import migrations, models

#: the removed code and the one it is read as (assessments.models.DLQI_Q7_PROBLEMS)
VERY_MUCH, A_LOT = 1, 2


def read_very_much_as_a_lot(apps, schema_editor):
    report = apps.get_model("assessments", "PatientReport")
    report.objects.filter(dlqi_7_problems=VERY_MUCH).update(dlqi_7_problems=A_LOT)
    earlier = apps.get_model("records", "EarlierVersion")
    for version in earlier.objects.filter(form="patientreport").only("id", "values").iterator():
        values = version.values
        if isinstance(values, dict) and values.get("dlqi_7_problems") == VERY_MUCH:
            values["dlqi_7_problems"] = A_LOT
            earlier.objects.filter(pk=version.pk).update(values=values)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0002_form_version_one_medical_history"),
        ("records", "0002_submission"),
    ]

    operations = [
        migrations.RunPython(read_very_much_as_a_lot, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="patientreport",
            name="dlqi_7_problems",
            field=models.PositiveSmallIntegerField(
                blank=True,
                choices=[(2, "A lot"), (3, "A little"), (4, "Not at all")],
                null=True,
                verbose_name="If no: how much has your skin been a problem at work or studying",
            ),
        ),
    ]
