import pytest


@pytest.fixture(autouse=True)
def checkpoints(tmp_path, settings):
    """Each test's own checkpoint file, never the one of a developer's instance under var/."""
    settings.AUDIT_CHECKPOINTS = tmp_path / "audit-checkpoints.jsonl"
    return settings.AUDIT_CHECKPOINTS
