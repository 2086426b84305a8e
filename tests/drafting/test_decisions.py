"""Accepting and dropping drafted items by their keys."""

from targets.drafting.decisions import apply_decisions, review_rows


def _data():
    return {
        "plan": {"title": "方案", "review": "没有找到文号"},
        "bureaus": [{"name": "市甲局", "review": "不在词典中"}, {"name": "市乙局"}],
        "measures": [{"section": "一（一）", "review": "没有找到责任单位"}],
        "targets": [{"code": "a-2025", "review": "没有年份"}, {"code": "b-2025"}],
    }


def test_rows_name_every_marked_item():
    keys = [row["key"] for row in review_rows(_data())]
    assert keys == ["plan", "bureaus:市甲局", "measures:一（一）", "targets:a-2025"]


def test_accept_drops_the_mark_and_drop_removes_the_item():
    data = _data()
    assert apply_decisions(data, accept=["plan", "bureaus:市甲局"], drop=["targets:a-2025", "measures:一（一）"])
    assert "review" not in data["plan"] and "review" not in data["bureaus"][0]
    assert [t["code"] for t in data["targets"]] == ["b-2025"] and data["measures"] == []
    assert review_rows(data) == []
    assert not apply_decisions(data, accept=["targets:b-2025"], drop=[])
