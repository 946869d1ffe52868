"""The snapshot keeps masked forms instead of full ID and phone numbers (README: 个人信息保护).

Existing rows get their masked forms computed from the old columns before those are dropped; person_key
(the blind index G.2/G.3 read) was computed at import and stays as it is. Going back restores empty
columns only: the full numbers are gone, re-import the snapshot file to have them again.
"""

from django.db import migrations, models

BATCH = 2000


# A copy of people.masking as it is today: a migration must not change when that module does.
def _mask(value, head, tail):
    value = (value or "").strip()
    if len(value) <= head + tail:
        return "*" * len(value)
    return value[:head] + "*" * (len(value) - head - tail) + value[-tail:]


def mask_existing_rows(apps, schema_editor):
    Learner = apps.get_model("people", "Learner")
    rows = Learner.objects.exclude(phone="", id_number="").only("id", "phone", "id_number").order_by("id")
    batch = []
    for row in rows.iterator(chunk_size=BATCH):
        row.phone_masked = _mask(row.phone, 3, 4)
        row.id_masked = _mask(row.id_number, 4, 4)
        batch.append(row)
        if len(batch) >= BATCH:
            Learner.objects.bulk_update(batch, ["phone_masked", "id_masked"])
            batch = []
    Learner.objects.bulk_update(batch, ["phone_masked", "id_masked"])


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="learner",
            name="phone_masked",
            field=models.CharField(blank=True, max_length=11, verbose_name="手机号（脱敏）"),
        ),
        migrations.AddField(
            model_name="learner",
            name="id_masked",
            field=models.CharField(blank=True, max_length=18, verbose_name="身份证号（脱敏）"),
        ),
        migrations.RunPython(mask_existing_rows, migrations.RunPython.noop),
        migrations.RemoveField(model_name="learner", name="phone"),
        migrations.RemoveField(model_name="learner", name="id_number"),
    ]
