"""Reading a file's type from its bytes, and cleaning pictures, without the web layer."""

import io

import pytest
from PIL import Image

from jixing.nominations.domain.attachments import (
    KIND_CLASSES,
    Sniffed,
    UploadRefused,
    clean_name,
    human_size,
    reencode_image,
    sniff,
)
from jixing.nominations.enums import EvidenceKind


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", ("image", "image/jpeg", "jpg")),
        (b"\x89PNG\r\n\x1a\n\x00\x00", ("image", "image/png", "png")),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", ("image", "image/webp", "webp")),
        (b"%PDF-1.7\n", ("pdf", "application/pdf", "pdf")),
        (b"\x00\x00\x00\x20ftypisom\x00\x00", ("video", "video/mp4", "mp4")),
        (b"\x00\x00\x00\x14ftypqt  \x00\x00", ("video", "video/quicktime", "mov")),
    ],
)
def test_sniff_recognises_the_allowed_types(head, expected):
    assert sniff(head) == Sniffed(*expected)


@pytest.mark.parametrize(
    "head",
    [
        b"<!doctype html><html>",
        b"GIF89a\x01\x00",
        b"PK\x03\x04",  # zip, docx, xlsx
        b"MZ\x90\x00",  # Windows executable
        b"\x00\x00\x00\x20ftypheic",  # HEIC is not taken (see module docstring)
        b" %PDF-1.4",
        b"",
    ],
)
def test_sniff_refuses_everything_else(head):
    assert sniff(head) is None


def test_every_evidence_kind_has_its_file_classes():
    assert set(KIND_CLASSES) == set(EvidenceKind.values)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("C:\\Users\\张三\\照片.jpg", "照片.jpg"),
        ("../../etc/passwd", "passwd"),
        ("a\x00b\nc.png", "abc.png"),
        ("", "未命名文件"),
        ("长" * 200 + ".pdf", "长" * 110 + ".pdf"),
    ],
)
def test_clean_name_keeps_only_a_plain_file_name(raw, clean):
    assert clean_name(raw) == clean


@pytest.mark.parametrize(
    ("size", "text"), [(10 * 1024 * 1024, "10 MB"), (1536 * 1024, "1.5 MB"), (2048, "2 KB"), (12, "12 字节")]
)
def test_human_size_reads_naturally(size, text):
    assert human_size(size) == text


def test_reencode_turns_a_rotated_photo_upright_and_drops_exif():
    image = Image.new("RGB", (40, 20), "white")
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to view
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    data, sniffed = reencode_image(out.getvalue(), Sniffed("image", "image/jpeg", "jpg"))
    clean = Image.open(io.BytesIO(data))
    assert (clean.size, dict(clean.getexif()), sniffed.content_type) == ((20, 40), {}, "image/jpeg")


def test_reencode_keeps_png_transparency():
    image = Image.new("RGBA", (10, 10), (255, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, format="PNG")
    data, _ = reencode_image(out.getvalue(), Sniffed("image", "image/png", "png"))
    assert Image.open(io.BytesIO(data)).getpixel((0, 0)) == (255, 0, 0, 0)


def test_reencode_refuses_a_picture_beyond_the_pixel_limit(settings):
    settings.UPLOAD_MAX_IMAGE_PIXELS = 99
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="PNG")
    with pytest.raises(UploadRefused, match="图片尺寸过大（10×10 像素）"):
        reencode_image(out.getvalue(), Sniffed("image", "image/png", "png"))
