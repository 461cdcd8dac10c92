"""Routing by the catalog: assignments, explicit dispatcher results and unresolved cases."""

from __future__ import annotations

import json
from datetime import date

import pytest

from responsibility_catalog import Catalog
from rules import ComplaintFacts, Outcome, Reason, explain, route, route_on
from tests.responsibility_catalog.helpers import draft_with, make_matter, make_rule

CITY = "县城市管理综合行政执法局"


@pytest.mark.parametrize(
    ("label", "village", "primary", "supporting", "rule"),
    [
        # inside the county-seat built-up area: 城管局 in both versions
        ("2020-05", "东关社区", CITY, ["巨鹿镇"], 1),
        ("2022-06", "东关社区", CITY, ["巨鹿镇"], 1),
        # along provincial road S325, 4.2 km from the seat: the gap the 2022 list settled
        ("2020-05", "马家营村", "西郭城镇", [], 2),
        ("2022-06", "马家营村", CITY, ["西郭城镇"], 2),
        # far from the seat: township primary; from 2022 with 城管局 supporting
        ("2020-05", "小吕寨村", "小吕寨镇", [], 2),
        ("2022-06", "小吕寨村", "小吕寨镇", [CITY], 3),
        ("2020-05", "孔寨村", "堤村乡", [], 2),
        ("2022-06", "前堤村", "堤村乡", [CITY], 3),
    ],
)
def test_road_occupying_business_routes_by_the_version(
    catalogs: tuple[Catalog, ...],
    label: str,
    village: str,
    primary: str,
    supporting: list[str],
    rule: int,
) -> None:
    catalog = next(c for c in catalogs if c.label == label)
    decision = route(ComplaintFacts(matter="占道经营", village=village), catalog)
    assert decision.outcome is Outcome.ASSIGNED
    assert decision.primary is not None and decision.primary.name == primary
    assert [u.name for u in decision.supporting] == supporting
    assert (decision.rule_number, decision.catalog_version) == (rule, label)


def test_the_2022_basis_and_conditions_are_in_the_decision(published: Catalog) -> None:
    decision = route(ComplaintFacts(matter="D04-01", village="西郭城镇/马家营村"), published)
    assert decision.condition == "沿省道 且 距县城≤5公里"
    assert decision.conditions_matched == ("沿省道", "距县城≤5公里（实际 4.2公里）")
    assert decision.legal_basis == "《河北省城市市容和环境卫生条例》"
    assert decision.time_limits is not None
    assert (str(decision.time_limits.sign_for), str(decision.time_limits.handle)) == (
        "2小时",
        "5个工作日",
    )
    text = explain(decision)
    for line in (
        "清单版本：2022-06",
        "事项：D04-01 占道经营（市容环境卫生）",
        "地点：西郭城镇马家营村",
        "适用规则：规则 2（条件：沿省道 且 距县城≤5公里）",
        "主体责任单位：县城市管理综合行政执法局",
        "配合责任单位：西郭城镇",
        "法律依据：《河北省城市市容和环境卫生条例》",
        "时限：签收 2小时，办理 5个工作日，可延期 1 次",
    ):
        assert line in text.splitlines()


@pytest.mark.parametrize(
    ("day", "label", "primary"),
    [
        (date(2021, 7, 1), "2020-05", "西郭城镇"),
        (date(2022, 6, 15), "2022-06", CITY),
    ],
)
def test_complaints_route_by_the_version_in_force_on_arrival(
    catalogs: tuple[Catalog, ...], day: date, label: str, primary: str
) -> None:
    decision = route_on(ComplaintFacts("占道经营", "马家营村"), catalogs, day)
    assert decision.catalog_version == label
    assert decision.primary is not None and decision.primary.name == primary


def test_before_any_version_there_is_no_catalog(catalogs: tuple[Catalog, ...]) -> None:
    decision = route_on(ComplaintFacts("占道经营", "马家营村"), catalogs, date(2019, 12, 31))
    assert (decision.outcome, decision.reason) == (Outcome.UNRESOLVED, Reason.NO_CATALOG)
    assert "没有生效的清单版本" in explain(decision)


def test_the_catalog_can_send_a_case_to_the_dispatcher(published: Catalog) -> None:
    decision = route(ComplaintFacts("城区市政道路破损", "孔寨村"), published)
    assert decision.outcome is Outcome.DISPATCHER
    assert decision.primary is None and decision.rule_number == 2
    assert "按清单规定转调度中心" in explain(decision)
    inside = route(ComplaintFacts("城区市政道路破损", "东关社区"), published)
    assert inside.primary is not None and inside.primary.name == "县住房和城乡建设局"


