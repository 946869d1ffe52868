"""An instance upgraded with events already in its chain: they keep their plain SHA-256 and still verify."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from jixing.audit.domain.checkpoints import verify_audit
from jixing.audit.domain.events import GENESIS, KEYED, UNKEYED, event_hash, record_event, verify_chain
from jixing.audit.models import AuditEvent


def _migrate(target: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    return executor


@pytest.mark.django_db(transaction=True)
def test_migration_keeps_old_events_under_the_plain_hash_and_keys_the_new_ones():
    executor = _migrate([("audit", "0001_initial")])
    old = executor.loader.project_state([("audit", "0001_initial")]).apps
    prev = GENESIS
    for seq in (1, 2):
        # As the code before the key wrote them: SHA-256 over the same fields.
        row = AuditEvent(seq=seq, at=timezone.now(), action="login", summary=f"登录成功{seq}",
                         after={"n": seq}, ip="10.0.0.8", prev_hash=prev, hash_version=UNKEYED)  # fmt: skip
        row.hash = prev = event_hash(row)
        fields = {
            f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields if f.name != "hash_version"
        }
        old.get_model("audit", "AuditEvent").objects.create(**fields)
    old.get_model("audit", "AuditHead").objects.create(pk=1, last_seq=2, last_hash=prev)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([node for node in executor.loader.graph.leaf_nodes() if node[0] == "audit"])

    assert list(AuditEvent.objects.values_list("hash_version", flat=True)) == [UNKEYED, UNKEYED]
    assert record_event(action="login", summary="登录成功3").hash_version == KEYED
    assert verify_chain() == []
    # Unconfirmed until one checkpoint, run by hand after the upgrade, says they were there.
    assert len(verify_audit().problems) == 1
    call_command("audit", "checkpoint", "--confirm-unkeyed")
    assert verify_audit().problems == []
