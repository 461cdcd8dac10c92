"""Differences between two catalog versions: added, removed and changed matters and rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from .excel_layout import SEPARATOR, unit_label
from .model import Catalog, Matter, Rule
from .organisation import Organisation


@dataclass(frozen=True)
class RuleChange:
    """``kind`` is ``added``, ``removed`` or ``changed``; rule numbers are 1-based."""

    kind: str
    old_number: int | None
    new_number: int | None
    old: Rule | None
    new: Rule | None
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class MatterChange:
    matter_id: str
    name: str
    fields: tuple[tuple[str, str, str], ...]  # (label, old, new)
    rules: tuple[RuleChange, ...]


@dataclass(frozen=True)
class CatalogDiff:
    old: Catalog
    new: Catalog
    added: tuple[Matter, ...]
    removed: tuple[Matter, ...]
    changed: tuple[MatterChange, ...]
    domains: tuple[str, ...] = field(default=())
    organisation_changed: bool = False

    @property
    def is_empty(self) -> bool:
        return not (
            self.added or self.removed or self.changed or self.domains or self.organisation_changed
        )


def diff_catalogs(old: Catalog, new: Catalog) -> CatalogDiff:
    """Compare two versions matter by matter (by id) and rule by rule (aligned by condition)."""
    old_matters, new_matters = old.matters_by_id, new.matters_by_id
    added = tuple(m for m in new.matters() if m.id not in old_matters)
    removed = tuple(m for m in old.matters() if m.id not in new_matters)
    changed: list[MatterChange] = []
    for matter in new.matters():
        before = old_matters.get(matter.id)
        if before is None:
            continue
        change = _matter_change(before, matter, old, new)
        if change is not None:
            changed.append(change)
    domain_notes: list[str] = []
    old_domains = {d.id: d.name for d in old.domains}
    for d in new.domains:
        if d.id not in old_domains:
            domain_notes.append(f"新增领域 {d.id} {d.name}")
        elif old_domains[d.id] != d.name:
            domain_notes.append(f"领域 {d.id} 更名：{old_domains[d.id]} → {d.name}")
    new_ids = {d.id for d in new.domains}
    domain_notes += [f"删除领域 {i} {n}" for i, n in old_domains.items() if i not in new_ids]
    return CatalogDiff(
        old=old,
        new=new,
        added=added,
        removed=removed,
        changed=tuple(changed),
        domains=tuple(domain_notes),
        organisation_changed=old.organisation != new.organisation,
    )


def _matter_change(
    before: Matter, after: Matter, old: Catalog, new: Catalog
) -> MatterChange | None:
    fields: list[tuple[str, str, str]] = []
    old_domain, new_domain = old.domain_of[before.id].name, new.domain_of[after.id].name
    for label, a, b in (
        ("领域", old_domain, new_domain),
        ("名称", before.name, after.name),
        ("关键词", SEPARATOR.join(before.keywords), SEPARATOR.join(after.keywords)),
        ("签收时限", str(before.time_limits.sign_for), str(after.time_limits.sign_for)),
        ("办理时限", str(before.time_limits.handle), str(after.time_limits.handle)),
        ("可延期次数", str(before.time_limits.extensions), str(after.time_limits.extensions)),
    ):
        if a != b:
            fields.append((label, a, b))
    rules = _rule_changes(before.rules, after.rules)
    if not fields and not rules:
        return None
    return MatterChange(after.id, after.name, tuple(fields), tuple(rules))


_RULE_FIELDS = (
    ("when", "适用条件"),
    ("primary", "主体责任"),
    ("supporting", "配合责任"),
    ("basis", "法律依据"),
    ("note", "备注"),
)


def _rule_changes(old: tuple[Rule, ...], new: tuple[Rule, ...]) -> list[RuleChange]:
    changes: list[RuleChange] = []
    matcher = SequenceMatcher(a=[r.when for r in old], b=[r.when for r in new], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal" or (op == "replace" and i2 - i1 == j2 - j1):
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                differing = _differing(old[i], new[j])
                if differing:
                    changes.append(RuleChange("changed", i + 1, j + 1, old[i], new[j], differing))
            continue
        changes += [RuleChange("removed", i + 1, None, old[i], None) for i in range(i1, i2)]
        changes += [RuleChange("added", None, j + 1, None, new[j]) for j in range(j1, j2)]
    return changes


def _differing(old: Rule, new: Rule) -> tuple[str, ...]:
    return tuple(label for name, label in _RULE_FIELDS if getattr(old, name) != getattr(new, name))


def render_diff(diff: CatalogDiff) -> str:
    """The diff as readable Chinese text, one item per line."""
    old_org, new_org = diff.old.organisation, diff.new.organisation
    lines = [f"清单版本对比：{diff.old.label} → {diff.new.label}"]
    if diff.is_empty:
        lines.append("两个版本的内容相同。")
        return "\n".join(lines)
    lines += [f"  {note}" for note in diff.domains]
    if diff.organisation_changed:
        lines.append("  组织架构（单位、村/社区或地点属性）有变化")
    if diff.added:
        lines.append(f"新增事项 {len(diff.added)} 项：")
        for m in diff.added:
            lines.append(f"  + {m.id} {m.name}（{diff.new.domain_of[m.id].name}）")
            lines += [f"      规则 {n}：{_rule_text(r, new_org)}" for n, r in enumerate(m.rules, 1)]
    if diff.removed:
        lines.append(f"删除事项 {len(diff.removed)} 项：")
        lines += [f"  - {m.id} {m.name}（{diff.old.domain_of[m.id].name}）" for m in diff.removed]
    if diff.changed:
        lines.append(f"变更事项 {len(diff.changed)} 项：")
        for change in diff.changed:
            lines.append(f"  * {change.matter_id} {change.name}")
            lines += [
                f"      {label}：{a or '（空）'} → {b or '（空）'}" for label, a, b in change.fields
            ]
            for rc in change.rules:
                lines.append("      " + _rule_change_text(rc, old_org, new_org))
    return "\n".join(lines)


def _rule_text(rule: Rule, org: Organisation) -> str:
    supporting = SEPARATOR.join(unit_label(s, org) for s in rule.supporting) or "无"
    return f"{rule.when} → 主体：{unit_label(rule.primary, org)}；配合：{supporting}"


def _rule_change_text(rc: RuleChange, old_org: Organisation, new_org: Organisation) -> str:
    if rc.old is None and rc.new is not None:
        return f"新增规则 {rc.new_number}：{_rule_text(rc.new, new_org)}"
    if rc.new is None and rc.old is not None:
        return f"删除规则 {rc.old_number}：{_rule_text(rc.old, old_org)}"
    if rc.old is None or rc.new is None:
        return ""
    number = (
        f"{rc.old_number}" if rc.old_number == rc.new_number else f"{rc.old_number}→{rc.new_number}"
    )
    return (
        f"修改规则 {number}（{'、'.join(rc.fields)}）："
        f"{_rule_text(rc.old, old_org)}  ⇒  {_rule_text(rc.new, new_org)}"
    )
