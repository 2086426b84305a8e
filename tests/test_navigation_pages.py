"""No dead ends: the plan page's statuses and links, the sector and bureau indexes, search, and
error pages in the site's layout and the user's language. Through the client."""

from __future__ import annotations

from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from config.change_sources import ChangeSource
from measures.models import MeasureStatus
from reporting.recompute import progress_recompute
from reporting.services import observation_record
from targets.models import Bureau


def _main(response) -> str:
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")]


def _get(client, url, language="zh-hans", **params):
    client.cookies["django_language"] = language
    return client.get(url, params)


def test_plan_page_lists_targets_and_measures_with_status_and_bureau_links(client, world, users):
    observation_record(
        source=ChangeSource.COMMAND, indicator=world["pv"], period="2020", value="300", user=users["ndrc_staff"]
    )
    observation_record(
        source=ChangeSource.COMMAND, indicator=world["pv"], period="2025", value="450", user=users["ndrc_staff"]
    )
    progress_recompute()
    client.force_login(users["leader"])
    page = _main(_get(client, reverse("dashboard:plan", args=["test-plan"])))
    assert 'class="chip status-missed">未完成' in page  # the PV target: 450 < 500 in 2025
    assert 'class="chip status-no_data">暂无数据' in page  # the PM2.5 target
    assert reverse("dashboard:target", args=[world["pv_target"].pk]) in page
    assert reverse("dashboard:measure", args=[world["pm_measure"].pk]) in page
    assert "未报告" in page  # neither measure has an update
    for bureau in ("ndrc", "eco"):
        assert f'href="{reverse("dashboard:bureau", args=[world[bureau].pk])}"' in page
    assert "不低于 500 万千瓦" in page


def test_plan_title_in_english_is_the_chinese_marked_as_such(client, world, users):
    client.force_login(users["leader"])
    page = _main(_get(client, reverse("dashboard:plan", args=["test-plan"]), "en"))
    assert '<span lang="zh-Hans">测试市碳达峰工作方案</span> <span class="lang-note">(Chinese)</span>' in page


def test_english_pages_use_the_english_names_of_indicators_and_bureaus(client, world, users):
    world["pv"].name_en = "Installed solar PV capacity"
    world["pv"].save()
    Bureau.objects.filter(pk=world["ndrc"].pk).update(name_en="Municipal Development and Reform Commission")
    client.force_login(users["leader"])
    page = _main(_get(client, reverse("dashboard:target", args=[world["pv_target"].pk]), "en"))
    assert "Installed solar PV capacity · 2025" in page and "光伏发电装机容量" not in page.split("<blockquote")[0]
    assert "Municipal Development and Reform Commission" in page
    # lists of bureaus are separated as the language writes them
    Bureau.objects.filter(pk=world["eco"].pk).update(name_en="Municipal Bureau of Ecology and Environment")
    measure = _main(_get(client, reverse("dashboard:measure", args=[world["pm_measure"].pk]), "en"))
    assert "Environment</a> (lead), <a" in measure
    chinese = _main(_get(client, reverse("dashboard:target", args=[world["pv_target"].pk])))
    assert "光伏发电装机容量 · 2025" in chinese and "Installed solar PV" not in chinese


def test_the_sector_menu_opens_the_sector_index(client, world, users):
    client.force_login(users["leader"])
    response = _get(client, reverse("dashboard:sectors"))
    assert f'<a href="{reverse("dashboard:sectors")}">领域</a>' in response.content.decode()
    page = _main(response)
    assert (
        reverse("dashboard:sector", args=["energy"]) in page
        and reverse("dashboard:sector", args=["environment"]) in page
    )
    assert "1 个目标 · 1 项任务" in page  # energy: the PV target and measure


