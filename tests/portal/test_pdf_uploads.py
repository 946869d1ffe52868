"""Uploaded PDFs keep their pages and lose their active content (JavaScript, actions, embedded files),
or are refused with a reason."""

import io

import pikepdf
import pytest
from django.urls import reverse
from pikepdf import Array, Dictionary, Name, String

from jixing.nominations.domain.pdfs import PdfRefused, sanitised_pdf
from jixing.nominations.models import Attachment
from tests.portal.helpers import start, upload

pytestmark = pytest.mark.django_db
ACTIVE = (b"/JavaScript", b"/JS", b"/OpenAction", b"/AA", b"/EmbeddedFile", b"/Launch", b"/FileAttachment")


def hostile_pdf() -> bytes:
    """One page that runs JavaScript when opened and on events, launches a program, carries a file,
    and has a JavaScript link beside a plain web link; streams uncompressed so bytes can be searched."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    pdf.Root.OpenAction = pdf.make_indirect(
        Dictionary(Type=Name.Action, S=Name.JavaScript, JS=String("app.launchURL('http://evil.example/')"))
    )
    pdf.Root.AA = Dictionary(WC=Dictionary(S=Name.JavaScript, JS=String("this.submitForm('x')")))
    pdf.attachments["秘密.exe"] = pikepdf.AttachedFileSpec(
        pdf, b"MZ evil program", mime_type="application/x-msdownload"
    )
    page = pdf.pages[0].obj
    page.AA = Dictionary(O=Dictionary(S=Name.Launch, F=String("cmd.exe")))
    page.Annots = Array(
        [
            Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=[0, 0, 9, 9],
                       A=Dictionary(S=Name.URI, URI=String("https://www.xuexi.cn/"))),
            Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=[0, 9, 9, 18],
                       A=Dictionary(S=Name.JavaScript, JS=String("app.alert(1)"))),
            Dictionary(Type=Name.Annot, Subtype=Name.FileAttachment, Rect=[0, 18, 9, 27],
                       FS=pikepdf.AttachedFileSpec(pdf, b"MZ second program").obj),
        ]
    )  # fmt: skip
    out = io.BytesIO()
    pdf.save(out, compress_streams=False, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    return out.getvalue()


def _plain(data: bytes) -> bytes:
    """The PDF with every stream and object stream uncompressed, to search its bytes."""
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdf.save(out, qdf=True, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    return out.getvalue()


def test_hostile_pdf_really_carries_active_content():
    raw = hostile_pdf()
    assert all(marker in raw for marker in ACTIVE) and b"MZ evil program" in raw


def test_uploaded_pdf_is_stored_without_javascript_actions_or_embedded_files(client, world):
    draft = start(world, user=world.users.school, number=3)
    client.force_login(world.users.school)
    response = client.post(
        reverse("portal:attachment_upload", args=[draft.pk]),
        {"kind": "获奖证书", "file": upload("证书.pdf", hostile_pdf(), "application/pdf")},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    attachment = Attachment.objects.get()
    with attachment.file.open("rb") as fh:
        stored = fh.read()
    plain = _plain(stored)
    assert [marker for marker in ACTIVE if marker in plain] == []
    assert b"MZ evil" not in plain and b"MZ second" not in plain
    with pikepdf.open(io.BytesIO(stored)) as pdf:
        assert (len(pdf.pages), len(pdf.attachments), "/OpenAction" in pdf.Root) == (1, 0, False)
        links = [annot.A.URI for annot in pdf.pages[0].Annots if "/A" in annot]
        assert links == ["https://www.xuexi.cn/"]  # a plain web link stays
    assert attachment.size == len(stored) and attachment.content_type == "application/pdf"


def test_pdf_locked_with_a_password_is_refused_with_the_reason(client, world):
    locked = io.BytesIO()
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(locked, encryption=pikepdf.Encryption(owner="o", user="secret"))
    draft = start(world, user=world.users.school, number=3)
    client.force_login(world.users.school)
    response = client.post(
        reverse("portal:attachment_upload", args=[draft.pk]),
        {"kind": "获奖证书", "file": upload("加密.pdf", locked.getvalue(), "application/pdf")},
        HTTP_HX_REQUEST="true",
    )
    assert (
        "“加密.pdf”未上传：PDF 文件设有打开密码，无法检查，请去除密码后重新上传" in response.content.decode()
    )
    assert Attachment.objects.count() == 0


def test_damaged_pdf_is_refused():
    with pytest.raises(PdfRefused, match="PDF 文件已损坏或无法读取"):
        sanitised_pdf(b"%PDF-1.7\n" + b"\x00garbage" * 20)


def test_long_outline_chains_are_walked_without_recursion():
    pdf = pikepdf.new()
    pdf.add_blank_page()
    with pdf.open_outline() as outline:
        outline.root.extend(pikepdf.OutlineItem(f"第{i}节", 0) for i in range(3000))
    out = io.BytesIO()
    pdf.save(out)
    with pikepdf.open(io.BytesIO(sanitised_pdf(out.getvalue()))) as clean:
        with clean.open_outline() as outline:
            assert len(outline.root) == 3000
