"""Evidence uploads: checked by content, cleaned of EXIF, size-limited, downloaded only as attachments."""

import io

import pikepdf
import pytest
from django.urls import reverse
from PIL import Image

from jixing.audit.models import AuditEvent
from jixing.nominations.models import Attachment
from tests.portal.helpers import image_bytes, start, upload
from tests.review.screening_world import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(world):
    return start(world, user=world.users.school, number=3)


def _upload(client, user, nomination, kind, *files, htmx=True):
    client.force_login(user)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(
        reverse("portal:attachment_upload", args=[nomination.pk]),
        {"kind": kind, "file": list(files)},
        **headers,
    )


def _stored(attachment) -> bytes:
    with attachment.file.open("rb") as fh:
        return fh.read()


def test_png_with_exif_is_stored_without_it(client, world, draft, media_root):
    original = image_bytes("PNG")
    assert Image.open(io.BytesIO(original)).getexif()  # the fixture does carry EXIF
    _upload(client, world.users.school, draft, "场景照片", upload("相机.png", original, "image/png"))
    attachment = Attachment.objects.get()
    stored = _stored(attachment)
    image = Image.open(io.BytesIO(stored))
    assert (image.format, dict(image.getexif()), "exif" in image.info, b"TestCam" in stored) == (
        "PNG",
        {},
        False,
        False,
    )
    assert str(media_root) in attachment.file.path
    assert attachment.file.name.startswith("evidence/")
    assert "相机" not in attachment.file.name  # random name on disk


def test_jpeg_with_gps_is_reencoded_without_exif_and_its_digest_recorded(client, world, draft):
    import hashlib

    _upload(client, world.users.school, draft, "积分截图", upload("IMG_0001.JPG", image_bytes("JPEG")))
    attachment = Attachment.objects.get()
    stored = _stored(attachment)
    assert dict(Image.open(io.BytesIO(stored)).getexif()) == {}
    assert (attachment.size, attachment.sha256, attachment.content_type) == (
        len(stored),
        hashlib.sha256(stored).hexdigest(),
        "image/jpeg",
    )


def test_webp_becomes_a_jpeg(client, world, draft):
    _upload(client, world.users.school, draft, "场景照片", upload("a.webp", image_bytes("WEBP", exif=False)))
    attachment = Attachment.objects.get()
    assert (attachment.content_type, attachment.file.name.endswith(".jpg")) == ("image/jpeg", True)


def test_video_is_stored_as_sent_and_pdf_written_again(client, world, draft):
    mp4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
    _upload(client, world.users.school, draft, "获奖证书", upload("证书.pdf", PDF, "application/pdf"))
    _upload(client, world.users.school, draft, "现场视频", upload("现场.mp4", mp4, "video/mp4"))
    stored = {a.kind: (a.content_type, _stored(a)) for a in Attachment.objects.all()}
    assert stored["现场视频"] == ("video/mp4", mp4)
    content_type, pdf = stored["获奖证书"]  # sanitised: tests/portal/test_pdf_uploads.py
    assert (content_type, len(pikepdf.open(io.BytesIO(pdf)).pages)) == ("application/pdf", 1)


def test_html_named_jpg_is_refused_with_the_file_name_and_reason(client, world, draft):
    fake = b"<!doctype html><script>alert(1)</script>"
    response = _upload(client, world.users.school, draft, "场景照片", upload("photo.jpg", fake))
    body = response.content.decode()
    assert "“photo.jpg”未上传：文件内容不是允许的类型，“场景照片”只接受图片（JPG、PNG、WebP）" in body
    assert Attachment.objects.count() == 0
    assert not AuditEvent.objects.filter(action="nomination.attachment_add").exists()


def test_pdf_is_refused_where_only_pictures_are_taken(client, world, draft):
    response = _upload(client, world.users.school, draft, "积分截图", upload("a.pdf", b"%PDF-1.7\n"))
    assert "“a.pdf”未上传" in response.content.decode()
    assert Attachment.objects.count() == 0


def test_broken_image_with_a_jpeg_signature_is_refused(client, world, draft):
    response = _upload(
        client, world.users.school, draft, "场景照片", upload("x.jpg", b"\xff\xd8\xff" + b"0" * 50)
    )
    assert "“x.jpg”未上传：图片已损坏或无法读取" in response.content.decode()


def test_oversized_file_is_refused(client, world, draft, settings):
    settings.UPLOAD_MAX_BYTES = {"image": 1024, "pdf": 2048, "video": 4096}
    big = image_bytes("PNG", size=(400, 400))
    response = _upload(
        client, world.users.school, draft, "场景照片", upload("大图.png", big * 2, "image/png")
    )
    size = len(big) * 2
    assert f"“大图.png”未上传：文件大小 {size / 1024:.0f} KB，超过上限 1 KB" in response.content.decode()
    assert Attachment.objects.count() == 0


def test_kind_the_category_does_not_take_is_refused(client, world):
    nomination = start(world, user=world.users.school, number=9, learner=None)
    response = _upload(client, world.users.school, nomination, "承诺书", upload("a.png", image_bytes()))
    assert "本项目不需要“承诺书”类材料" in response.content.decode()