def test_bureau_index_lists_bureaus_with_counts_filtered_by_city(client, world, users, django_assert_max_num_queries):
    client.force_login(users["leader"])
    with django_assert_max_num_queries(8):
        page = _main(_get(client, reverse("dashboard:bureaus"), city="testcity"))
    assert reverse("dashboard:bureau", args=[world["ndrc"].pk]) in page and "市生态环境局" in page
    # 市发展改革委: lead on the PV target, lead on one measure and support on the other
    row = page[page.index("市发展改革委</a>") :]
    row = row[: row.index("</tr>")]
    assert row.endswith('data-label="负责的目标">1</td><td class="inline" data-label="负责的任务">2</td>')
    assert "没有责任单位" in _main(_get(client, reverse("dashboard:bureaus"), city="nowhere"))
    assert "没有责任单位" in _main(_get(client, reverse("dashboard:bureaus"), city="no\x00where", page="-1"))


def test_bureau_index_paginates_in_the_database(client, world, users):
    Bureau.objects.bulk_create([Bureau(city=world["city"], name=f"测试局{i:03}") for i in range(60)])
    client.force_login(users["leader"])
    first = _main(_get(client, reverse("dashboard:bureaus")))
    assert first.count('href="/bureaus/') == 50 and "第1页，共2页" in first
    second = _main(_get(client, reverse("dashboard:bureaus"), page="2"))
    assert second.count('href="/bureaus/') == 12


@pytest.mark.parametrize(
    ("query", "kind", "expected"),
    [
        ("光伏", "targets", "光伏发电装机容量 · 2025"),
        ("光伏", "indicators", '2025年目标 <span class="meta">测政字〔2024〕1号</span>'),
        ("蓝天", "measures", "三（二）1 深入打好蓝天保卫战"),
        ("生态环境", "bureaus", "市生态环境局"),
        ("发展和改革局", "bureaus", "市发展改革委"),  # an alias, as a plan text misspelt it
        ("测政字", "plans", "测试市碳达峰工作方案"),
        ("三（二）", "targets", "PM2.5浓度 · 2025"),
    ],
)
def test_search_finds_each_kind_by_substring(client, world, users, query, kind, expected):
    client.force_login(users["leader"])
    page = _main(_get(client, reverse("dashboard:search"), q=query))
    group = page[page.index(f'id="group-{kind}"') :]
    group = group[: group.index("</section>")]
    assert expected in group


def test_search_shows_each_target_with_its_current_status(client, world, users):
    observation_record(
        source=ChangeSource.COMMAND, indicator=world["pv"], period="2020", value="300", user=users["ndrc_staff"]
    )
    observation_record(
        source=ChangeSource.COMMAND, indicator=world["pv"], period="2025", value="520", user=users["ndrc_staff"]
    )
    progress_recompute()
    client.force_login(users["leader"])
    page = _main(_get(client, reverse("dashboard:search"), q="2025年"))
    pv = page[page.index("光伏发电装机容量 · 2025") :]
    assert pv.index('status-achieved">已实现') < pv.index("</li>")
    pm = page[page.index("PM2.5浓度 · 2025") :]
    assert pm.index('status-no_data">暂无数据') < pm.index("</li>")


def test_search_groups_show_a_few_and_one_kind_pages_through_all(client, world, users):
    Bureau.objects.bulk_create([Bureau(city=world["city"], name=f"测试局{i:03}") for i in range(45)])
    client.force_login(users["leader"])
    page = _main(_get(client, reverse("dashboard:search"), q="测试局"))
    assert "责任单位（45）" in page and page.count('href="/bureaus/') == 5
    assert "kind=bureaus" in page
    first = _main(_get(client, reverse("dashboard:search"), q="测试局", kind="bureaus"))
    assert first.count('href="/bureaus/') == 20 and "目标（" not in first and "第1页，共3页" in first
    last = _main(_get(client, reverse("dashboard:search"), q="测试局", kind="bureaus", page="3"))
    assert last.count('href="/bureaus/') == 5


def test_search_query_count_does_not_grow_with_matches(client, world, users, django_assert_max_num_queries):
    Bureau.objects.bulk_create([Bureau(city=world["city"], name=f"测试局{i:03}") for i in range(200)])
    client.force_login(users["leader"])
    with django_assert_max_num_queries(16):
        _get(client, reverse("dashboard:search"), q="测")


