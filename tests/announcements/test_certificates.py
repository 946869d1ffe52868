"""Certificates and plaques (issue 12, item 6): issued at 通报表扬, one per commended person or unit;
the QR code read back from the rendered PDF opens the public verification page naming the holder; a
withdrawn commendation revokes its certificate; an unknown serial is said to be unknown (404)."""

import io
from datetime import date
from urllib.parse import urlsplit

import pypdfium2
import pytest
import zxingcpp
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from jixing.announcements.domain.approval import commend, record_approval
from jixing.announcements.domain.certificates import (
    CertificateRefused,
    build_certificate,
    build_plaque_sheet,
    certificate_by_serial,
    signing_key,
)
from jixing.announcements.domain.notices import NoticeFormat, build_commendation_notice
from jixing.announcements.domain.publishing import publish
from jixing.announcements.models import Certificate
from jixing.audit.models import AuditEvent
from jixing.nominations.domain.states import Action
from jixing.nominations.domain.transitions import transition
from jixing.nominations.enums import NominationState as S
from tests.announcements.helpers import GOOD, at, evaluated, listed
from tests.documents.pdf_reading import pdf_fonts, pdf_text
from tests.factories import make_learner

CAMPAIGN = "2022年度“学习强国”山西学习之星集结活动"


@pytest.fixture
def commended(world):
    """欧阳晓梅 and 巴依卡·凯力迪别克 (学员标兵), 王五 (学员标兵, 大同), 大同市第二中学 (模范学习组织), commended."""
    for account, name in (("E1", "欧阳晓梅"), ("E2", "巴依卡·凯力迪别克")):
        world.learners[account] = make_learner(
            snapshot=world.snapshot, org=world.tree["school"], account_id=account, name=name, **GOOD
        )
    people = [
        listed(world, "E1", state=S.SELECTED),
        listed(world, "E2", category=2, state=S.SELECTED),
        listed(world, "D1", org="datong_school", state=S.SELECTED),
    ]
    unit = listed(world, "D1", category=9, org="datong_school", state=S.SELECTED, nominee_org=world.tree["datong_school"],
                  nominee_account="", nominee_name="")  # fmt: skip
    evaluated(world, *people, unit)
    unit.status = "needs_review"  # a unit nomination's full facts are beside the point here
    unit.save(update_fields=["status"])
    publish(campaign=world.campaign, actor=world.users.province, now=at(2023, 1, 20))
    record_approval(campaign=world.campaign, actor=world.users.province, document_ref="晋宣批〔2023〕5号",
                    approved_on=date(2023, 2, 3), now=at(2023, 2, 3))  # fmt: skip
    commend(campaign=world.campaign, actor=world.users.province, now=at(2023, 2, 14))
    return world, people, unit


def _qr_urls(content: bytes) -> list[str]:
    """The QR codes of the PDF's first page, read from the page rendered at 200 dpi."""
    page = pypdfium2.PdfDocument(content)[0]
    image = page.render(scale=200 / 72).to_pil()
    return [barcode.text for barcode in zxingcpp.read_barcodes(image)]


def test_commend_issues_a_certificate_per_person_and_a_plaque_per_unit(commended):
    world, (ouyang, bayika, wangwu), unit = commended
    rows = list(
        Certificate.objects.order_by("serial").values_list(
            "serial", "kind", "holder", "unit", "category_name"
        )
    )
    assert rows == [
        # 学员标兵 in surname stroke order: 王 (4 strokes) before 欧阳 (8).
        ("JX2022-01-0001", "certificate", "王五", "大同市第二中学", "学员标兵"),
        ("JX2022-01-0002", "certificate", "欧阳晓梅", "清徐县第一中学", "学员标兵"),
        ("JX2022-02-0001", "certificate", "巴依卡·凯力迪别克", "清徐县第一中学", "优秀学员"),
        ("JX2022-09-0001", "plaque", "大同市第二中学", "", "模范学习组织"),
    ]  # fmt: skip
    plaque = Certificate.objects.get(nomination=unit)
    assert plaque.engraving.splitlines()[:3] == ["大同市第二中学", CAMPAIGN, "“模范学习组织”"]
    event = AuditEvent.objects.get(action="certificate.issue")
    assert event.summary == "颁发证书 3 份、奖牌 1 块"
    assert event.after["serials"][ouyang.number] == "JX2022-01-0002"


