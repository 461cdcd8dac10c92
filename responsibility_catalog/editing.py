"""Editing a draft: a matter built from form fields, and a draft with one matter replaced.

The organisation department edits one matter at a time. The form's fields arrive as plain
strings keyed like ``name``, ``keywords``, ``sign_for``, ``handle``, ``extensions`` and, per
rule in list order, ``rules-<n>-when`` / ``-primary`` / ``-supporting`` / ``-basis`` /
``-note`` (``n`` from 0). Every problem comes back keyed by the field at fault, so a page can
show the validator's message next to it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .excel_layout import split_list
from .model import Catalog, Domain, Matter, Rule, Status
from .problems import CatalogImmutable, Problem
from .timelimits import TimeLimit, TimeLimits
from .validator import validate_matter

MAX_RULES = 20
_RULE_KEY = re.compile(r"^rules-(\d+)-(when|primary|supporting|basis|note)$")
# Validator fields that are not form fields of their own.
_FIELD_KEYS = {"time_limits": "handle", "id": "name", "rules": "rules"}


@dataclass(frozen=True)
class MatterEdit:
    """A matter as edited (or ``None`` when the fields do not make one), with every problem
    keyed by form field (``rules-1-primary``) or ``rules`` / ``general``."""

    matter: Matter | None
    errors: dict[str, list[str]]

    @property
    def ok(self) -> bool:
        return self.matter is not None and not self.errors


def field_key(problem: Problem) -> str:
    """The form field a validator problem belongs next to."""
    if problem.rule_number is not None:
        name = (
            problem.field if problem.field in ("when", "primary", "supporting", "basis") else "when"
        )
        return f"rules-{problem.rule_number - 1}-{name}"
    return _FIELD_KEYS.get(problem.field or "", problem.field or "general")


def rule_count(fields: Mapping[str, object]) -> int:
    numbers = [int(m.group(1)) for key in fields if (m := _RULE_KEY.match(key))]
    return max(numbers) + 1 if numbers else 0


def _values(fields: Mapping[str, object], key: str) -> list[str]:
    value = fields.get(key)
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    return split_list(str(value))


def _text(fields: Mapping[str, object], key: str) -> str:
    value = fields.get(key)
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    return str(value or "").strip()


def fields_of_matter(matter: Matter) -> dict[str, object]:
    """The edit form's fields for ``matter``: the inverse of :func:`matter_from_fields`."""
    fields: dict[str, object] = {
        "name": matter.name,
        "keywords": "、".join(matter.keywords),
        "sign_for": str(matter.time_limits.sign_for),
        "handle": str(matter.time_limits.handle),
        "extensions": str(matter.time_limits.extensions),
    }
    for n, rule in enumerate(matter.rules):
        fields[f"rules-{n}-when"] = rule.when
        fields[f"rules-{n}-primary"] = rule.primary
        fields[f"rules-{n}-supporting"] = list(rule.supporting)
        fields[f"rules-{n}-basis"] = rule.basis
        fields[f"rules-{n}-note"] = rule.note
    return fields


def matter_from_fields(
    matter_id: str, fields: Mapping[str, object], catalog: Catalog
) -> MatterEdit:
    """Build the edited matter and check it with the validator against ``catalog``'s tree.

    :param fields: form values; multi-valued fields (supporting units) as lists.
    """
    errors: dict[str, list[str]] = {}

    def add(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    org = catalog.organisation
    name = _text(fields, "name")
    keywords = tuple(dict.fromkeys(_values(fields, "keywords")))
    limits: list[TimeLimit | None] = []
    for key in ("sign_for", "handle"):
        try:
            limits.append(TimeLimit.parse(_text(fields, key)))
        except ValueError as exc:
            add(key, str(exc))
            limits.append(None)
    extensions_text = _text(fields, "extensions")
    extensions = 0
    if not re.fullmatch(r"\d{1,2}", extensions_text):
        add("extensions", f"可延期次数“{extensions_text}”应为 0 到 3 的整数")
    else:
        extensions = int(extensions_text)
    count = rule_count(fields)
    if count > MAX_RULES:
        add("rules", f"一个事项最多 {MAX_RULES} 条规则")
        count = MAX_RULES
    rules: list[Rule] = []
    for n in range(count):
        primary = _text(fields, f"rules-{n}-primary")
        when = _text(fields, f"rules-{n}-when")
        if not when:
            add(f"rules-{n}-when", "请填写适用条件（最后一条可写“其他”）")
        if not primary:
            add(f"rules-{n}-primary", "请选择主体责任单位")
        for ref in _values(fields, f"rules-{n}-supporting"):
            if ref not in org.all_units and not ref.startswith("@"):
                add(f"rules-{n}-supporting", f"配合责任单位“{ref}”不在组织架构中")
        rules.append(
            Rule(
                when=when,
                primary=primary,
                supporting=tuple(_values(fields, f"rules-{n}-supporting")),
                basis=_text(fields, f"rules-{n}-basis"),
                note=_text(fields, f"rules-{n}-note"),
            )
        )
    if not rules:
        add("rules", "事项至少要有一条规则")
    if errors or limits[0] is None or limits[1] is None:
        return MatterEdit(None, errors)
    matter = Matter(
        id=matter_id,
        name=name,
        keywords=keywords,
        time_limits=TimeLimits(limits[0], limits[1], extensions),
        rules=tuple(rules),
    )
    for problem in validate_matter(matter, org):
        if problem.code == "not_total" or problem.field == "rules":
            add("rules", problem.message)
        else:
            add(field_key(problem), problem.message)
    return MatterEdit(matter, errors)


def find_domain(catalog: Catalog, matter_id: str) -> Domain | None:
    return catalog.domain_of.get(matter_id)


def with_matter(catalog: Catalog, matter: Matter, *, domain_id: str | None = None) -> Catalog:
    """The draft with ``matter`` replacing the matter of the same id (or appended to
    ``domain_id`` when it is new).

    :raises CatalogImmutable: ``catalog`` is not a draft.
    :raises KeyError: a new matter without a known ``domain_id``.
    """
    if catalog.status is not Status.DRAFT:
        raise CatalogImmutable(f"版本 {catalog.label} 当前为“{catalog.status.label}”，不能修改")
    existing = catalog.domain_of.get(matter.id)
    target = existing.id if existing is not None else domain_id
    if target not in {d.id for d in catalog.domains}:
        raise KeyError(f"没有领域“{domain_id}”")
    # Keep the source file name so validator messages still point at the same YAML file.
    source = catalog.matters_by_id[matter.id].source if existing is not None else ""
    matter = dataclasses.replace(matter, source=source)
    domains = []
    for domain in catalog.domains:
        if domain.id != target:
            domains.append(domain)
        elif existing is not None:
            domains.append(
                dataclasses.replace(
                    domain,
                    matters=tuple(matter if m.id == matter.id else m for m in domain.matters),
                )
            )
        else:
            domains.append(dataclasses.replace(domain, matters=(*domain.matters, matter)))
    return catalog.revised(domains=tuple(domains))


def new_draft(base: Catalog, *, label: str, title: str | None = None) -> Catalog:
    """A draft copy of ``base`` (usually the published version) under a new label."""
    return dataclasses.replace(
        base,
        label=label,
        status=Status.DRAFT,
        effective=None,
        based_on=base.label,
        title=title or base.title,
        note="",
    )


def matter_ids(catalogs: Iterable[Catalog]) -> set[str]:
    return {m.id for c in catalogs for m in c.matters()}
