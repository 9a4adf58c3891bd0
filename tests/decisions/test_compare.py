"""Differences between two snapshots of a study (no Django)."""

from decisions import compare


def test_added_removed_and_changed_rows_are_listed_per_part():
    old = {"Figures": {"rate": "8", "horizon": "5"}, "Risks": {"汇率": "3×3"}}
    new = {"Figures": {"rate": "10", "horizon": "5"}, "Milestones": {"上线": "2026-09-30"}}
    result = compare.diff(old, new)
    assert [p.part for p in result] == ["Figures", "Milestones", "Risks"]
    assert [(c.key, c.kind, c.old, c.new) for c in result[0].changes] == [
        ("rate", "changed", "8", "10")
    ]
    assert result[1].changes[0].kind == "added" and result[2].changes[0].kind == "removed"


def test_identical_snapshots_have_no_differences():
    snap = {"A": {"x": "1"}}
    assert compare.diff(snap, snap) == []


def test_long_texts_get_a_character_level_diff():
    old = "东南亚新能源商用车市场年增速约18%，越南、泰国合计市场规模约120亿元。客户对价格最敏感。"
    new = "东南亚新能源商用车市场年增速约20%，越南、泰国合计市场规模约120亿元。客户对服务最敏感。"
    change = compare.diff({"T": {"m": old}}, {"T": {"m": new}})[0].changes[0]
    ops = [(s.op, s.text) for s in change.segments]
    assert ("delete", "18") in ops and ("insert", "20") in ops
    assert "".join(s.text for s in change.segments if s.op != "delete") == new
    assert "".join(s.text for s in change.segments if s.op != "insert") == old


def test_short_values_are_shown_old_and_new():
    change = compare.diff({"T": {"k": "a"}}, {"T": {"k": "b"}})[0].changes[0]
    assert change.segments == ()
