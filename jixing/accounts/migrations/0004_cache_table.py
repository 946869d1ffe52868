"""The database cache's table (settings.CACHES without JIXING_REDIS_URL): the rate limits every app process
counts together. Created whatever the cache setting is now, so that a deployment can drop Redis later."""

from django.conf import settings
from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations


def create(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, settings.CACHE_TABLE, False)


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(settings.CACHE_TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_enrolment_code")]

    operations = [migrations.RunPython(create, drop)]
