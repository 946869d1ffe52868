"""Small builders for the portal's nomination tests."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from jixing.nominations.domain.starting import start_nomination


def category(world, number: int):
    return world.campaign.categories.get(number=number)


def start(world, *, user, number: int = 1, learner: str | None = "a1"):
    """A draft started through the domain, as the start page would."""
    return start_nomination(
        category=category(world, number),
        actor=user,
        learner=world.learners[learner] if learner else None,
    )


def filled_form(nomination, **overrides) -> dict:
    """A complete, valid form for the nomination's category (person or unit)."""
    data = {
        "summary": "长期坚持学习，带动全校教师参与。",
        "typed_total_points": "10000",
        "typed_annual_points": "8000",
        "activity_count": "3",
        "warn_reason": "",
        "decl_pledge": "on",
        "decl_truthful": "on",
        "decl_terminal": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def image_bytes(fmt: str = "PNG", *, exif: bool = True, size=(40, 30)) -> bytes:
    """A small picture, with camera and GPS EXIF when asked."""
    image = Image.new("RGB", size, (200, 30, 40))
    options = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "TestCam"  # Make
        data[0x0132] = "2022:12:30 10:00:00"  # DateTime
        gps = data.get_ifd(0x8825)
        gps[1], gps[2] = "N", (37.0, 52.0, 10.0)
        gps[3], gps[4] = "E", (112.0, 33.0, 5.0)
        options["exif"] = data.tobytes()
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def attach_required(nomination, user) -> None:
    """Attach every kind the category requires (pictures), through the domain."""
    from jixing.nominations.domain.attachments import add_attachment
    from jixing.nominations.domain.forms_spec import form_spec

    for kind in form_spec(nomination.category).required_evidence:
        add_attachment(
            nomination=nomination, kind=kind, upload=upload(f"{kind}.png", image_bytes()), actor=user
        )
