"""Excel and CSV exports: the files hold what the list pages show, with the pages' filters."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.template.loader import render_to_string

from config.table_files import csv_cell, csv_file, records_text
from measures.list_selectors import MeasureFilters
from measures.models import Measure, MeasureStatus, MeasureUpdate
from reporting.recompute import progress_recompute
from reporting.statuses import STATUS_COLOURS
from tests.documents.conftest import data_rows, record, workbook

TARGET_HEADER = [
    "代码", "条款", "领域", "指标", "类型", "比较方式", "目标值", "单位", "基准年", "起始年", "基准值", "目标年",
    "目标水平", "最新值", "最新期间", "已完成进度%", "应完成进度%", "状态", "责任单位", "规划原文",
]  # fmt: skip
MEASURE_HEADER = [
    "城市", "规划", "条款", "任务", "领域", "牵头单位", "配合单位", "完成时限", "时限状态", "最新状态", "完成百分比",
    "进展说明",
]  # fmt: skip
IMPORT_HEADER = ["city", "indicator_code", "period", "value", "note"]


@pytest.fixture
def observed(world, users):
    """PV reaches 520 of its 500 (achieved); PM2.5 has one value (no trend: no data)."""
    record(world["pv"], "2021", "310", users["admin"])
    record(world["pv"], "2023", "520", users["admin"])
    record(world["pm"], "2021", "40.5", users["admin"], note="快报")
    progress_recompute()
    return world


def _csv_rows(response) -> list[list[str]]:
    import csv

    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte order mark, for Excel"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_city_workbook_holds_what_the_city_page_shows(leader_client, observed):
    page = leader_client.get("/cities/testcity/")
    book = workbook(leader_client.get("/reports/export/cities/testcity.xlsx"))

    assert book.sheetnames == ["测试市碳达峰工作方案", "重点任务", "观测值"]
    sheet = book["测试市碳达峰工作方案"]
    assert [c.value for c in sheet[1]] == TARGET_HEADER
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:T3"
    rows = {row[0]: dict(zip(TARGET_HEADER, row, strict=True)) for row in data_rows(sheet)}
    assert len(rows) == len(page.context["rows"]) == 2
    pv = rows["pv-2025"]
    assert pv["条款"] == "三（一）1" and pv["领域"] == "能源" and pv["指标"] == "光伏发电装机容量"
    assert (pv["类型"], pv["比较方式"], pv["目标值"], pv["单位"]) == ("水平值", "不低于", 500, "万千瓦")
    assert pv["目标年"] == 2025
    # a level target starts at the first observation: (520 − 310) / (500 − 310) = 110.5 %; 2 of 4 years = 50 %
    assert (pv["基准值"], pv["最新值"], pv["最新期间"]) == (310, 520, "2023")
    assert (pv["已完成进度%"], pv["应完成进度%"], pv["状态"]) == (110.5, 50.0, "已实现")
    assert pv["责任单位"] == "市发展改革委（牵头）"
    assert pv["规划原文"] == "到2025年，光伏装机达到500万千瓦"
    assert rows["pm-2025"]["状态"] == "暂无数据"

    status_column = TARGET_HEADER.index("状态") + 1
    fills = {row[0].value: row[status_column - 1].fill.fgColor.rgb[-6:] for row in sheet.iter_rows(min_row=2)}
    assert fills == {"pv-2025": "1A7F37", "pm-2025": "57606A"}
    # the workbook reads the one status vocabulary that the pages and charts read
    assert STATUS_COLOURS["achieved"] == "#1a7f37" and STATUS_COLOURS["no_data"] == "#57606a"
    # widths: the code column fits "pv-2025" (7) plus 2; the quoted clause is wide and wrapped
    assert sheet.column_dimensions["A"].width == 9
    assert sheet.column_dimensions["T"].width == 60 and sheet["T2"].alignment.wrap_text
    # styles are worked out once per sheet and shared: every cell of a kind has its style
    assert all(c.font.bold and c.fill.fgColor.rgb[-6:] == "EAEEF2" for c in sheet[1])
    assert all(row[status_column - 1].font.bold for row in sheet.iter_rows(min_row=2))
    assert [sheet[f"T{n}"].alignment.wrap_text for n in (2, 3)] == [True, True]
    assert not sheet["S2"].alignment.wrap_text and not sheet["S2"].font.bold

    measures = book["重点任务"]
    assert [c.value for c in measures[1]] == MEASURE_HEADER and measures.freeze_panes == "A2"
    by_section = {row[2]: row for row in data_rows(measures)}
    assert sorted(by_section) == ["三（一）1", "三（二）1"]
    assert by_section["三（二）1"][5:7] == ("市生态环境局", "市发展改革委")
    assert by_section["三（二）1"][9] == "未报告"
    assert [measures[f"D{n}"].alignment.wrap_text for n in (2, 3)] == [True, True]

    observations = book["观测值"]
    assert [c.value for c in observations[1]] == IMPORT_HEADER
    assert [tuple(v or "" for v in row) for row in data_rows(observations)] == [
        ("测试市", "pm25_concentration", "2021", 40.5, "快报"),
        ("测试市", "pv_installed_capacity", "2021", 310, ""),
        ("测试市", "pv_installed_capacity", "2023", 520, ""),
    ]


def test_city_export_honours_the_page_filters(leader_client, observed):
    achieved = leader_client.get("/cities/testcity/?status=achieved")
    book = workbook(leader_client.get("/reports/export/cities/testcity.xlsx?status=achieved"))
    assert [r[0] for r in data_rows(book["测试市碳达峰工作方案"])] == ["pv-2025"]
    assert [r.target.code for r in achieved.context["rows"]] == ["pv-2025"]
    # the observations follow the exported targets: PM2.5's value is not in it
    assert {r[1] for r in data_rows(book["观测值"])} == {"pv_installed_capacity"}

    eco = observed["eco"].pk
    page = leader_client.get(f"/cities/testcity/?bureau={eco}")
    rows = _csv_rows(leader_client.get(f"/reports/export/cities/testcity/targets.csv?bureau={eco}"))
    assert [r[2] for r in rows[1:]] == [r.target.code for r in page.context["rows"]] == ["pm-2025"]
    measures = _csv_rows(leader_client.get(f"/reports/export/cities/testcity/measures.csv?bureau={eco}"))
    assert [r[2] for r in measures[1:]] == ["三（二）1"]


def test_workbook_counts_match_the_city_page_for_the_four_plans(leader_client, four_plans):
    for query, sheets in [
        ("", ["淄博市碳达峰工作方案", "淄博市减污降碳协同增效实施方案", "重点任务", "观测值"]),
        ("?target_year=2030", ["淄博市碳达峰工作方案", "淄博市减污降碳协同增效实施方案", "重点任务", "观测值"]),
        ("?plan=zibo-pollution-carbon-synergy", ["淄博市减污降碳协同增效实施方案", "重点任务", "观测值"]),
    ]:
        page = leader_client.get(f"/cities/zibo/{query}")
        book = workbook(leader_client.get(f"/reports/export/cities/zibo.xlsx{query}"))
        assert book.sheetnames == sheets, query
        exported = sum(len(data_rows(book[name])) for name in sheets[:-2])
        assert exported == len(page.context["rows"]) > 0, query
        measures = Measure.objects.filter(plan__city__code="zibo")
        if "plan=" in query:
            measures = measures.filter(plan__code="zibo-pollution-carbon-synergy")
        assert len(data_rows(book["重点任务"])) == measures.count(), query


def test_csv_files_are_utf8_with_a_bom_and_the_pages_rows(leader_client, observed):
    targets = _csv_rows(leader_client.get("/reports/export/cities/testcity/targets.csv"))
    assert targets[0] == ["城市", "规划", *TARGET_HEADER]
    assert [(r[0], r[1], r[2]) for r in targets[1:]] == [
        ("测试市", "测政字〔2024〕1号", "pv-2025"),
        ("测试市", "测政字〔2024〕1号", "pm-2025"),
    ]
    response = leader_client.get("/reports/export/cities/testcity/observations.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="testcity-observations.csv"'
    assert response.content.decode("utf-8-sig") == (
        "city,indicator_code,period,value,note\r\n"
        "测试市,pm25_concentration,2021,40.5,快报\r\n"
        "测试市,pv_installed_capacity,2021,310,\r\n"
        "测试市,pv_installed_capacity,2023,520,\r\n"
    )


def test_text_that_excel_would_run_is_never_a_formula(leader_client, observed, users):
    record(observed["pv"], "2022", "400", users["admin"], note='=HYPERLINK("http://example.com","x")')
    body = leader_client.get("/reports/export/cities/testcity/observations.csv").content.decode("utf-8-sig")
    assert '2022,400,"\'=HYPERLINK(""http://example.com"",""x"")"' in body
    sheet = workbook(leader_client.get("/reports/export/cities/testcity.xlsx"))["观测值"]
    cell = next(row[4] for row in sheet.iter_rows(min_row=2) if row[2].value == "2022")
    assert cell.value == '=HYPERLINK("http://example.com","x")' and cell.data_type == "s"


def test_csv_cells():
    assert csv_cell("-3.5") == "-3.5"  # a number keeps its sign
    assert csv_cell(-3.5) == "-3.5"
    assert csv_cell("-x") == "'-x" and csv_cell("@SUM(A1)") == "'@SUM(A1)" and csv_cell("+1+1x") == "'+1+1x"
    assert csv_cell(dt.date(2024, 12, 31)) == "2024-12-31"
    assert csv_cell(None) == ""
    assert csv_cell(["市发展改革委", "=1+1x"]) == "市发展改革委、=1+1x"  # a list is one cell, guarded as a whole
    assert csv_cell(["=x", "y"]) == "'=x、y"


def test_records_as_csv_and_json_share_the_cell_rules():
    records = [{"id": 1, "text": "=cmd()", "bureaus": ["甲", "乙"], "deadline": None}]
    fields = ["id", "text", "bureaus", "deadline"]
    assert records_text(records, fields, "csv") == "id,text,bureaus,deadline\r\n1,'=cmd(),甲、乙,\r\n"
    assert records_text(records, fields, "json").startswith('[\n  {\n    "id": 1,\n    "text": "=cmd()"')
    assert csv_file(["a"], [["甲"]]) == "\ufeffa\r\n甲\r\n".encode()


def test_plan_bureau_and_sector_exports_hold_their_pages_lists(leader_client, observed):
    ndrc = observed["ndrc"].pk
    cases = [
        ("plans/test-plan", "/plans/test-plan/", ["pv-2025", "pm-2025"], ["三（一）1", "三（二）1"]),
        # the bureau leads one measure and supports the other
        (f"bureaus/{ndrc}", f"/bureaus/{ndrc}/", ["pv-2025"], ["三（一）1", "三（二）1"]),
        ("sectors/energy", "/sectors/energy/", ["pv-2025"], ["三（一）1"]),
    ]
    for scope, page_url, target_codes, sections in cases:
        page = leader_client.get(page_url)
        assert page.status_code == 200
        targets = _csv_rows(leader_client.get(f"/reports/export/{scope}/targets.csv"))
        assert [r[2] for r in targets[1:]] == target_codes, scope
        measures = _csv_rows(leader_client.get(f"/reports/export/{scope}/measures.csv"))
        assert [r[2] for r in measures[1:]] == sections, scope
        book = workbook(leader_client.get(f"/reports/export/{scope}.xlsx"))
        assert book.sheetnames == ["测试市碳达峰工作方案", "重点任务", "观测值"], scope
    plan_page = leader_client.get("/plans/test-plan/")
    assert len(plan_page.context["targets"]) == 2 and len(plan_page.context["measures"]) == 2
    bureau_page = leader_client.get(f"/bureaus/{ndrc}/")
    assert len(bureau_page.context["rows"]) == 1 and len(bureau_page.context["measures"]) == 2


def test_measures_list_export_takes_the_list_filters(leader_client, world, users):
    Measure.objects.filter(pk=world["pv_measure"].pk).update(deadline=dt.date(2024, 1, 31))
    completed = MeasureStatus.objects.get(code="completed")
    MeasureUpdate.objects.create(
        measure=world["pm_measure"], status=completed, percent_complete=100, note="已完成验收",
        created_by=users["admin"],
    )  # fmt: skip

    def sections(query: str) -> list[list[str]]:
        return _csv_rows(leader_client.get(f"/reports/export/measures.csv{query}"))[1:]

    overdue = sections("?deadline_state=overdue")
    assert [(r[2], r[7], r[8]) for r in overdue] == [("三（一）1", "2024-01-31", "逾期")]
    assert [r[2] for r in sections(f"?bureau={world['eco'].pk}")] == ["三（二）1"]
    assert [r[2] for r in sections("?city=testcity")] == ["三（一）1", "三（二）1"]
    assert sections("?city=nowhere") == []
    done = sections("?status=completed")
    assert [(r[2], r[9], r[10], r[11]) for r in done] == [("三（二）1", "已完成", "100", "已完成验收")]
    book = workbook(leader_client.get("/reports/export/measures.xlsx?deadline_state=overdue"))
    assert book.sheetnames == ["重点任务"] and len(data_rows(book["重点任务"])) == 1
    deadline = book["重点任务"]["H2"]  # a date, shown as one
    assert deadline.value.date() == dt.date(2024, 1, 31) and deadline.number_format == "yyyy-mm-dd"


def test_every_list_page_links_its_exports(leader_client, world):
    city = leader_client.get("/cities/testcity/?plan=test-plan&status=achieved").content.decode()
    assert 'href="/reports/export/cities/testcity.xlsx?plan=test-plan&amp;status=achieved"' in city
    assert 'href="/reports/export/cities/testcity/observations.csv?plan=test-plan&amp;status=achieved"' in city
    assert 'action="/reports/cities/testcity/"' in city and '<select name="year">' in city
    ndrc = world["ndrc"].pk
    for url, base in [
        ("/plans/test-plan/", "/reports/export/plans/test-plan"),
        (f"/bureaus/{ndrc}/", f"/reports/export/bureaus/{ndrc}"),
        ("/sectors/energy/", "/reports/export/sectors/energy"),
    ]:
        html = leader_client.get(url).content.decode()
        assert f'href="{base}.xlsx"' in html, url
        for kind in ("targets", "measures", "observations"):
            assert f'href="{base}/{kind}.csv"' in html, (url, kind)
        assert 'action="/reports/cities/' not in html, url  # the report's year choice is the city page's


def test_the_measures_list_links_and_export_match_the_list(leader_client, world):
    Measure.objects.filter(pk=world["pv_measure"].pk).update(deadline=dt.date(2024, 1, 31))
    page = leader_client.get("/measures/?city=testcity&deadline_state=overdue")
    rows = _csv_rows(leader_client.get("/reports/export/measures.csv?city=testcity&deadline_state=overdue"))
    assert len(rows) - 1 == page.context["listing"].total == 1
    # the include renders the list's own filters into the links (the lead puts it on the page)
    query = {"city": "testcity", "deadline_state": "overdue", "page": "2"}
    context = {"export_scope": "measures", "filters": MeasureFilters.from_query(query)}
    html = render_to_string("documents/_export_links.html", context)
    assert 'href="/reports/export/measures.xlsx?city=testcity&amp;deadline_state=overdue"' in html
    assert 'href="/reports/export/measures.csv?city=testcity&amp;deadline_state=overdue"' in html
    # an include that names no list (or a keyed list without its key) gets nothing
    assert render_to_string("documents/_export_links.html", {}).strip() == ""
    assert render_to_string("documents/_export_links.html", {"export_scope": "cities"}).strip() == ""
    assert (
        render_to_string("documents/_export_links.html", {"export_scope": "targets", "export_key": "x"}).strip() == ""
    )


def test_exports_follow_the_dashboard_access_rule(client, world, users, settings):
    url = "/reports/export/cities/testcity.xlsx"
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")
    client.force_login(users["eco_staff"])  # any signed-in user reads the dashboards
    assert client.get("/reports/export/measures.csv").status_code == 200
    client.logout()
    settings.PUBLIC_DASHBOARDS = True
    assert client.get(url).status_code == 200


def test_bad_export_addresses_are_404(leader_client, world):
    for url in [
        "/reports/export/towns/testcity.xlsx",
        "/reports/export/cities/nowhere.xlsx",
        "/reports/export/bureaus/abc/targets.csv",
        "/reports/export/bureaus/999999.xlsx",
        "/reports/export/cities/testcity/people.csv",
    ]:
        assert leader_client.get(url).status_code == 404, url


def _add_cities(world, count: int, start: int) -> None:
    """`count` more cities, each with a plan, an energy target, a measure and two values."""
    from reporting.models import Observation
    from targets.models import Bureau, City, Indicator, Plan, Role, Target, TargetResponsibility

    pv = world["pv"]
    for i in range(start, start + count):
        city = City.objects.create(code=f"c{i}", name=f"城市{i}", name_en=f"City {i}")
        plan = Plan.objects.create(
            city=city, code=f"p{i}", title="方案", document_number=f"文{i}", issued="2024-01-01", kind="carbon_peaking"
        )
        bureau = Bureau.objects.create(city=city, name="市发展改革委")
        indicator = Indicator.objects.create(
            city=city, code=pv.code, name=pv.name, unit=pv.unit, direction="increase", sector=pv.sector
        )
        target = Target.objects.create(
            plan=plan, code="pv-2025", indicator=indicator, kind="level", comparator="at_least", value=500,
            target_year=2025, section="一", source_text="光伏",
        )  # fmt: skip
        TargetResponsibility.objects.create(target=target, bureau=bureau, role=Role.LEAD)
        measure = Measure.objects.create(plan=plan, section="一（一）", title=f"任务{i}", text="…", sector=pv.sector)
        measure.responsibilities.create(bureau=bureau, role=Role.LEAD)
        for year in (2021, 2022):
            Observation.objects.create(indicator=indicator, period=str(year), period_end=f"{year}-12-31", value=year)


@pytest.mark.parametrize(
    "url",
    [
        "/reports/export/sectors/energy.xlsx",
        "/reports/export/sectors/energy/targets.csv",
        "/reports/export/measures.xlsx",
    ],
)
def test_export_queries_do_not_grow_with_cities(leader_client, observed, url, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert leader_client.get(url).status_code == 200
        return len(captured)

    _add_cities(observed, 2, 0)
    progress_recompute()
    few = queries()
    _add_cities(observed, 14, 2)  # 17 cities, 17 plans: more plans than sheets of plans
    progress_recompute()
    with django_assert_max_num_queries(few):
        response = leader_client.get(url)
    assert response.status_code == 200
    if url.endswith(".xlsx") and "sectors" in url:
        book = workbook(response)
        assert book.sheetnames == ["目标", "重点任务", "观测值"]
        assert len(data_rows(book["目标"])) == 17 and book["目标"]["A1"].value == "城市"


def test_target_exports_name_the_lead_bureau_first_in_the_readers_language(leader_client, world):
    from targets.models import Role, TargetResponsibility

    target = world["pm_target"]
    # the plan printed the supporting bureau first; the lead is still named first
    TargetResponsibility.objects.filter(target=target).update(position=1)
    TargetResponsibility.objects.create(target=target, bureau=world["ndrc"], role=Role.SUPPORT, position=0)
    world["eco"].name_en = "Ecology & Environment Bureau"
    world["eco"].save()
    rows = _csv_rows(leader_client.get("/reports/export/plans/test-plan/targets.csv"))
    by_code = {row[2]: row for row in rows[1:]}
    bureaus = rows[0].index("责任单位")
    assert by_code["pm-2025"][bureaus] == "市生态环境局（牵头）、市发展改革委"
    leader_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    rows = _csv_rows(leader_client.get("/reports/export/plans/test-plan/targets.csv"))
    english = {row[2]: row for row in rows[1:]}
    named = english["pm-2025"][rows[0].index("Responsible bureaus")]
    assert named == "Ecology & Environment Bureau (lead), 市发展改革委"  # no English name: the Chinese
