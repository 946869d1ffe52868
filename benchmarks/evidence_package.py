"""What building an evidence package costs, and that its memory stays bounded: --files stored evidence files
of --size-mib each (random bytes, named .jpg, so stored as they are) plus one --large-mib file (a video),
packed by jixing.documents.evidence_package.write_package with a 报名表 (.docx, built by the real builder)
per --per-form files — time, throughput, the zip's size, Python's peak allocation (tracemalloc) and the
process's peak RSS.

    .venv/bin/python benchmarks/evidence_package.py [--files 400] [--size-mib 1] [--large-mib 300]

The files live in a temporary folder, deleted at the end. Never part of `make test`.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
import zipfile
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=400)
    parser.add_argument("--size-mib", type=int, default=1)
    parser.add_argument("--large-mib", type=int, default=300)
    parser.add_argument("--per-form", type=int, default=4)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixing.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from jixing.documents import application_form
    from jixing.documents.application_form import ApplicationForm, FormRow
    from jixing.documents.evidence_package import PackageFile, write_package

    work = Path(tempfile.mkdtemp(prefix="package-bench-"))
    try:
        sources = []
        for i in range(args.files):
            path = work / f"e{i}.jpg"
            path.write_bytes(os.urandom(args.size_mib * 1024 * 1024))
            sources.append(path)
        large = work / "video.mp4"
        with large.open("wb") as handle:
            for _ in range(args.large_mib):
                handle.write(os.urandom(1024 * 1024))
        form = ApplicationForm(
            campaign="演示活动", category="学员标兵", number="N1", name="欧阳明轩", unit="太原市第五中学",
            recommending_unit="太原市第五中学", rows=[FormRow("姓名", "欧阳明轩")], summary="事迹" * 200,
        )  # fmt: skip

        def files():
            for i, path in enumerate(sources):
                if i % args.per_form == 0:
                    yield PackageFile(f"1.学员标兵/【学员标兵】学员{i}（单位）-报名表.docx", f"N{i}", "学员标兵",
                                      f"学员{i}", "单位", "报名表", content=application_form.to_docx(form))  # fmt: skip
                yield PackageFile(f"1.学员标兵/【学员标兵】学员{i}（单位）-场景照片.jpg", f"N{i}", "学员标兵",
                                  f"学员{i}", "单位", "场景照片", source=lambda p=path: p.open("rb"))  # fmt: skip
            yield PackageFile("1.学员标兵/【学员标兵】学员（单位）-现场视频.mp4", "N0", "学员标兵", "学员", "单位",
                              "现场视频", source=lambda: large.open("rb"))  # fmt: skip

        total_mib = args.files * args.size_mib + args.large_mib
        target = work / "package.zip"
        tracemalloc.start()
        started = time.perf_counter()
        with target.open("wb") as handle:
            summary = write_package(handle, files(), when=datetime(2023, 1, 5, 9, 0))
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        with zipfile.ZipFile(target) as archive:
            assert archive.testzip() is None
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"files packed: {summary.files} ({total_mib} MiB of evidence)")
        print(f"time: {elapsed:.1f} s, {total_mib / elapsed:.0f} MiB/s")
        print(f"zip: {target.stat().st_size / 1024 / 1024:.0f} MiB")
        print(
            f"peak Python allocation while packing: {peak / 1024 / 1024:.1f} MiB; process peak RSS {rss:.0f} MiB"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
