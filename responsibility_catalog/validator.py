"""The validator: every problem of a catalog version, named by file, matter and rule."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter, defaultdict
from functools import lru_cache
from typing import TypedDict, Unpack

from .attributes import LocationFacts, location_facts, unknown_attributes
from .conditions import And, Condition, ConditionSyntaxError, Not, Or, Otherwise, parse_condition
from .matching import match_rules, resolve_unit
from .model import DISPATCHER, LOCATION, Catalog, Matter
from .organisation import Organisation, Village
from .problems import Problem

EXAMPLES = 5
# Control characters have no business in a list people read, and a worksheet cannot hold them:
# a matter named "a\x01b" could be saved, and then every Excel export of the catalog failed.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def validate(catalog: Catalog) -> list[Problem]:
    """Return every problem of ``catalog``; an empty list means it is valid."""
    problems = validate_organisation(catalog.organisation)
    for name, count in Counter(d.id for d in catalog.domains).items():
        if count > 1:
            problems.append(
                Problem("duplicate_id", f"领域编号 {name} 重复 {count} 次", field="domain")
            )
    seen: dict[str, Matter] = {}
    for domain in catalog.domains:
        for matter in domain.matters:
            if matter.id in seen:
                other = seen[matter.id].source or seen[matter.id].name
                problems.append(
                    _at(
                        matter,
                        "duplicate_id",
                        f"事项编号 {matter.id} 重复（另见 {other}）",
                        field="id",
                    )
                )
                continue
            seen[matter.id] = matter
            problems.extend(validate_matter(matter, catalog.organisation))
    return [dataclasses.replace(p, version=catalog.label) for p in problems]


def validate_organisation(org: Organisation) -> list[Problem]:
    problems: list[Problem] = []
    checks = (
        ("单位编号", [u.id for u in org.units] + [t.id for t in org.townships]),
        ("单位名称", [u.name for u in org.units] + [t.name for t in org.townships]),
        ("村/社区编号", [v.id for v in org.villages]),
        ("村/社区名称", [v.name for v in org.villages]),
    )
    for what, values in checks:
        for value, count in Counter(values).items():
            if count > 1:
                problems.append(
                    Problem(
                        "duplicate_id",
                        f"组织架构中{what}“{value}”重复 {count} 次",
                        field="organisation",
                    )
                )
    for village in org.villages:
        for road in village.roads:
            if road not in org.roads_by_id:
                problems.append(
                    Problem(
                        "unknown_road",
                        f"{village.name}（{village.id}）所沿道路“{road}”未登记",
                        field="organisation",
                    )
                )
    return problems


def validate_matter(matter: Matter, org: Organisation) -> list[Problem]:
    """Problems of one matter against the organisation tree."""
    problems: list[Problem] = []
    if not matter.name.strip():
        problems.append(_at(matter, "schema", "事项名称为空", field="name"))
    problems.extend(_control_characters(matter))
    if not matter.rules:
        problems.append(_at(matter, "schema", "事项没有规则", field="rules"))
        return problems
    for message in matter.time_limits.problems():
        problems.append(_at(matter, "invalid_time_limit", message, field="time_limits"))
    conditions: list[Condition | None] = []
    fallback_seen = False
    for number in range(1, len(matter.rules) + 1):
        condition = _check_rule(matter, number, org, problems)
        conditions.append(condition)
        if fallback_seen:
            problems.append(
                _at(
                    matter,
                    "unreachable_rule",
                    "此规则位于“其他”之后，永远不会适用",
                    rule_number=number,
                    field="when",
                )
            )
        if isinstance(condition, Otherwise):
            fallback_seen = True
    if any(c is None for c in conditions) or any(p.code == "unknown_unit" for p in problems):
        return problems
    problems.extend(_check_locations(matter, tuple(conditions), org))
    return problems


def _control_characters(matter: Matter) -> list[Problem]:
    texts: list[tuple[str, int | None, str]] = [("name", None, matter.name)]
    texts += [("keywords", None, keyword) for keyword in matter.keywords]
    for number, rule in enumerate(matter.rules, start=1):
        texts += [("when", number, rule.when), ("basis", number, rule.basis)]
        texts += [("note", number, rule.note)]
    return [
        _at(
            matter,
            "schema",
            f"含有不可见的控制字符（\\x{ord(found.group()):02x}），请删除后再保存",
            rule_number=number,
            field=name,
        )
        for name, number, text in texts
        if (found := _CONTROL.search(text))
    ]


def _check_rule(
    matter: Matter, number: int, org: Organisation, problems: list[Problem]
) -> Condition | None:
    rule = matter.rules[number - 1]
    condition: Condition | None = None
    try:
        condition = parse_condition(rule.when)
    except ConditionSyntaxError as exc:
        problems.append(_at(matter, "condition_syntax", str(exc), rule_number=number, field="when"))
    if condition is not None:
        if not isinstance(condition, Otherwise) and _contains_otherwise(condition):
            problems.append(
                _at(
                    matter,
                    "condition_syntax",
                    "“其他”只能单独作为最后一条规则的条件",
                    rule_number=number,
                    field="when",
                )
            )
            condition = None
        else:
            for message in unknown_attributes(condition, org):
                problems.append(
                    _at(matter, "unknown_attribute", message, rule_number=number, field="when")
                )
                condition = None
    units = org.all_units
    if rule.primary not in units and rule.primary not in (LOCATION, DISPATCHER):
        problems.append(
            _at(
                matter,
                "unknown_unit",
                f"主体责任单位“{rule.primary}”不存在",
                rule_number=number,
                field="primary",
            )
        )
    for ref in rule.supporting:
        if ref == DISPATCHER:
            problems.append(
                _at(
                    matter,
                    "unknown_unit",
                    "调度中心研判（@dispatcher）只能作为主体责任",
                    rule_number=number,
                    field="supporting",
                )
            )
        elif ref not in units and ref != LOCATION:
            problems.append(
                _at(
                    matter,
                    "unknown_unit",
                    f"配合责任单位“{ref}”不存在",
                    rule_number=number,
                    field="supporting",
                )
            )
    if rule.primary == DISPATCHER and rule.supporting:
        problems.append(
            _at(
                matter,
                "primary_is_supporting",
                "转调度中心研判的规则不应列配合单位",
                rule_number=number,
                field="supporting",
            )
        )
    if rule.primary in rule.supporting:
        problems.append(
            _at(
                matter,
                "primary_is_supporting",
                f"“{_unit_name(rule.primary, org)}”同时是主体责任单位和配合责任单位",
                rule_number=number,
                field="supporting",
            )
        )
    for ref, count in Counter(rule.supporting).items():
        if count > 1:
            problems.append(
                _at(
                    matter,
                    "duplicate_id",
                    f"配合责任单位“{_unit_name(ref, org)}”重复",
                    rule_number=number,
                    field="supporting",
                )
            )
    if not rule.basis.strip():
        problems.append(
            _at(matter, "missing_basis", "缺少法律依据", rule_number=number, field="basis")
        )
    return condition


def _contains_otherwise(condition: Condition) -> bool:
    if isinstance(condition, Otherwise):
        return True
    if isinstance(condition, Not):
        return _contains_otherwise(condition.item)
    if isinstance(condition, And | Or):
        return any(_contains_otherwise(i) for i in condition.items)
    return False


@lru_cache(maxsize=8)
def _all_facts(org: Organisation) -> tuple[tuple[Village, LocationFacts], ...]:
    return tuple((v, location_facts(org, v)) for v in org.villages)


def _check_locations(
    matter: Matter, conditions: tuple[Condition | None, ...], org: Organisation
) -> list[Problem]:
    uncovered: list[Village] = []
    overlaps: dict[tuple[int, int], list[Village]] = defaultdict(list)
    clashes: dict[int, list[Village]] = defaultdict(list)
    for village, facts in _all_facts(org):
        result = match_rules(matter, conditions, village, facts)
        if result.decided is None:
            uncovered.append(village)
            continue
        if result.ambiguous:
            first = result.holding[0]
            first_primary = resolve_unit(matter.rules[first].primary, village)
            for other in result.holding[1:]:
                if resolve_unit(matter.rules[other].primary, village) != first_primary:
                    overlaps[(first, other)].append(village)
        for index in result.holding or (result.decided,):
            rule = matter.rules[index]
            if rule.primary in rule.supporting:
                continue  # reported once, statically
            primary = resolve_unit(rule.primary, village)
            if primary in {resolve_unit(s, village) for s in rule.supporting}:
                clashes[index].append(village)
    problems: list[Problem] = []
    if uncovered:
        problems.append(
            _at(
                matter,
                "not_total",
                f"规则未覆盖全部地点：{len(uncovered)} 个村/社区没有适用的规则（如 "
                f"{_examples(uncovered, org)}）；请增加“其他”规则或转调度中心",
                field="rules",
            )
        )
    for (first, other), villages in sorted(overlaps.items()):
        problems.append(
            _at(
                matter,
                "ambiguous",
                f"规则 {first + 1} 与规则 {other + 1} 同时适用于 {len(villages)} 个村/社区"
                f"（如 {_examples(villages, org)}），但主体责任单位不同",
                rule_number=other + 1,
                field="when",
            )
        )
    for index, villages in sorted(clashes.items()):
        problems.append(
            _at(
                matter,
                "primary_is_supporting",
                f"在 {_examples(villages, org)} 等 {len(villages)} 个村/社区，"
                "同一单位既是主体责任单位又是配合责任单位",
                rule_number=index + 1,
                field="supporting",
            )
        )
    return problems


def _examples(villages: list[Village], org: Organisation) -> str:
    names = [f"{org.townships_by_id[v.township_id].name}{v.name}" for v in villages[:EXAMPLES]]
    return "、".join(names)


def _unit_name(ref: str, org: Organisation) -> str:
    if ref == LOCATION:
        return "属地乡镇"
    unit = org.all_units.get(ref)
    return unit.name if unit else ref


class _Where(TypedDict, total=False):
    """Where in a matter a problem lies (the matter itself is always given)."""

    version: str | None
    rule_number: int | None
    field: str | None


def _at(matter: Matter, code: str, message: str, **where: Unpack[_Where]) -> Problem:
    return Problem(code, message, file=matter.source or None, matter_id=matter.id, **where)
