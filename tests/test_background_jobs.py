"""Background jobs through the test client: an import confirmed, the annual PDF and a large
export, each queued, its progress as JSON, done, downloaded; private to whoever asked."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from documents import report_jobs
from jobs.models import BackgroundJob, StashedUpload
from jobs.services import job_create, job_progress_set, job_run
from reporting.models import Observation
from targets.models import TargetResponsibility
from tests.documents.conftest import record

UPLOAD = "entry:observation_upload"
GOOD = (
    "city,indicator_code,period,value,note\n"
    "测试市,pm25_concentration,2022,38.2,快报\n"
    "测试市,pm25_concentration,2023,36,\n"
)


@pytest.fixture
def leader_client(users) -> Client:
    """A client of its own, so a test can act as two users at once."""
    leader = Client()
    leader.force_login(users["leader"])
    return leader


def _preview(client, text: str = GOOD) -> str:
    response = client.post(reverse(UPLOAD), {"file": SimpleUploadedFile("data.csv", text.encode(), "text/csv")})
    assert response.status_code == 200
    return response.context["digest"]


def _body(response) -> bytes:
    return response.getvalue()


def test_confirmed_import_is_a_job_whose_page_shows_the_result(client, world, users):
    client.force_login(users["eco_staff"])
    digest = _preview(client)
    stash = StashedUpload.objects.get()
    assert stash.owner == users["eco_staff"] and stash.file.storage.exists(stash.file.name)
    assert not Observation.objects.exists(), "a preview stores nothing"

    response = client.post(reverse(UPLOAD), {"action": "confirm", "digest": digest})

    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.kind, job.status, job.source_name) == ("observation_import", "done", "data.csv")
    assert job.owner == users["eco_staff"]
    assert not StashedUpload.objects.exists() and not stash.file.storage.exists(stash.file.name)
    stored = sorted(Observation.objects.values_list("period", "value"))
    assert stored == [("2022", Decimal("38.2")), ("2023", Decimal("36"))]
    assert all(o.entered_by == users["eco_staff"] for o in Observation.objects.all())

    page = client.get(response["Location"])
    assert page.status_code == 200 and "private" in page["Cache-Control"]
    html = page.content.decode()
    assert "已完成" in html and "已导入2行：新增2，更新0，未变0。" in html
    assert 'id="job-progress"' not in html and 'http-equiv="refresh"' not in html  # nothing left to wait for
    assert "<script" in html and "jobs/job-progress.js" in html and "<script>" not in html  # no inline script

    state = client.get(reverse("jobs:status", args=[job.pk])).json()
    figures = (state["status"], state["finished"], state["percent"], state["done"], state["total"])
    assert figures == ("done", True, 100, 2, 2)
    assert job.outcome["counts"] == {"created": 2, "updated": 0, "unchanged": 0}

    # The same file again: every row unchanged, nothing written.
    client.post(reverse(UPLOAD), {"action": "confirm", "digest": _preview(client)})
    again = BackgroundJob.objects.exclude(pk=job.pk).get()
    assert again.outcome["counts"] == {"created": 0, "updated": 0, "unchanged": 2}


def test_a_confirm_with_another_digest_imports_nothing(client, world, users):
    client.force_login(users["eco_staff"])
    _preview(client)
    response = client.post(reverse(UPLOAD), {"action": "confirm", "digest": "0" * 64}, follow=True)
    assert "没有待确认的文件" in response.content.decode()
    assert not BackgroundJob.objects.exists() and not Observation.objects.exists()
    assert not StashedUpload.objects.exists(), "a refused confirm drops the stash"


def test_a_queued_job_reports_progress_as_json_and_the_page_waits(client, world, users):
    client.force_login(users["eco_staff"])
    job = job_create(kind="observation_import", params={}, owner=users["eco_staff"], source=(GOOD.encode(), "x.csv"))
    status_url = reverse("jobs:status", args=[job.pk])
    assert client.get(status_url).json() | {"id": ""} == {
        "id": "", "status": "queued", "status_label": "排队中", "finished": False, "done": 0, "total": 0,
        "percent": 0, "stage": "", "message": "", "download_url": None,
    }  # fmt: skip
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'id="job-progress"' in page and 'data-status-url="' + status_url + '"' in page
    assert '<noscript><meta http-equiv="refresh"' in page  # without JavaScript the page reloads itself

    # While it runs (inside the import's transaction), progress reaches the page through the cache.
    BackgroundJob.objects.filter(pk=job.pk).update(status="running")
    job_progress_set(job_id=job.pk, done=500, total=2000, stage="正在写入")
    state = client.get(status_url).json()
    assert (state["status"], state["done"], state["total"], state["percent"], state["stage"]) == (
        "running",
        500,
        2000,
        25,
        "正在写入",
    )

    job_run(job_id=job.pk)  # what a worker does with the task (a redelivered running job runs afresh)
    assert client.get(status_url).json()["status"] == "done"
    assert Observation.objects.count() == 2


def test_another_user_cannot_see_or_download_a_job(client, world, users):
    leader_job = job_create(kind="export", params={}, owner=users["leader"])
    client.force_login(users["eco_staff"])
    mine = job_create(kind="observation_import", params={}, owner=users["eco_staff"], source=(b"x", "x.csv"))
    for url in ("jobs:detail", "jobs:status", "jobs:download"):
        assert client.get(reverse(url, args=[leader_job.pk])).status_code == 404
    client.force_login(users["ndrc_staff"])
    for url in ("jobs:detail", "jobs:status", "jobs:download"):
        assert client.get(reverse(url, args=[mine.pk])).status_code == 404
    client.logout()
    response = client.get(reverse("jobs:detail", args=[mine.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_an_import_that_no_longer_passes_fails_with_its_message_and_stores_nothing(client, world, users):
    client.force_login(users["eco_staff"])
    digest = _preview(client)
    # Between preview and confirm the bureau loses the indicator.
    TargetResponsibility.objects.filter(bureau=world["eco"]).delete()
    response = client.post(reverse(UPLOAD), {"action": "confirm", "digest": digest}, follow=True)

    job = BackgroundJob.objects.get()
    assert job.status == "failed" and job.message == "文件未通过校验，未保存任何数据。"
    assert job.outcome["problem_count"] == 2 and "无权" in job.outcome["problems"][0]
    html = response.content.decode()
    assert "失败" in html and "文件未通过校验，未保存任何数据。" in html and "第2行" in html and "第3行" in html
    assert not Observation.objects.exists()
    assert client.get(reverse("jobs:status", args=[job.pk])).json()["message"] == job.message
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_an_internal_error_fails_the_job_with_a_message_not_a_500(leader_client, four_plans, monkeypatch):
    def broken(html: str) -> bytes:
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(report_jobs, "html_to_pdf", broken)
    response = leader_client.get("/reports/cities/zibo/2024.pdf", follow=True)
    assert response.status_code == 200
    assert "任务因内部错误失败" in response.content.decode()
    job = BackgroundJob.objects.get()
    assert job.status == "failed" and not job.result
    # A failed job is never handed out again: the next request tries anew.
    monkeypatch.undo()
    response = leader_client.get("/reports/cities/zibo/2024.pdf")
    assert BackgroundJob.objects.count() == 2
    assert response["Location"] == reverse("jobs:download", args=[BackgroundJob.objects.get(status="done").pk])


@pytest.fixture
def large_exports(settings):
    settings.EXPORT_DIRECT_ROWS = 0  # every export goes through a job


def test_a_large_export_is_a_job_and_its_download_is_the_file(leader_client, world, users, large_exports):
    record(world["pv"], "2021", "310", users["admin"])
    response = leader_client.get("/reports/export/cities/testcity/observations.csv")
    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:download", args=[job.pk])
    download = leader_client.get(response["Location"])
    assert download.status_code == 200 and "private" in download["Cache-Control"]
    assert download["Content-Disposition"] == 'attachment; filename="testcity-observations.csv"'
    rows = _body(download).decode("utf-8-sig").splitlines()
    assert rows == ["city,indicator_code,period,value,note", "测试市,pv_installed_capacity,2021,310,"]
    assert job.params["format"] == "csv" and job.params["kind"] == "observations"
    page = leader_client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert reverse("jobs:download", args=[job.pk]) in page and "testcity-observations.csv" in page


def test_a_finished_report_is_handed_out_again_until_the_data_changes(
    leader_client, client, world, users, large_exports, monkeypatch
):
    made: list[str] = []
    real = report_jobs.export_file
    monkeypatch.setattr(report_jobs, "export_file", lambda *args: made.append("x") or real(*args))
    url = "/reports/export/cities/testcity.xlsx"
    first = leader_client.get(url)
    assert leader_client.get(url)["Location"] == first["Location"] and len(made) == 1  # the same job

    client.force_login(users["admin"])
    other = client.get(url)
    assert other["Location"] != first["Location"] and len(made) == 1  # the admin's own job, the same file
    jobs = list(BackgroundJob.objects.order_by("created_at"))
    assert [j.owner for j in jobs] == [users["leader"], users["admin"]]
    assert jobs[0].result.name == jobs[1].result.name
    assert _body(client.get(other["Location"])) == _body(leader_client.get(first["Location"]))

    record(world["pv"], "2021", "310", users["admin"])  # new data: a new file
    assert leader_client.get(url)["Location"] != first["Location"] and len(made) == 2


def test_public_dashboards_let_visitors_make_an_export_but_not_see_others_jobs(client, world, users, settings):
    settings.PUBLIC_DASHBOARDS = True
    settings.EXPORT_DIRECT_ROWS = 0
    response = client.get("/reports/export/cities/testcity/targets.csv")
    job = BackgroundJob.objects.get()
    assert job.owner is None and response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    leaders = job_create(kind="export", params={}, owner=users["leader"])
    assert client.get(reverse("jobs:download", args=[leaders.pk])).status_code == 302  # to the login page
    settings.PUBLIC_DASHBOARDS = False
    assert client.get(response["Location"]).status_code == 302  # public no more: the file neither


def test_my_jobs_lists_only_my_own(client, world, users):
    job_create(kind="observation_import", params={}, owner=users["eco_staff"], source=(b"x", "mine.csv"))
    job_create(kind="observation_import", params={}, owner=users["ndrc_staff"], source=(b"x", "theirs.csv"))
    client.force_login(users["eco_staff"])
    page = client.get(reverse("jobs:list"))
    assert page.status_code == 200 and "private" in page["Cache-Control"]
    assert page.content.decode().count("导入观测数据") == 1


def test_uploads_wait_in_the_storage_not_in_the_session(client, users):
    import yaml

    from targets.models import Plan
    from tests.test_plan_loader import readme_example

    client.force_login(users["admin"])
    raw = yaml.safe_dump(readme_example(), allow_unicode=True).encode()
    url = reverse("admin:targets_plan_upload")
    response = client.post(url, {"file": SimpleUploadedFile("rizhao.yaml", raw, "application/x-yaml")})
    stash = StashedUpload.objects.get()
    assert (stash.purpose, stash.name, stash.owner) == ("plan_upload", "rizhao.yaml", users["admin"])
    with stash.file.open("rb") as handle:
        assert handle.read() == raw
    assert client.session["stash:plan_upload"] == str(stash.pk)  # the session holds an id, not the file
    assert all(len(str(value)) < 100 for value in client.session.values())

    # The stashed file is what is applied; a stash whose file was lost asks for the file again.
    client.post(url, {"action": "apply", "digest": response.context["digest"]})
    assert Plan.objects.filter(code="rizhao-carbon-peaking").exists() and not StashedUpload.objects.exists()
    response = client.post(url, {"file": SimpleUploadedFile("rizhao.yaml", raw, "application/x-yaml")})
    stash = StashedUpload.objects.get()
    stash.file.storage.delete(stash.file.name)
    client.post(url, {"action": "apply", "digest": response.context["digest"]})
    assert not StashedUpload.objects.exists()


@pytest.fixture
def back_to_chinese():
    yield
    translation.deactivate()  # the English request left English active in this thread


def test_the_job_page_speaks_english_after_the_switch(client, world, users, back_to_chinese):
    client.force_login(users["eco_staff"])
    job = job_create(kind="observation_import", params={}, owner=users["eco_staff"], source=(GOOD.encode(), "x.csv"))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Import of observations" in page and "Queued" in page and "You may leave this page" in page
    assert client.get(reverse("jobs:status", args=[job.pk])).json()["status_label"] == "Queued"
