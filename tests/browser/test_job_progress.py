"""An import confirmed in a real browser: the job page polls its status, shows the progress,
and shows the result when the job finishes, with no inline script (the page's JS is a static file)."""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import expect

from jobs import queue
from jobs import views as job_views
from jobs.models import BackgroundJob
from jobs.services import job_create, job_progress_set, job_run
from reporting.models import Observation
from tests.browser.conftest import login

CSV = (
    "city,indicator_code,period,value,note\n"
    "测试市,pm25_concentration,2022,38.2,快报\n"
    "测试市,pm25_concentration,2023,36,\n"
)
SHOTS = Path(os.environ["JOB_SHOTS_DIR"]) if os.environ.get("JOB_SHOTS_DIR") else None


def _shot(page, name: str) -> None:
    if SHOTS is not None:  # screenshots at both widths for a person to look at
        SHOTS.mkdir(parents=True, exist_ok=True)
        for width in (1366, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
        page.set_viewport_size({"width": 1366, "height": 900})


def test_confirmed_import_shows_progress_then_the_result(transactional_db, page, world, users, tmp_path, monkeypatch):
    # Hold the job back, as a busy queue would, so the page has something to wait for.
    held: list[object] = []
    monkeypatch.setattr(queue, "_send", held.append)
    # The page polls every half second, not every two, so the two polls this test waits for come sooner.
    monkeypatch.setattr(job_views, "POLL_SECONDS", 0.5)
    upload = tmp_path / "data.csv"
    upload.write_text(CSV, encoding="utf-8")
    browser = page.page
    login(browser, "eco")
    browser.goto("/entry/observations/upload/")
    browser.set_input_files("#id_file", str(upload))
    browser.click("form.stacked button[type=submit]")
    browser.wait_for_selector("#upload-preview")
    browser.click("button:has-text('确认导入')")
    browser.wait_for_url("**/jobs/*/")

    job = BackgroundJob.objects.get()
    assert held == [job.pk] and job.status == "queued"
    assert browser.locator("#job-status").inner_text() == "排队中"
    assert browser.locator("#job-progress").count() == 1

    BackgroundJob.objects.filter(pk=job.pk).update(status="running")
    job_progress_set(job_id=job.pk, done=1, total=2, stage="正在写入")
    # a locator wait, not wait_for_function: the page's policy refuses evaluating strings
    expect(browser.locator("#job-progress-text")).to_contain_text("50%")
    assert browser.locator("#job-status").inner_text() == "进行中"
    assert browser.eval_on_selector("#job-progress", "bar => [bar.value, bar.max]") == [1, 2]
    _shot(browser, "job-running")

    job_run(job_id=job.pk)  # the worker's part
    browser.wait_for_selector(".job-counts", timeout=20_000)  # the poller saw it finish and reloaded
    assert browser.locator("#job-status").inner_text() == "已完成"
    assert "已导入2行：新增2，更新0，未变0。" in browser.inner_text("main")
    assert browser.locator("#job-progress").count() == 0
    assert Observation.objects.count() == 2
    _shot(browser, "job-done")
    page.shot("job-import-done")


def test_a_failed_import_shows_its_message_and_rows(transactional_db, page, world, users):
    bad = "city,indicator_code,period,value,note\n测试市,pv_installed_capacity,2022,1,\n"
    job = job_create(kind="observation_import", params={}, owner=users["eco_staff"], source=(bad.encode(), "bad.csv"))
    job_run(job_id=job.pk)
    login(page.page, "eco")
    page.page.goto(f"/jobs/{job.pk}/")
    assert page.page.locator("#job-status").inner_text() == "失败"
    assert "文件未通过校验，未保存任何数据。" in page.page.inner_text("[role=alert]")
    assert "第2行" in page.page.inner_text("#job-problems") and "无权" in page.page.inner_text("#job-problems")
    _shot(page.page, "job-failed")
    page.page.goto("/jobs/")
    _shot(page.page, "job-list")


def test_a_finished_export_job_offers_its_file(transactional_db, page, world, users, settings):
    settings.EXPORT_DIRECT_ROWS = 0  # every export through a job
    login(page.page, "leader")
    page.page.goto("/cities/testcity/")
    with page.page.expect_download() as download:
        page.page.click("a:has-text('Excel工作簿')")  # redirected to the finished job's file
    assert download.value.suggested_filename == "testcity.xlsx"
    job = BackgroundJob.objects.get()
    page.page.goto(f"/jobs/{job.pk}/")
    assert page.page.inner_text("h1") == "导出：Excel工作簿（测试市）"
    assert page.page.locator("#job-status").inner_text() == "已完成"
    assert page.page.get_attribute("#job-download", "href") == f"/jobs/{job.pk}/download/"
    _shot(page.page, "job-export-done")
