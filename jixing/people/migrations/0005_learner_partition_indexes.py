from django.db import migrations

# PostgreSQL only: the indexes each new snapshot's partition must build (people.domain.snapshots.storage),
# cut to what the pages and rules read. A snapshot's rows are found by 学号 or by org, never by id (the
# pick page sends the 学号), so the primary key's index of 8 million ids goes; the org index leaves out
# the snapshot, which is one value in a partition. On the 8-million-row benchmark the two took 5.8 s of
# the server's time at every import. Django keeps `id` as the rows' primary key; SQLite keeps its table
# as it is.
FORWARD = """
ALTER TABLE people_learner DROP CONSTRAINT people_learner_pkey;
DROP INDEX learner_org_snapshot;
CREATE INDEX learner_org_snapshot ON people_learner (org_id);
"""
BACKWARD = """
DROP INDEX learner_org_snapshot;
CREATE INDEX learner_org_snapshot ON people_learner (org_id, snapshot_id);
ALTER TABLE people_learner ADD CONSTRAINT people_learner_pkey PRIMARY KEY (id, snapshot_id);
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_learner_index_order"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
