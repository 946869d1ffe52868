"""Re-encoding an uploaded picture within a memory budget: checked before decoding, decoded small,
a bounded number at a time on each machine.

Decoding is where a picture costs memory: Pillow keeps every pixel of RGB or RGBA in 4 bytes, so a
233 KB PNG of 7745×7745 zeros becomes 229 MiB the moment it is loaded, and each copy made on the way
(turning upright, dropping metadata, flattening transparency) adds as much again. So:

1. The declared size is read from the header first (no pixel decoded): more than
   UPLOAD_MAX_IMAGE_PIXELS pixels (a setting) is refused, and so is a picture whose decoded size
   (width × height × bytes per pixel as Pillow stores it, and what the format's decoder adds, see
   decode_cost) passes DECODE_BUDGET.
2. JPEG is decoded already reduced (`Image.draft`: libjpeg scales by 1/2, 1/4 or 1/8 while decoding),
   so a 60-megapixel photo never exists at full size. PNG and WebP have no such decoder and are
   decoded whole, within DECODE_BUDGET.
3. What is kept is at most MAX_SIDE pixels on its longest side: enough to read a certificate, a
   points screenshot or a news clipping, and what a reviewer's screen shows anyway.
4. At most REENCODE_SLOTS re-encodings run at once on a machine (every web process and thread shares
   lock files); an upload waits up to SLOT_WAIT_SECONDS for a slot, then is refused as busy.

One re-encoding stays under REENCODE_PEAK_BUDGET above the process's own memory (decoded picture +
its downscaled copy + encoder; measured by tests/nominations/domain/test_image_memory.py), so all
uploads together stay under REENCODE_SLOTS × REENCODE_PEAK_BUDGET = 512 MiB on a machine.
"""

from __future__ import annotations

import fcntl
import io
import math
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageOps, UnidentifiedImageError

from jixing.refusals import Refused

MiB = 1024 * 1024
MAX_SIDE = 4096
BAND = 128  # output rows resized at a time (downscaled)
# What decoding may take (decode_cost): a PNG of 33 megapixels (5792×5792, an A4 page scanned at
# 450 dpi, any phone screenshot), a WebP of 8, a baseline JPEG of any size up to the pixel limit (decoded
# reduced), a progressive one of about 30; the 7745×7745 RGBA PNG bomb (229 MiB) is refused.
DECODE_BUDGET = 128 * MiB
# The decoding (≤ 128 MiB), the downscaled copy (≤ 64 MiB at 4096×4096), one strip of the resize and
# the encoder's state; measured at about 210 MiB for the largest PNG accepted.
REENCODE_PEAK_BUDGET = 256 * MiB
REENCODE_SLOTS = 2
SLOT_WAIT_SECONDS = 60.0
SLOT_FOLDER = Path(tempfile.gettempdir()) / f"jixing-image-slots-{os.getuid()}"
_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}


class ImageRefused(Refused):
    """A picture that is not stored; the message says why, in Chinese."""


def stored_bytes_per_pixel(mode: str) -> int:
    """Bytes per pixel of Pillow's decoded image: 1 for 1/L/P, 2 for 16-bit grey, 4 for the rest —
    3-band RGB too, which Pillow pads to 4."""
    if mode in ("1", "L", "P"):
        return 1
    if mode.startswith("I;16"):
        return 2
    return 4


def decode_cost(image: Image.Image, *, full_size: tuple[int, int]) -> int:
    """The memory decoding `image` takes, from its header alone (measured for each format): its size
    as it will be decoded (after `draft`) × bytes per pixel; four times that for WebP (libwebp's
    decoder keeps two canvases and Pillow copies the frame out as bytes before making its image); for
    a progressive JPEG, plus libjpeg's buffer of every DCT coefficient of the picture at `full_size`
    (2 bytes each, per component at its sampling), which it keeps whatever scale it decodes at."""
    width, height = image.size
    cost = width * height * stored_bytes_per_pixel(image.mode)
    if image.format == "WEBP":
        return 4 * cost
    if image.format == "JPEG" and image.info.get("progressive"):
        full_width, full_height = full_size
        # `layer` (the components' sampling) exists on JpegImageFile only, which a JPEG's image is.
        components = getattr(image, "layer", None) or [("", 1, 1, 0)] * len(image.getbands())
        h_max, v_max = max(c[1] for c in components), max(c[2] for c in components)
        cost += sum(
            2 * math.ceil(full_width * h / h_max) * math.ceil(full_height * v / v_max)
            for _, h, v, _ in components
        )
    return cost


