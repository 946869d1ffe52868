# Objectors' phone numbers encrypted at rest (people.fields.EncryptedCharField); rows stored in clear
# before this migration are encrypted in place.

import jixing.people.fields
from django.db import migrations


def encrypt_existing(apps, schema_editor):
    from jixing.people import crypto

    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id, phone FROM announcements_objection")
        rows = [(pk, phone) for pk, phone in cursor.fetchall() if phone and not crypto.looks_encrypted(phone)]
        for pk, phone in rows:
            cursor.execute(
                "UPDATE announcements_objection SET phone = %s WHERE id = %s", [crypto.encrypt(phone), pk]
            )


class Migration(migrations.Migration):

    dependencies = [
        ('announcements', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='objection',
            name='phone',
            field=jixing.people.fields.EncryptedCharField(max_length=20, verbose_name='联系电话'),
        ),
        migrations.RunPython(encrypt_existing, migrations.RunPython.noop),
    ]