def test_certificate_qr_code_opens_the_verification_page_naming_its_holder(client, commended):
    world, (ouyang, _, _), _ = commended
    certificate = Certificate.objects.get(nomination=ouyang)
    built = build_certificate(certificate, actor=world.users.province)
    assert built.filename == "【学员标兵】欧阳晓梅（清徐县第一中学）-证书.pdf"
    assert all(pdf_fonts(built.content).values()) and pdf_fonts(built.content)
    text = pdf_text(built.content)
    assert "荣誉证书" in text and "欧阳晓梅同志" in text and "JX2022-01-0002" in text
    (url,) = _qr_urls(built.content)
    assert url == "http://127.0.0.1:8000/public/verify/JX2022-01-0002/"
    response = client.get(urlsplit(url).path)
    body = response.content.decode()
    assert response.status_code == 200
    assert "此证书真实有效。" in body and "<dd>欧阳晓梅</dd>" in body and "<dd>学员标兵</dd>" in body
    assert f"<dd>{CAMPAIGN}</dd>" in body.replace("&ldquo;", "“").replace("&rdquo;", "”")
    assert AuditEvent.objects.filter(action="certificate.download").count() == 1


def test_withdrawn_commendation_revokes_its_certificate(client, commended):
    world, (_, bayika, _), _ = commended
    transition(
        bayika, Action.WITHDRAW, actor=world.users.province, reason="经核查，积分有误", now=at(2023, 2, 16)
    )
    certificate = Certificate.objects.get(nomination=bayika)
    assert (certificate.revoked_at, certificate.revoked_reason) == (at(2023, 2, 16), "经核查，积分有误")
    event = AuditEvent.objects.get(action="certificate.revoke")
    assert event.summary == "撤销证书 JX2022-02-0001（巴依卡·凯力迪别克）：经核查，积分有误"
    body = client.get(reverse("public:verify", args=["JX2022-02-0001"])).content.decode()
    assert "此证书已于2023年2月16日撤销，不再有效。" in body and "真实有效" not in body
    assert "积分有误" not in body  # the reason stays with the province
    with pytest.raises(CertificateRefused, match="证书 JX2022-02-0001 已撤销，不能再下载"):
        build_certificate(certificate, actor=world.users.province)
    # The others stand.
    assert Certificate.objects.filter(revoked_at__isnull=True).count() == 3


@pytest.mark.parametrize(
    "serial", ["JX2022-01-0099", "JX1999-01-0001", "nonsense", "𠀋", "JX2022-01-0001%00", "9" * 500]
)
def test_unknown_serial_is_said_to_be_unknown(client, commended, serial):
    response = client.get(reverse("public:verify", args=[serial]))
    assert response.status_code == 404
    assert "未查到编号为" in response.content.decode()


def test_serial_typed_in_lower_case_with_spaces_is_found(commended):
    assert certificate_by_serial(" jx2022-09-0001 ").holder == "大同市第二中学"


def test_plaque_sheet_lists_unit_engraving_and_serial(commended):
    world, _, _ = commended
    built = build_plaque_sheet(world.campaign, fmt="xlsx", actor=world.users.province)
    assert built.filename == f"{CAMPAIGN}奖牌制作清单.xlsx"
    sheet = load_workbook(io.BytesIO(built.content)).active
    rows = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert rows[0] == ["序号", "项目", "单位名称", "刻字内容", "奖牌编号", "核验网址"]
    assert rows[1][:3] == [1, "模范学习组织", "大同市第二中学"]
    assert rows[1][3].splitlines()[:3] == ["大同市第二中学", CAMPAIGN, "“模范学习组织”"]
    assert rows[1][4:] == ["JX2022-09-0001", "http://127.0.0.1:8000/public/verify/JX2022-09-0001/"]
    assert len(rows) == 2
    pdf = build_plaque_sheet(world.campaign, fmt="pdf", actor=world.users.province)
    assert "大同市第二中学" in pdf_text(pdf.content) and "JX2022-09-0001" in pdf_text(pdf.content)
    assert _qr_urls(pdf.content) == ["http://127.0.0.1:8000/public/verify/JX2022-09-0001/"]
    assert AuditEvent.objects.filter(action="certificate.download").count() == 2


def test_plaque_sheet_without_commended_units_is_refused(world):
    with pytest.raises(CertificateRefused, match="尚无通报表扬的单位"):
        build_plaque_sheet(world.campaign, fmt="xlsx", actor=world.users.province)


