"""Diff between two versions, in readable Chinese."""

from __future__ import annotations

import dataclasses

from responsibility_catalog import Catalog, diff_catalogs, render_diff

from .helpers import draft_with, make_matter, make_rule


def test_diff_of_the_2022_list_lists_added_removed_and_changed(
    launch: Catalog, published: Catalog
) -> None:
    diff = diff_catalogs(launch, published)
    assert [m.id for m in diff.added] == ["D10-08", "D20-06"]
    assert [m.id for m in diff.removed] == ["D28-03"]
    assert [c.matter_id for c in diff.changed] == ["D04-01", "D04-02", "D09-01"]
    zhandao = diff.changed[0]
    assert [(r.kind, r.old_number, r.new_number) for r in zhandao.rules] == [
        ("added", None, 2),
        ("changed", 2, 3),
    ]
    text = render_diff(diff)
    assert "清单版本对比：2020-05 → 2022-06" in text
    assert "  + D20-06 电动自行车违规充电（应急管理与安全生产）" in text
    assert "  - D28-03 表扬感谢（综合事项）" in text
    assert (
        "新增规则 2：沿省道 且 距县城≤5公里 → 主体：县城市管理综合行政执法局；配合：属地乡镇"
        in text
    )
    assert "修改规则 2→3（配合责任、法律依据、备注）" in text
    assert "办理时限：5个工作日 → 3个工作日" in text


def test_diff_of_a_version_with_itself_says_so(published: Catalog) -> None:
    diff = diff_catalogs(published, published)
    assert diff.is_empty
    assert render_diff(diff).endswith("两个版本的内容相同。")


def test_a_changed_condition_reads_as_a_modified_rule() -> None:
    before = draft_with(make_matter("T01-01", make_rule("城区建成区", "housing"), make_rule()))
    after = draft_with(make_matter("T01-01", make_rule("乡镇=巨鹿镇", "housing"), make_rule()))
    after = dataclasses.replace(after, label="test2")
    text = render_diff(diff_catalogs(before, after))
    assert "修改规则 1（适用条件）：城区建成区 → 主体：县住房和城乡建设局" in text
    assert "⇒  乡镇=巨鹿镇 → 主体：县住房和城乡建设局" in text