def test_search_needs_a_login_and_handles_empty_and_long_queries(client, world, users, settings):
    response = client.get(reverse("dashboard:search"), {"q": "光伏"})
    assert response.status_code == 302 and reverse("login") in response["Location"]
    settings.PUBLIC_DASHBOARDS = True
    assert client.get(reverse("dashboard:search"), {"q": "光伏"}).status_code == 200
    client.force_login(users["leader"])
    assert "共找到" not in _main(_get(client, reverse("dashboard:search"), q="   "))
    assert _get(client, reverse("dashboard:search"), q="光" * 500, kind="nonsense").status_code == 200
    assert _get(client, reverse("dashboard:search"), q="光\x00伏", kind="targets", page="x").status_code == 200
    english = _main(_get(client, reverse("dashboard:search"), "en", q="光伏"))
    assert "Installed" not in english and "result" in english


def test_search_escapes_the_query(client, world, users):
    client.force_login(users["leader"])
    page = _main(_get(client, reverse("dashboard:search"), q="<script>x</script>"))
    assert "<script>x" not in page and "&lt;script&gt;x" in page


@pytest.mark.parametrize(
    ("language", "title", "reason"),
    [
        # The service's refusal, the same words as the API's and the import's.
        ("zh-hans", "无权访问", "您无权填报“光伏发电装机容量”的数据。"),
        ("en", "Access denied", "You are not allowed to report data for"),
    ],
)
def test_403_in_the_site_layout_and_language(client, world, users, language, title, reason):
    client.force_login(users["eco_staff"])
    client.cookies["django_language"] = language
    url = reverse("entry:observation_create", args=[world["pv"].pk])
    response = client.post(url, {"period": "2024", "value": "400"})
    assert response.status_code == 403
    page = response.content.decode()
    assert 'class="site-header"' in page and f"<h1>{title}</h1>" in page and reason in page
    assert f'href="{reverse("dashboard:home")}"' in _main(response)
    assert f'lang="{"en" if language == "en" else "zh-hans"}"' in page
    assert not world["pv"].observations.exists()


@pytest.mark.parametrize(("language", "title"), [("zh-hans", "页面不存在"), ("en", "Page not found")])
def test_404_in_the_site_layout_and_language(client, world, users, language, title):
    client.force_login(users["leader"])
    client.cookies["django_language"] = language
    response = client.get(reverse("dashboard:target", args=[999999]))
    assert response.status_code == 404
    page = response.content.decode()
    assert 'class="site-header"' in page and f"<h1>{title}</h1>" in page
    main = _main(response)
    assert reverse("dashboard:search") in main and f'href="{reverse("dashboard:home")}"' in main


@pytest.mark.parametrize(("language", "title"), [("zh-hans", "服务器出错"), ("en", "Server error")])
def test_500_in_the_site_layout_even_when_the_context_processors_fail(world, users, language, title):
    client = Client(raise_request_exception=False)
    client.force_login(users["leader"])
    client.cookies["django_language"] = language
    with (
        mock.patch("dashboard.views.target_figure", side_effect=RuntimeError("boom")),
        mock.patch("reporting.context_processors.data_version", side_effect=RuntimeError("cache down")),
    ):
        response = client.get(reverse("dashboard:target", args=[world["pv_target"].pk]))
    assert response.status_code == 500
    page = response.content.decode()
    assert 'class="site-header"' in page and f"<h1>{title}</h1>" in page
    assert f'href="{reverse("dashboard:home")}"' in _main(response) and "boom" not in page


@pytest.mark.parametrize(
    ("language", "options"), [("zh-hans", ["推进中", "已完成"]), ("en", ["In progress", "Completed"])]
)
def test_measure_update_status_options_are_in_the_page_language(client, world, users, language, options):
    MeasureStatus.objects.filter(code="in_progress").update(name_en="In progress")
    MeasureStatus.objects.filter(code="completed").update(name_en="Completed")
    client.force_login(users["ndrc_staff"])
    page = _get(client, reverse("entry:measure_update_create", args=[world["pv_measure"].pk]), language)
    text = page.content.decode()
    for option in options:
        assert f">{option}</option>" in text
