from django.db import migrations, models


class Migration(migrations.Migration):
    """Events already written keep their plain SHA-256 (hash_version 1) and still verify under it; every
    event written from now on is keyed (2). No event is rehashed: a rehash would vouch for history that
    nothing outside the database vouched for (`jixing audit checkpoint --confirm-legacy` does, once)."""

    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="hash_version",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="哈希方案"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="hash_version",
            field=models.PositiveSmallIntegerField(default=2, verbose_name="哈希方案"),
        ),
    ]