def _fitted(size: tuple[int, int], longest: int) -> tuple[int, int]:
    width, height = size
    scale = min(1.0, longest / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def downscaled(image: Image.Image, *, longest: int = MAX_SIDE) -> Image.Image:
    """`image` at most `longest` pixels on its longest side, resized band by band.

    Pillow's resize of a whole picture holds an intermediate as tall as the source (and, with
    transparency, a premultiplied copy of all of it): up to twice the decoded size again. Resizing
    BAND output rows at a time from a strip of the source (with the filter's reach above and below)
    gives the same picture (to rounding of the 8-bit passes) while holding only the source, the result
    and one strip."""
    size = _fitted(image.size, longest)
    if size == image.size:
        return image
    out = Image.new(image.mode, size)
    palette = image.getpalette() if image.mode == "P" else None
    if palette is not None:
        out.putpalette(palette)
    scale = image.height / size[1]
    reach = math.ceil(2 * scale) + 2  # bicubic reads 2 source pixels × the scale on each side
    for top in range(0, size[1], BAND):
        bottom = min(size[1], top + BAND)
        first, last = top * scale, bottom * scale
        strip_top = max(0, math.floor(first) - reach)
        strip = image.crop((0, strip_top, image.width, min(image.height, math.ceil(last) + reach)))
        box = (0, first - strip_top, image.width, last - strip_top)
        out.paste(strip.resize((size[0], bottom - top), Image.Resampling.BICUBIC, box=box), (0, top))
    out.info = image.info
    return out


def open_within_budget(data: bytes, content_type: str) -> Image.Image:
    """The picture decoded within the budgets above (JPEG reduced while decoding), not yet downscaled.

    Raises ImageRefused for a picture too large to decode or that cannot be read."""
    try:
        image = Image.open(io.BytesIO(data), formats=[_FORMATS[content_type]])
        width, height = image.size
        if width * height > settings.UPLOAD_MAX_IMAGE_PIXELS:
            raise ImageRefused(f"图片尺寸过大（{width}×{height} 像素）")
        if image.format == "JPEG":
            # Decode at the largest 1/2, 1/4 or 1/8 scale that keeps at least MAX_SIDE / 2 pixels.
            image.draft(image.mode, _fitted(image.size, MAX_SIDE // 2))
        if (cost := decode_cost(image, full_size=(width, height))) > DECODE_BUDGET:
            raise ImageRefused(
                f"图片尺寸过大（{width}×{height} 像素，解码需要 {cost // MiB} MB），"
                f"请缩小到长边不超过 {MAX_SIDE} 像素（或另存为普通 JPG）后重新上传"
            )
        image.load()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ImageRefused("图片已损坏或无法读取") from exc
    return image


def reencode(data: bytes, content_type: str) -> tuple[bytes, str]:
    """The picture decoded and encoded again, at most MAX_SIDE pixels on its longest side, upright and
    without any metadata (EXIF, GPS, text chunks): (bytes, content type). JPEG and WebP become JPEG,
    PNG stays PNG (transparency kept). Waits for one of the machine's REENCODE_SLOTS; raises
    ImageRefused for a bad or too large picture, or when no slot frees within SLOT_WAIT_SECONDS."""
    with reencode_slot():
        image = open_within_budget(data, content_type)
        image = downscaled(image)  # the full-size pixels are released here
        ImageOps.exif_transpose(image, in_place=True)  # in place: no copy when already upright
        out = io.BytesIO()
        if content_type == "image/png":
            # Only the pixels (and palette transparency) go into the new file: no eXIf, tEXt or iTXt.
            transparency = image.info.get("transparency")
            image.info = {}
            options = {"transparency": transparency} if transparency is not None else {}
            image.save(out, format="PNG", optimize=True, **options)
            return out.getvalue(), "image/png"
        image = _flattened(image)
        image.info = {}
        image.save(out, format="JPEG", quality=90, optimize=True, exif=b"")
        return out.getvalue(), "image/jpeg"


def _flattened(image: Image.Image) -> Image.Image:
    """A picture JPEG can hold: transparency laid on white, unusual modes as RGB."""
    if image.mode in ("RGBA", "LA", "P"):
        rgba = image if image.mode == "RGBA" else image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    if image.mode not in ("RGB", "L", "CMYK"):
        return image.convert("RGB")
    return image


@contextmanager
def reencode_slot(*, wait: float | None = None) -> Iterator[None]:
    """Hold one of REENCODE_SLOTS machine-wide slots (a lock file each, flock'ed: shared by every
    process and thread, released by the kernel if the process dies). Raises ImageRefused when none
    frees within `wait` seconds (SLOT_WAIT_SECONDS by default)."""
    deadline = time.monotonic() + (SLOT_WAIT_SECONDS if wait is None else wait)
    SLOT_FOLDER.mkdir(mode=0o700, exist_ok=True)
    while (held := _take_slot()) is None:
        if time.monotonic() >= deadline:
            raise ImageRefused("服务器正在处理其他图片，请稍后重新上传")
        time.sleep(0.05)
    try:
        yield
    finally:
        os.close(held)  # closing the descriptor releases its lock


def _take_slot() -> int | None:
    for slot in range(REENCODE_SLOTS):
        fd = os.open(SLOT_FOLDER / f"{slot}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        return fd
    return None