def test_upload_and_delete_are_audit_events(client, world, draft):
    _upload(client, world.users.school, draft, "场景照片", upload("a.png", image_bytes(), "image/png"))
    attachment = Attachment.objects.get()
    response = client.post(
        reverse("portal:attachment_delete", args=[draft.pk, attachment.pk]), HTTP_HX_REQUEST="true"
    )
    assert "已删除“a.png”" in response.content.decode()
    events = list(AuditEvent.objects.filter(target_id=str(draft.pk)).values_list("action", flat=True))
    assert events == ["nomination.create", "nomination.attachment_add", "nomination.attachment_delete"]
    assert Attachment.objects.count() == 0
    assert AuditEvent.objects.get(action="nomination.attachment_add").after["sha256"] == attachment.sha256


def test_upload_marks_the_campaigns_results_stale(client, world, draft):
    world.campaign.__class__.objects.filter(pk=world.campaign.pk).update(data_changed_at=None)
    _upload(client, world.users.school, draft, "场景照片", upload("a.png", image_bytes(), "image/png"))
    world.campaign.refresh_from_db()
    assert world.campaign.data_changed_at is not None


def test_upload_without_javascript_redirects_back_to_the_form(client, world, draft):
    response = _upload(
        client, world.users.school, draft, "场景照片", upload("a.png", image_bytes()), htmx=False
    )
    assert response["Location"] == reverse("portal:nomination_edit", args=[draft.pk])


def test_download_is_an_attachment_with_nosniff(client, world, draft):
    _upload(client, world.users.school, draft, "场景照片", upload("现场 照片.webp", image_bytes("WEBP")))
    attachment = Attachment.objects.get()
    response = client.get(reverse("portal:attachment_download", args=[draft.pk, attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E7%8E%B0%E5%9C%BA%20%E7%85%A7%E7%89%87.jpg" in response["Content-Disposition"]
    assert (response["Content-Type"], response["X-Content-Type-Options"]) == ("image/jpeg", "nosniff")
    assert b"".join(response.streaming_content) == _stored(attachment)


def test_download_is_404_for_other_subtrees_and_other_nominations(client, world, draft):
    _upload(client, world.users.school, draft, "场景照片", upload("a.png", image_bytes()))
    attachment = Attachment.objects.get()
    url = reverse("portal:attachment_download", args=[draft.pk, attachment.pk])
    for user in (
        world.users.datong,
        world.users.datong_school,
        world.users.other_learner,
        world.users.taiyuan,
    ):
        client.force_login(user)  # the reporting unit does not see a unit's draft either
        assert (user.username, client.get(url).status_code) == (user.username, 404)
    other = start(world, user=world.users.school, number=1)
    client.force_login(world.users.school)
    assert (
        client.get(reverse("portal:attachment_download", args=[other.pk, attachment.pk])).status_code == 404
    )


def test_download_redirects_anonymous_to_login(client, world, draft):
    _upload(client, world.users.school, draft, "场景照片", upload("a.png", image_bytes()))
    client.logout()
    url = reverse("portal:attachment_download", args=[draft.pk, Attachment.objects.get().pk])
    assert client.get(url).status_code == 302


def test_upload_and_delete_are_403_once_submitted_and_404_outside(client, world, draft):
    _upload(client, world.users.school, draft, "场景照片", upload("a.png", image_bytes()))
    attachment = Attachment.objects.get()
    draft.state = "submitted"
    draft.save()
    for user, status in [(world.users.school, 403), (world.users.taiyuan, 403), (world.users.datong, 404)]:
        response = _upload(client, user, draft, "场景照片", upload("b.png", image_bytes()))
        assert (user.username, response.status_code) == (user.username, status)
        response = client.post(reverse("portal:attachment_delete", args=[draft.pk, attachment.pk]))
        assert (user.username, response.status_code) == (user.username, status)
    assert Attachment.objects.count() == 1


def test_reporting_unit_downloads_evidence_once_the_nomination_is_sent_up(client, world, draft):
    _upload(client, world.users.school, draft, "场景照片", upload("a.png", image_bytes()))
    draft.state = "submitted"
    draft.save()
    client.force_login(world.users.taiyuan)
    url = reverse("portal:attachment_download", args=[draft.pk, Attachment.objects.get().pk])
    assert client.get(url).status_code == 200


def test_download_is_an_audit_event_and_a_refused_one_is_not(client, world, draft):
    from jixing.audit.models import AuditEvent

    _upload(client, world.users.school, draft, "场景照片", upload("a.png", image_bytes()))
    attachment = Attachment.objects.get()
    url = reverse("portal:attachment_download", args=[draft.pk, attachment.pk])
    client.force_login(world.users.datong)
    assert client.get(url).status_code == 404
    client.force_login(world.users.school)
    assert client.get(url).status_code == 200
    events = list(
        AuditEvent.objects.filter(action="attachment.download").values_list("actor__username", "summary")
    )
    assert events == [(world.users.school.username, f"{draft.number} 下载材料：场景照片")]
