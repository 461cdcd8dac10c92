"""The condition language of the 适用条件 column."""

from __future__ import annotations

import pytest

from responsibility_catalog import Catalog, ConditionSyntaxError, location_facts, parse_condition
from responsibility_catalog.attributes import unknown_attributes


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("城区建成区", "城区建成区"),
        ("其他", "其他"),
        ("沿省道 且 距县城≤5公里", "沿省道 且 距县城≤5公里"),
        ("沿省道并且距县城<=5km", "沿省道 且 距县城≤5km"),
        ("城区建成区 或 （沿省道 且 距县城≤5公里）", "城区建成区 或 （沿省道 且 距县城≤5公里）"),
        ("城区建成区 或 沿省道 且 距县城≤5公里", "城区建成区 或 （沿省道 且 距县城≤5公里）"),
        ("(城区建成区 或 沿省道) 且 距县城≤5公里", "（城区建成区 或 沿省道） 且 距县城≤5公里"),
        ("非 城区建成区", "非 城区建成区"),
        ("非（城区建成区 或 乡镇=巨鹿镇）", "非（城区建成区 或 乡镇=巨鹿镇）"),
        ("乡镇 = 西郭城镇", "乡镇=西郭城镇"),
        ("距县城>10公里", "距县城>10公里"),
    ],
)
def test_conditions_parse_to_canonical_text(text: str, canonical: str) -> None:
    assert str(parse_condition(text)) == canonical
    assert str(parse_condition(canonical)) == canonical


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "为空"),
        ("城区建成区 且", "不完整"),
        ("且 城区建成区", "缺少条件"),
        ("（城区建成区 或 沿省道", "缺少右括号"),
        ("城区建成区）", "无法解析"),
        ("距县城≤五公里", "应为数字"),
        ("沿", "道路等级"),
    ],
)
def test_malformed_conditions_are_rejected_with_a_reason(text: str, fragment: str) -> None:
    with pytest.raises(ConditionSyntaxError, match=fragment):
        parse_condition(text)


@pytest.mark.parametrize(
    ("village", "text", "holds"),
    [
        ("东关社区", "城区建成区", True),
        ("马家营村", "城区建成区", False),
        ("马家营村", "沿省道 且 距县城≤5公里", True),
        ("马家营村", "沿S325", True),
        ("马家营村", "沿邢德线", True),
        ("马家营村", "沿县道", False),
        ("马家营村", "距县城<4公里", False),
        ("马家营村", "乡镇=西郭城镇", True),
        ("小吕寨村", "沿省道 且 距县城≤5公里", False),
        ("小吕寨村", "乡镇驻地 且 非 城区建成区", True),
        ("东关社区", "社区", True),
        ("孔寨村", "其他", True),
    ],
)
def test_conditions_evaluate_on_village_attributes(
    published: Catalog, village: str, text: str, holds: bool
) -> None:
    org = published.organisation
    found = org.find_village(village)
    assert found is not None
    assert parse_condition(text).holds(location_facts(org, found)) is holds


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("开发区", "不是已知的地点属性"),
        ("沿高速", "未在组织架构中登记"),
        ("人口>1000", "数值属性“人口”未知"),
        ("乡镇=北京镇", "没有取值“北京镇”"),
        ("颜色=红", "属性“颜色”未知"),
        ("距县城≤5", ""),
    ],
)
def test_conditions_on_unknown_attributes_are_named(
    published: Catalog, text: str, fragment: str
) -> None:
    messages = unknown_attributes(parse_condition(text), published.organisation)
    if fragment:
        assert len(messages) == 1 and fragment in messages[0]
    else:
        assert messages == []
