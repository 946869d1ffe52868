"""Re-encoding pictures within the memory budget of jixing/nominations/domain/images.py, measured.

Pillow's pixel buffers are C allocations tracemalloc cannot see, so each measurement runs in a child
process that reports its resident-set high-water mark (VmHWM) above what it held before re-encoding.
"""

import io
import json
import os
import struct
import subprocess
import sys
import threading
import time
import zlib
from pathlib import Path

import pytest
from PIL import Image

from jixing.nominations.domain.images import (
    DECODE_BUDGET,
    MAX_SIDE,
    REENCODE_PEAK_BUDGET,
    REENCODE_SLOTS,
    ImageRefused,
    decode_cost,
    reencode,
    reencode_slot,
)

MiB = 1024 * 1024
ROOT = Path(__file__).resolve().parents[3]

CHILD = r"""
import json, os, sys, threading, time
import django
django.setup()
from jixing.nominations.domain.images import ImageRefused, reencode

def status(key):
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) * 1024 for line in fh if line.startswith(key + ":"))

path, content_type, copies = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(path, "rb") as fh:
    data = fh.read()
results = []
def one():
    try:
        out, kind = reencode(data, content_type)
        results.append([kind, len(out)])
    except ImageRefused as exc:
        results.append(["refused", str(exc)])
try:
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")  # resets VmHWM to the current RSS
except OSError:
    pass  # then the peak below also counts the imports: an overestimate, still a fair test
before = status("VmRSS")
start = time.perf_counter()
threads = [threading.Thread(target=one) for _ in range(copies)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(json.dumps({"peak": status("VmHWM") - before, "seconds": time.perf_counter() - start,
                  "results": results}))
"""


def zero_png(width: int, height: int, mode: str = "RGBA") -> bytes:
    """A PNG of zeros written row by row (zlib streaming), so the test never holds the pixels itself:
    7745×7745 RGBA compresses to about 233 KB and decodes to 229 MiB."""
    bands, color_type = {"RGBA": (4, 6), "RGB": (3, 2)}[mode]

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    packer = zlib.compressobj(9)
    row = b"\x00" * (1 + width * bands)  # filter byte 0, then the row
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def measure(tmp_path: Path, data: bytes, content_type: str, copies: int = 1) -> dict:
    path = tmp_path / "picture"
    path.write_bytes(data)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "jixing.settings", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), content_type, str(copies)],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=300, check=True,
    )  # fmt: skip
    report = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"{copies}× {content_type} {len(data) // 1024} KB: peak {report['peak'] / MiB:.0f} MiB, "
          f"{report['seconds']:.1f} s, {report['results']}")  # fmt: skip
    return report


def test_zero_png_bomb_is_refused_before_decoding_within_the_budget(tmp_path):
    bomb = zero_png(7745, 7745)
    assert len(bomb) < 300 * 1024
    with Image.open(io.BytesIO(bomb)) as image:
        assert (image.size, image.mode) == ((7745, 7745), "RGBA")
    report = measure(tmp_path, bomb, "image/png")
    [(kind, message)] = report["results"]
    assert kind == "refused"
    assert message == (
        "图片尺寸过大（7745×7745 像素，解码需要 228 MB），"
        "请缩小到长边不超过 4096 像素（或另存为普通 JPG）后重新上传"
    )
    assert report["peak"] < 16 * MiB  # nothing was decoded


def test_largest_png_accepted_is_reencoded_under_the_peak_budget(tmp_path):
    side = int((DECODE_BUDGET / 4) ** 0.5)  # just inside the decode budget: 6476×6476 RGBA
    report = measure(tmp_path, zero_png(side, side), "image/png")
    [(kind, size)] = report["results"]
    assert kind == "image/png"
    assert report["peak"] < REENCODE_PEAK_BUDGET


def test_60_megapixel_jpeg_is_decoded_reduced_under_the_peak_budget(tmp_path):
    # Made in a child too: Pillow needs the whole 7745×7745 picture in memory to write it.
    path = tmp_path / "big.jpg"
    subprocess.run(
        [sys.executable, "-c", "import sys; from PIL import Image; "
         "Image.new('RGB', (7745, 7745), (90, 120, 200)).save(sys.argv[1], quality=80)", str(path)],
        check=True, timeout=120,
    )  # fmt: skip
    report = measure(tmp_path, path.read_bytes(), "image/jpeg")
    [(kind, size)] = report["results"]
    assert kind == "image/jpeg"
    assert report["peak"] < REENCODE_PEAK_BUDGET  # decoded at half scale: 3873×3873, about 106 MiB


def test_concurrent_uploads_stay_under_the_slots_times_the_budget(tmp_path):
    side = int((DECODE_BUDGET / 4) ** 0.5)
    report = measure(tmp_path, zero_png(side, side), "image/png", copies=REENCODE_SLOTS + 2)
    assert [kind for kind, _ in report["results"]] == ["image/png"] * (REENCODE_SLOTS + 2)
    assert report["peak"] < REENCODE_SLOTS * REENCODE_PEAK_BUDGET


def test_reencoded_picture_keeps_at_most_max_side_pixels_and_its_proportions():
    out = io.BytesIO()
    Image.new("RGB", (MAX_SIDE * 2 + 100, 1000), "white").save(out, format="PNG")
    data, content_type = reencode(out.getvalue(), "image/png")
    assert (Image.open(io.BytesIO(data)).size, content_type) == ((MAX_SIDE, 494), "image/png")


def test_webp_decoding_counts_libwebps_canvases_and_the_copy():
    out = io.BytesIO()
    Image.new("RGB", (300, 200), "white").save(out, format="WEBP")
    with Image.open(out) as image:
        assert decode_cost(image, full_size=image.size) == 4 * 300 * 200 * 4


def test_progressive_jpeg_decoding_counts_every_coefficient_of_the_full_picture():
    out = io.BytesIO()
    Image.new("RGB", (1600, 1200), "white").save(out, format="JPEG", progressive=True)  # 4:2:0
    with Image.open(out) as image:
        image.draft("RGB", (800, 600))
        assert image.size == (800, 600)
        coefficients = 2 * (1600 * 1200 + 2 * 800 * 600)
        assert decode_cost(image, full_size=(1600, 1200)) == 800 * 600 * 4 + coefficients


def test_no_slot_free_within_the_wait_refuses_as_busy():
    held, release = threading.Barrier(REENCODE_SLOTS + 1), threading.Event()

    def hold():
        with reencode_slot(wait=5):
            held.wait()
            release.wait(10)

    holders = [threading.Thread(target=hold) for _ in range(REENCODE_SLOTS)]
    for thread in holders:
        thread.start()
    held.wait(10)
    started = time.monotonic()
    with pytest.raises(ImageRefused, match="服务器正在处理其他图片，请稍后重新上传"):
        with reencode_slot(wait=0.3):
            pass
    assert time.monotonic() - started < 5
    release.set()
    for thread in holders:
        thread.join()
    with reencode_slot(wait=1):  # freed again
        pass