@pytest.mark.parametrize(
    ("facts", "reason", "candidates", "phrase"),
    [
        (ComplaintFacts(None, "马家营村"), Reason.NO_MATTER, [], "未选择事项类别"),
        (ComplaintFacts("D99-99", "马家营村"), Reason.UNKNOWN_MATTER, [], "清单中没有该事项"),
        (
            ComplaintFacts("占道经营", "火星村"),
            Reason.UNKNOWN_LOCATION,
            [CITY],
            "诉求地点不在组织架构中",
        ),
        (
            ComplaintFacts("D07-01", None),
            Reason.NO_LOCATION,
            ["县供水服务中心"],
            "未提供诉求发生地点",
        ),
    ],
)
def test_requests_routing_cannot_decide_are_unresolved_with_candidates(
    published: Catalog, facts: ComplaintFacts, reason: Reason, candidates: list[str], phrase: str
) -> None:
    decision = route(facts, published)
    assert (decision.outcome, decision.reason) == (Outcome.UNRESOLVED, reason)
    assert decision.primary is None
    assert [u.name for u in decision.candidates][: len(candidates)] == candidates
    assert phrase in explain(decision)


def test_without_a_matter_the_description_suggests_matters(published: Catalog) -> None:
    decision = route(ComplaintFacts(None, "马家营村", text="村口垃圾点满了没人清运"), published)
    assert decision.reason is Reason.NO_MATTER
    assert decision.candidate_matters[0].id == "D05-01"
    assert "可能的事项：D05-01 村内垃圾点清运" in explain(decision)


def test_a_draft_with_overlapping_rules_routes_as_ambiguous_not_first_match() -> None:
    draft = draft_with(
        make_matter(
            "T01-01",
            make_rule("城区建成区", "urban_management"),
            make_rule("乡镇=巨鹿镇", "@location"),
            make_rule(),
        )
    )
    decision = route(ComplaintFacts("T01-01", "东关社区"), draft)
    assert (decision.outcome, decision.reason) == (Outcome.UNRESOLVED, Reason.AMBIGUOUS)
    assert [u.name for u in decision.candidates] == [CITY, "巨鹿镇"]
    assert decision.competing_rules == (1, 2)
    assert "冲突规则：规则 1、规则 2" in explain(decision)
    # where only one rule holds, the draft still routes
    elsewhere = route(ComplaintFacts("T01-01", "马家营村"), draft)
    assert elsewhere.primary is not None and elsewhere.primary.name == "西郭城镇"


def test_a_draft_whose_rules_miss_a_village_routes_as_no_rule() -> None:
    draft = draft_with(make_matter("T01-01", make_rule("城区建成区", "housing")))
    decision = route(ComplaintFacts("T01-01", "小吕寨村"), draft)
    assert (decision.outcome, decision.reason) == (Outcome.UNRESOLVED, Reason.NO_RULE)
    assert [u.name for u in decision.candidates] == ["县住房和城乡建设局"]


def test_a_draft_with_an_unparseable_condition_routes_as_invalid_rule() -> None:
    draft = draft_with(make_matter("T01-01", make_rule("城区建成区 且", "housing"), make_rule()))
    decision = route(ComplaintFacts("T01-01", "东关社区"), draft)
    assert decision.reason is Reason.INVALID_RULE


@pytest.mark.parametrize(
    "village", ["马家营村", "xiguocheng-002", "西郭城镇/马家营村", "西郭城镇马家营村"]
)
def test_villages_are_found_by_id_name_or_township_and_name(
    published: Catalog, village: str
) -> None:
    decision = route(ComplaintFacts("D04-01", village), published)
    assert decision.village_id == "xiguocheng-002"


def test_decisions_are_json_able(published: Catalog) -> None:
    decision = route(ComplaintFacts("D04-01", "马家营村"), published)
    data = json.loads(json.dumps(decision.to_dict(), ensure_ascii=False))
    assert data["outcome"] == "assigned"
    assert data["primary"] == {"id": "urban_management", "name": CITY}
    assert data["time_limits"]["handle"] == {
        "amount": 5,
        "unit": "working_days",
        "text": "5个工作日",
    }
    assert data["catalog_hash"] == published.content_hash
