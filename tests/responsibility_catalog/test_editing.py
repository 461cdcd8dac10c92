"""Editing a matter from form fields: the validator's messages land on the field at fault."""

from __future__ import annotations

import pytest

from responsibility_catalog import (
    CatalogImmutable,
    affected_units,
    matter_from_fields,
    new_draft,
    with_matter,
)
from tests.engine.catalog_revision.conftest import matter_fields


@pytest.fixture
def draft(shipped_catalogs):
    return new_draft(shipped_catalogs[-1], label="2026-03")


def test_unchanged_matter_is_valid(draft):
    edit = matter_from_fields("D04-01", matter_fields(draft, "D04-01"), draft)
    assert edit.ok and edit.matter == draft.matters_by_id["D04-01"]


@pytest.mark.parametrize(
    ("changes", "key", "text"),
    [
        ({"rules-1-primary": "transport"}, "rules-1-when", "规则 1 与规则 2 同时适用于"),
        (
            {"rules-0-primary": "ministry_of_magic"},
            "rules-0-primary",
            "主体责任单位“ministry_of_magic”不存在",
        ),
        ({"rules-1-when": "沿高速"}, "rules-1-when", "高速"),
        ({"rules-0-basis": ""}, "rules-0-basis", "缺少法律依据"),
        ({"sign_for": "两小时"}, "sign_for", "无法识别"),
        ({"extensions": "九"}, "extensions", "可延期次数"),
        ({"name": ""}, "name", "事项名称为空"),
        ({"rules-2-when": "城区建成区", "rules-2-primary": "juluzhen"}, "rules", "未覆盖全部地点"),
        (
            {"rules-0-supporting": ["urban_management"]},
            "rules-0-supporting",
            "同时是主体责任单位和配合责任单位",
        ),
    ],
)
def test_problem_is_reported_next_to_its_field(draft, changes, key, text):
    edit = matter_from_fields("D04-01", matter_fields(draft, "D04-01", changes), draft)
    assert not edit.ok
    assert any(text in message for message in edit.errors[key]), edit.errors


def test_rules_keep_the_order_of_the_form(draft):
    fields = matter_fields(draft, "D04-01")
    fields.update({"rules-0-when": fields["rules-1-when"], "rules-1-when": fields["rules-0-when"]})
    edit = matter_from_fields("D04-01", fields, draft)
    assert [r.when for r in edit.matter.rules][:2] == ["沿省道 且 距县城≤5公里", "城区建成区"]


def test_saved_matter_replaces_the_old_one_only_in_the_draft(draft, shipped_catalogs):
    fields = matter_fields(draft, "D04-01", {"name": "占道经营（含夜市）"})
    revised = with_matter(draft, matter_from_fields("D04-01", fields, draft).matter)
    assert revised.matters_by_id["D04-01"].name == "占道经营（含夜市）"
    assert revised.content_hash != draft.content_hash
    assert [m.id for m in revised.matters()] == [m.id for m in draft.matters()]
    with pytest.raises(CatalogImmutable):
        with_matter(shipped_catalogs[-1], revised.matters_by_id["D04-01"])


def test_affected_units_are_those_whose_role_changes_somewhere(draft):
    fields = matter_fields(
        draft,
        "D04-01",
        {"rules-1-primary": "transport", "rules-1-when": "沿省道 且 距县城≤5公里 且 非 城区建成区"},
    )
    revised = with_matter(draft, matter_from_fields("D04-01", fields, draft).matter)
    assert affected_units(draft, revised) == {
        "transport": ("D04-01",),
        "urban_management": ("D04-01",),
    }
    longer = matter_fields(draft, "D04-01", {"handle": "7个工作日"})
    revised = with_matter(draft, matter_from_fields("D04-01", longer, draft).matter)
    assert "juluzhen" in affected_units(draft, revised), (
        "a new time limit concerns every unit of the matter"
    )
    reworded = matter_fields(draft, "D04-01", {"rules-0-note": "城区以内"})
    assert (
        affected_units(
            draft, with_matter(draft, matter_from_fields("D04-01", reworded, draft).matter)
        )
        == {}
    )


def test_every_shipped_matter_round_trips_through_its_form(draft):
    from responsibility_catalog.editing import fields_of_matter

    for matter_id, matter in draft.matters_by_id.items():
        edit = matter_from_fields(matter_id, fields_of_matter(matter), draft)
        assert edit.ok, (matter_id, edit.errors)
        assert edit.matter == matter
