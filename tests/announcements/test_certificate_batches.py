"""Every certificate of the final list at once (issue 12, item 6): a background task makes one PDF per
person in a zip, with progress; the zip's download is an audit event."""

import io
import zipfile
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from jixing.announcements.domain.certificate_batches import (
    BatchRefused,
    render_certificates,
    start_batch,
)
from jixing.announcements.models import CertificateBatch
from jixing.audit.models import AuditEvent
from jixing.documents.certificates import CertificateData
from jixing.imports.enums import JobState
from tests.announcements.test_certificates import _signature, commended  # noqa: F401  (the fixture)
from tests.documents.pdf_reading import pdf_text

CAMPAIGN = "2022年度“学习强国”山西学习之星集结活动"


@pytest.fixture
def data_dir(tmp_path, settings):
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR


def test_batch_makes_one_pdf_per_person_in_a_zip_with_the_plaque_files(client, commended, data_dir):  # noqa: F811
    world, _, _ = commended
    client.force_login(world.users.province)
    response = client.post(reverse("review:province_certificate_batch"), follow=True)
    assert [str(m) for m in response.context["messages"]] == ["已开始生成全部证书，完成后可在此下载"]
    batch = CertificateBatch.objects.get()
    assert (batch.state, batch.done, batch.total) == (JobState.DONE, 3, 3)
    download = reverse("review:province_certificate_batch_download", args=[batch.pk])
    assert download in response.content.decode()
    response = client.get(download)
    assert response["Content-Type"] == "application/zip"
    assert "filename*=utf-8''" in response["Content-Disposition"].lower()
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(archive.namelist()) == [
        "奖牌/" + CAMPAIGN + "奖牌制作清单.xlsx",
        "奖牌/" + CAMPAIGN + "奖牌刻字样稿.pdf",
        "证书/优秀学员/【优秀学员】巴依卡·凯力迪别克（清徐县第一中学）-证书.pdf",
        "证书/学员标兵/【学员标兵】欧阳晓梅（清徐县第一中学）-证书.pdf",
        "证书/学员标兵/【学员标兵】王五（大同市第二中学）-证书.pdf",
    ]
    content = archive.read("证书/学员标兵/【学员标兵】欧阳晓梅（清徐县第一中学）-证书.pdf")
    assert len(PdfReader(io.BytesIO(content)).pages) == 1
    assert "欧阳晓梅同志" in pdf_text(content) and "JX2022-01-0002" in pdf_text(content)
    assert "王五" not in pdf_text(content)
    assert _signature(content).bottom_line is True  # each certificate signed on its own
    summaries = list(
        AuditEvent.objects.filter(action="certificate.download").values_list("summary", flat=True)
    )
    assert summaries == ["批量生成证书（3 份）", "下载全部证书（3 份）"]
    assert [p.name for p in (data_dir / "certificates").iterdir()] == [batch.stored_name]


def test_a_second_batch_while_one_runs_is_refused_and_a_stale_one_gives_way(commended, data_dir):  # noqa: F811
    world, _, _ = commended
    now = timezone.now()
    running = CertificateBatch.objects.create(campaign=world.campaign, state=JobState.RUNNING, total=3,
                                              created_at=now, updated_at=now)  # fmt: skip
    with pytest.raises(BatchRefused, match="证书正在生成（进行中），请等它完成后再试"):
        start_batch(campaign=world.campaign, actor=world.users.province)
    CertificateBatch.objects.filter(pk=running.pk).update(updated_at=now - timedelta(minutes=6))
    batch = start_batch(campaign=world.campaign, actor=world.users.province)
    running.refresh_from_db()
    assert (running.state, batch.state) == (JobState.INTERRUPTED, JobState.DONE)


def test_batch_download_before_it_is_done_says_so(client, commended, data_dir):  # noqa: F811
    world, _, _ = commended
    now = timezone.now()
    queued = CertificateBatch.objects.create(campaign=world.campaign, total=3, created_at=now, updated_at=now)
    client.force_login(world.users.province)
    response = client.get(
        reverse("review:province_certificate_batch_download", args=[queued.pk]), follow=True
    )
    assert [str(m) for m in response.context["messages"]] == ["证书尚未生成完成，请稍后再下载"]
    body = client.get(reverse("review:province_certificate_batch_panel", args=[queued.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in body and "正在生成证书：0 / 3 份" in body


def test_batch_without_certificates_is_refused(world):
    with pytest.raises(BatchRefused, match="尚无可生成的个人证书"):
        start_batch(campaign=world.campaign, actor=world.users.province)


def test_rendering_in_worker_processes_keeps_each_certificate_with_its_person():
    items = [
        CertificateData(serial=f"JX2022-01-{i:04d}", holder=name, unit="太原市第五中学", category="学员标兵",
                        campaign=CAMPAIGN, issuer="", issued_on=date(2023, 2, 14),
                        verify_url=f"http://127.0.0.1:8000/public/verify/JX2022-01-{i:04d}/")
        for i, name in enumerate(["司马青云", "欧阳晓梅", "巴依卡·凯力迪别克", "贾兰霞", "郝雪红"], start=1)
    ]  # fmt: skip
    rendered = list(render_certificates(items, workers=2, chunk=2))
    assert [item.holder for item, _ in rendered] == [item.holder for item in items]
    for item, content in rendered:
        text = pdf_text(content)
        assert f"{item.holder}同志" in text and item.serial in text
        assert len(PdfReader(io.BytesIO(content)).pages) == 1
