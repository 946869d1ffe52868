"""A province admin uploads a 1,500,000-row 积分快照 and watches it import: the bar moves, then the result.

The upload is a background job, so this test runs what production runs: the live server enqueues with the
database backend, and a real `jixing db_worker` — a separate process on the same test database and the
same files — picks the job up and imports it. The page polls the job's panel (htmx, every second) and the
test reads the bar's value as the user sees it.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from jixing.accounts.enums import UserRole
from jixing.imports.enums import JobState
from jixing.imports.models import ImportJob
from jixing.people.models import Snapshot
from tests.browser.test_walkthrough import enrol_authenticator, log_in
from tests.factories import make_small_province, make_user
from tests.processes import database_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Enough rows for the page (it polls once a second) to see the bar at several places: both databases'
# bulk paths take 300,000 rows in about a second.
ROWS = 1_500_000
UNITS = ["TY-QX-S1", "TY-QX-S1-D1", "DT-S2"]  # make_small_province's units and department
PHONE = {"width": 390, "height": 844}
IMPORT_TIMEOUT = 180  # seconds; about 15 s on this project's machine


def write_snapshot(path: Path, rows: int) -> None:
    """A snapshot file the way the platform exports it: synthetic people, phones in the 100 range (no
    carrier's), no ID numbers (allowed when the phone is given)."""
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["学号", "姓名", "手机号", "身份证号", "组织编码", "总积分", "年度积分"])
        for n in range(rows):
            total = 10_000 + (n * 7919) % 50_000
            writer.writerow([f"L{n:07d}", f"学员{n}", f"100{n:08d}", "", UNITS[n % 3], total, total // 3])


@pytest.fixture
def worker(live_server, media_root, settings, tmp_path) -> Iterator[Path]:
    """`jixing db_worker` in its own process; yields its log file. Stopped (and killed if need be) after."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "JIXING_MEDIA_ROOT": str(media_root),
        "JIXING_TASKS_BACKEND": "database",
        # The importer's scratch folders of its own: an import of another run sharing var/ (another test
        # run, on another database) clears the scratch folders it takes for abandoned ones.
        "JIXING_DATA_DIR": str(tmp_path / "data"),
    }
    command = [sys.executable, "-m", "jixing.cli", "db_worker", "--no-reload", "--no-startup-delay"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "--interval", "0.2"], env=env, stdout=out, stderr=subprocess.STDOUT
        )
        try:
            yield log
        finally:
            process.terminate()  # the worker ends its current task first (there should be none left)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_a_large_snapshot_imports_in_the_background_with_a_moving_bar(
    browser, live_server, media_root, worker, screenshots, tmp_path
):
    tree = make_small_province()
    make_user(username="province", role=UserRole.PROVINCE_ADMIN, org=tree["province"], is_staff=True)
    source = tmp_path / "基准积分.csv"
    rows = ROWS
    write_snapshot(source, rows)

    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, device_scale_factor=2, has_touch=True, locale="zh-CN",
        timezone_id="Asia/Shanghai",
    )  # fmt: skip
    context.set_default_timeout(20_000)
    page = context.new_page()
    log_in(page, "province")
    enrol_authenticator(page, "province")
    page.get_by_role("link", name="数据导入").click()
    page.get_by_label("积分快照").check()
    page.get_by_label("快照名称").fill("2023年1月3日基准积分")
    page.get_by_label("文件（CSV 或 XLSX）").set_input_files(str(source))
    page.get_by_role("button", name="上传并导入").click()
    expect(page.get_by_role("heading", name="积分快照导入 · 基准积分.csv")).to_be_visible()

    values: list[int] = []
    result = page.get_by_text(f"积分快照“2023年1月3日基准积分”导入完成：{rows} 名学员，已设为当前快照")
    deadline = time.monotonic() + IMPORT_TIMEOUT
    shot_taken = False
    problem = page.locator(".import-job .errors")
    while not result.is_visible():
        if problem.count():
            pytest.fail(
                f"导入未成功：{problem.inner_text()}；后台任务进程日志：\n{worker.read_text()[-3000:]}"
            )
        if time.monotonic() > deadline:
            pytest.fail(f"导入 {IMPORT_TIMEOUT} 秒内未完成；后台任务进程日志：\n{worker.read_text()[-3000:]}")
        # One read in the page: the panel may swap the bar away (the import done) between a count and a
        # read of its attribute, which then waited for a bar that no longer comes.
        value = page.evaluate(
            "() => document.querySelector('progress.job-bar')?.getAttribute('value') ?? null"
        )
        if value is not None and (not values or int(value) != values[-1]):
            values.append(int(value))
            if not shot_taken and 0 < int(value) < 100:
                page.screenshot(path=screenshots / "01-progress.png")
                shot_taken = True
        time.sleep(0.2)
    page.screenshot(path=screenshots / "02-result.png")
    print(f"导入进度条的取值 / bar values seen: {values}")

    assert len(values) >= 2, f"the bar was seen at {values}"
    assert values == sorted(values), f"the bar went backwards: {values}"
    assert values[0] < values[-1]
    expect(page.locator("progress.job-bar")).to_have_count(0)  # finished: the panel stopped polling
    job = ImportJob.objects.get()
    assert (job.state, job.done, job.file.name) == (JobState.DONE, rows, "")
    assert Snapshot.objects.get(is_current=True).row_count == rows
    assert list((media_root / "imports").iterdir()) == []  # the upload went with the job
    context.close()
