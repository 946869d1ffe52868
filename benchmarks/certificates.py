"""What the certificates of a whole final list cost: --winners synthetic commended people (default 2,000)
rendered as one A4 landscape PDF each (serial, QR code, Noto Serif embedded and subset), each signed
(PAdES, the demo's self-signed key) and stored in a zip — the batch task's own path (certificate_batches.write_zip: CHUNK certificates per WeasyPrint
document, split per person, CERTIFICATE_WORKERS processes). Target: under 60 s for 2,000 on 2 cores.

    nice -n 19 .venv/bin/python benchmarks/certificates.py [--winners 2000] [--workers 2] [--chunk 40] [--no-sign]

Prints the time, certificates per second, the zip's size and the mean size of one certificate. No
database: the rows the task reads (one query) are not what costs. Never part of `make test`.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
import zipfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SURNAMES = [
    "王",
    "李",
    "张",
    "刘",
    "陈",
    "杨",
    "赵",
    "黄",
    "周",
    "吴",
    "欧阳",
    "司马",
    "上官",
    "贾",
    "郝",
    "潘",
    "钟",
]
GIVEN = "晓梅青云兰霞雪红建国志强丽娟海燕文博子涵思远雨桐家豪俊杰欣怡浩然梓萱"
UNITS = [
    "太原市第五中学",
    "大同市第二中学",
    "晋中市榆次区教育局",
    "长治市潞州区人民医院",
    "运城市盐湖区供电公司",
]
CATEGORIES = ["学员标兵", "优秀学员", "学习达人", "优秀组织员", "优秀管理员"]


def synthetic(n: int):
    from jixing.documents.certificates import CertificateData

    rows = []
    for i in range(n):
        if i % 97 == 0:  # names with 「·」, as the lists have them
            name = "巴依卡·凯力迪别克" if i % 2 else "阿依古丽·买买提"
        else:
            name = (
                SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)] + GIVEN[(i * 13 + 1) % len(GIVEN)]
            )
        category = 1 + i % len(CATEGORIES)
        serial = f"JX2022-{category:02d}-{i + 1:04d}"
        rows.append(
            CertificateData(
                serial=serial,
                holder=name,
                unit=UNITS[i % len(UNITS)],
                category=CATEGORIES[category - 1],
                campaign="2022年度“学习强国”山西学习之星集结活动",
                issuer="“学习强国”山西学习平台",
                issued_on=date(2023, 2, 14),
                verify_url=f"https://jixing.example.cn/public/verify/{serial}/",
            )
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--winners", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--chunk", type=int, default=0, help="certificates per document (default: CHUNK)")
    parser.add_argument("--no-sign", action="store_true", help="leave the PAdES signature out")
    args = parser.parse_args()
    for name in [k for k in os.environ if k.startswith("JIXING_") or k == "DATABASE_URL"]:
        del os.environ[name]
    work = Path(tempfile.mkdtemp(prefix="certificates-bench-"))
    os.environ.update(DJANGO_SETTINGS_MODULE="jixing.settings", JIXING_DATA_DIR=str(work))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    from jixing.announcements.domain import certificate_batches
    from jixing.documents import certificates as builder
    from jixing.documents.filenames import entry_filename
    from jixing.documents.signing import demo_pair

    if args.chunk:
        builder.CHUNK = args.chunk
    items = synthetic(args.winners)
    entries = [
        (item, entry_filename(category=item.category, name=item.holder, unit=item.unit, extension="pdf"))
        for item in items
    ]
    target = work / "certificates.zip"
    reports: list[tuple[float, int]] = []
    started, cpu_started = time.perf_counter(), os.times()
    certificate_batches.write_zip(
        target,
        entries,
        campaign_name="2022年度“学习强国”山西学习之星集结活动",
        progress=lambda done: reports.append((time.perf_counter() - started, done)),
        workers=args.workers,
        key=None if args.no_sign else demo_pair(work / "signing"),
    )
    elapsed = time.perf_counter() - started
    # The parent's CPU time and the worker processes' (counted once they have ended): what the work costs
    # whatever else the machine runs, since a loaded machine stretches the wall-clock time.
    cpu_ended = os.times()
    cpu = sum(
        getattr(cpu_ended, f) - getattr(cpu_started, f)
        for f in ("user", "system", "children_user", "children_system")
    )
    with zipfile.ZipFile(target) as archive:
        files = archive.infolist()
    size = target.stat().st_size
    print(f"certificates: {len(files)} in {elapsed:.1f} s ({len(files) / elapsed:.0f}/s), "
          f"{'unsigned' if args.no_sign else 'each signed (PAdES)'}, workers {args.workers}, "
          f"{builder.CHUNK} per document, cores {os.cpu_count()}")  # fmt: skip
    print(f"CPU: {cpu:.1f} s in all ({cpu / len(files) * 1000:.0f} ms per certificate), i.e. about "
          f"{cpu / args.workers:.0f} s of wall-clock time for {args.workers} workers on an otherwise idle machine; "
          f"load average {os.getloadavg()[0]:.1f} during this run")  # fmt: skip
    print(f"zip: {size / 1e6:.1f} MB, one certificate {size / max(1, len(files)) / 1e3:.0f} kB on average")
    print(f"first progress report after {reports[0][0]:.1f} s ({reports[0][1]} done)" if reports else "")
    print("target: under 60 s for 2,000 —", "met" if elapsed < 60 or args.winners != 2000 else "NOT met")


if __name__ == "__main__":
    main()