def test_commendation_page_offers_each_certificate_and_the_plaques(client, commended):
    world, (ouyang, _, _), _ = commended
    client.force_login(world.users.province)
    body = client.get(reverse("review:province_commendation")).content.decode()
    assert "后续版本" not in body
    assert "个人荣誉证书 3 份，单位奖牌 1 块" in body
    certificate = Certificate.objects.get(nomination=ouyang)
    assert reverse("review:province_certificate_pdf", args=[certificate.pk]) in body
    assert reverse("review:province_plaques_xlsx") in body and reverse("review:province_plaques_pdf") in body
    response = client.get(reverse("review:province_certificate_pdf", args=[certificate.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename=certificate-JX2022-01-0002.pdf; filename*=UTF-8''"
        "%E3%80%90%E5%AD%A6%E5%91%98%E6%A0%87%E5%85%B5%E3%80%91%E6%AC%A7%E9%98%B3%E6%99%93%E6%A2%85"
        "%EF%BC%88%E6%B8%85%E5%BE%90%E5%8E%BF%E7%AC%AC%E4%B8%80%E4%B8%AD%E5%AD%A6%EF%BC%89-%E8%AF%81%E4%B9%A6.pdf"
    )
    response = client.get(reverse("review:province_plaques_xlsx"))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _signature(content: bytes):
    """pyHanko's verdict on the PDF's one signature, the demo's certificate trusted."""
    (signature,) = PdfFileReader(io.BytesIO(content)).embedded_signatures
    cert = load_cert_from_pemder(str(signing_key().cert))
    return validate_pdf_signature(signature, ValidationContext(trust_roots=[cert]))


def _one_byte_changed(content: bytes) -> bytes:
    """The PDF with one bit of its first stream's data flipped (its structure still readable)."""
    changed = bytearray(content)
    changed[content.index(b"stream") + 20] ^= 0x01
    return bytes(changed)


def test_certificate_is_signed_and_a_changed_byte_breaks_the_signature(commended):
    world, (ouyang, _, _), _ = commended
    built = build_certificate(Certificate.objects.get(nomination=ouyang), actor=world.users.province)
    status = _signature(built.content)
    assert (status.intact, status.valid, status.trusted, status.bottom_line) == (True, True, True, True)
    assert status.signing_cert.subject.native["common_name"] == "集星演示签名（非正式）"
    broken = _signature(_one_byte_changed(built.content))
    assert (broken.intact, broken.bottom_line) == (False, False)
    # The demo's pair is made once, under the data directory's signing folder, and kept.
    assert signing_key().cert.parent == settings.SIGNING_DEMO_DIR


def test_final_list_pdf_is_signed_and_its_word_version_is_not_touched(commended):
    world, _, _ = commended
    pdf = build_commendation_notice(world.campaign, fmt=NoticeFormat.PDF, actor=world.users.province)
    assert _signature(pdf.content).bottom_line is True
    assert _signature(_one_byte_changed(pdf.content)).bottom_line is False
    assert "欧阳晓梅" in pdf_text(pdf.content)
    docx = build_commendation_notice(world.campaign, fmt=NoticeFormat.DOCX, actor=world.users.province)
    assert docx.content.startswith(b"PK")


def test_province_key_from_a_pkcs12_file_signs_instead_of_the_demo(commended, settings, tmp_path):
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import (
        BestAvailableEncryption,
        load_pem_private_key,
        pkcs12,
    )

    world, (ouyang, _, _), _ = commended
    demo = signing_key()
    key = load_pem_private_key(demo.key.read_bytes(), password=None)
    cert = x509.load_pem_x509_certificate(demo.cert.read_bytes())
    bundle = tmp_path / "province.p12"
    bundle.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"province", key, cert, None, BestAvailableEncryption(b"mima-2023")
        )
    )
    settings.SIGNING_PKCS12, settings.SIGNING_PASSPHRASE = str(bundle), "mima-2023"
    settings.SIGNING_DEMO_DIR = tmp_path / "no-demo"
    built = build_certificate(Certificate.objects.get(nomination=ouyang), actor=world.users.province)
    (signature,) = PdfFileReader(io.BytesIO(built.content)).embedded_signatures
    assert validate_pdf_signature(
        signature, ValidationContext(trust_roots=[load_cert_from_pemder(str(demo.cert))])
    ).bottom_line
    assert not (tmp_path / "no-demo").exists()
