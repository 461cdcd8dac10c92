"""Reading one version folder: its version.yaml, its domain files, and overlays on a base."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from .model import Catalog, Domain, Matter, Rule, Status
from .organisation import Organisation
from .problems import Problem
from .timelimits import TimeLimits

VERSION_FILE = "version.yaml"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # safe loading, C-accelerated


@dataclass
class Header:
    label: str
    folder: Path
    title: str
    status: Status
    effective: date | None
    based_on: str | None
    removed: tuple[str, ...]
    note: str


def rel(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)


def read_yaml(path: Path, base: Path, problems: list[Problem]) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        problems.append(Problem("unreadable_file", f"无法读取：{exc}", file=rel(path, base)))
        return None


def read_header(folder: Path, base: Path, problems: list[Problem]) -> Header | None:
    path = folder / VERSION_FILE
    where = rel(path, base)
    if not path.is_file():
        problems.append(Problem("missing_file", "版本目录缺少 version.yaml", file=where))
        return None
    data = read_yaml(path, base, problems)
    if not isinstance(data, dict):
        problems.append(Problem("schema", "version.yaml 应为键值映射", file=where))
        return None
    label = str(data.get("label") or "")
    if label != folder.name:
        problems.append(
            Problem(
                "schema", f"版本号“{label}”与目录名“{folder.name}”不一致", file=where, field="label"
            )
        )
        return None
    try:
        status = Status(str(data.get("status")))
    except ValueError:
        problems.append(
            Problem("schema", f"状态“{data.get('status')}”未知", file=where, field="status")
        )
        return None
    effective = data.get("effective")
    if effective is not None and not isinstance(effective, date):
        problems.append(
            Problem(
                "schema", f"生效日期“{effective}”应写作 YYYY-MM-DD", file=where, field="effective"
            )
        )
        return None
    return Header(
        label=label,
        folder=folder,
        title=str(data.get("title") or ""),
        status=status,
        effective=effective,
        based_on=str(data["based_on"]) if data.get("based_on") else None,
        removed=tuple(str(r) for r in data.get("removed") or ()),
        note=str(data.get("note") or ""),
    )


def resolve(
    label: str,
    headers: dict[str, Header],
    organisation: Organisation,
    resolved: dict[str, Catalog],
    problems: list[Problem],
    base: Path,
    chain: tuple[str, ...],
) -> Catalog | None:
    if label in resolved:
        return resolved[label]
    header = headers[label]
    where = rel(header.folder / VERSION_FILE, base)
    domains: list[tuple[str, str, list[Matter]]] = []
    if header.based_on is not None:
        if header.based_on in chain or header.based_on == label:
            problems.append(Problem("schema", "based_on 形成循环", file=where, field="based_on"))
            return None
        if header.based_on not in headers:
            problems.append(
                Problem(
                    "schema", f"基础版本“{header.based_on}”不存在", file=where, field="based_on"
                )
            )
            return None
        parent = resolve(
            header.based_on, headers, organisation, resolved, problems, base, (*chain, label)
        )
        if parent is None:
            return None
        domains = [(d.id, d.name, list(d.matters)) for d in parent.domains]
        for matter_id in header.removed:
            if not _remove(domains, matter_id):
                problems.append(
                    Problem(
                        "schema",
                        f"要删除的事项 {matter_id} 在基础版本中不存在",
                        file=where,
                        field="removed",
                        matter_id=matter_id,
                    )
                )
    elif header.removed:
        problems.append(Problem("schema", "没有 based_on 的完整版本不能写 removed", file=where))
    seen: dict[str, str] = {}
    for path in sorted(header.folder.glob("*.yaml")):
        if path.name == VERSION_FILE:
            continue
        parsed = _read_domain_file(path, base, problems, seen)
        if parsed is not None:
            _overlay(domains, *parsed)
    catalog = Catalog(
        label=label,
        status=header.status,
        effective=header.effective,
        title=header.title,
        organisation=organisation,
        domains=tuple(Domain(i, n, tuple(ms)) for i, n, ms in domains),
        based_on=header.based_on,
        note=header.note,
    )
    resolved[label] = catalog
    return catalog


def _remove(domains: list[tuple[str, str, list[Matter]]], matter_id: str) -> bool:
    for _, _, matters in domains:
        for i, m in enumerate(matters):
            if m.id == matter_id:
                del matters[i]
                return True
    return False


def _overlay(
    domains: list[tuple[str, str, list[Matter]]], domain_id: str, name: str, matters: list[Matter]
) -> None:
    index = next((i for i, d in enumerate(domains) if d[0] == domain_id), None)
    if index is None:
        domains.append((domain_id, name, []))
        index = len(domains) - 1
    domains[index] = (domain_id, name, domains[index][2])
    target = domains[index][2]
    for matter in matters:
        position = next((i for i, m in enumerate(target) if m.id == matter.id), None)
        if position is not None:
            target[position] = matter
            continue
        _remove(domains, matter.id)
        target.append(matter)


def _read_domain_file(
    path: Path, base: Path, problems: list[Problem], seen: dict[str, str]
) -> tuple[str, str, list[Matter]] | None:
    where = rel(path, base)
    data = read_yaml(path, base, problems)
    if data is None:
        return None
    domain = data.get("domain") if isinstance(data, dict) else None
    if not isinstance(domain, dict) or not domain.get("id") or not domain.get("name"):
        problems.append(
            Problem("schema", "文件应以 domain: {id, name} 开头", file=where, field="domain")
        )
        return None
    matters: list[Matter] = []
    for position, raw in enumerate(data.get("matters") or [], 1):
        matter = _read_matter(raw, where, position, problems)
        if matter is None:
            continue
        if matter.id in seen:
            problems.append(
                Problem(
                    "duplicate_id",
                    f"事项编号 {matter.id} 重复（另见 {seen[matter.id]}）",
                    file=where,
                    matter_id=matter.id,
                    field="id",
                )
            )
            continue
        seen[matter.id] = where
        matters.append(matter)
    return str(domain["id"]), str(domain["name"]), matters


def _read_matter(raw: Any, where: str, position: int, problems: list[Problem]) -> Matter | None:
    if not isinstance(raw, dict) or not raw.get("id"):
        problems.append(Problem("schema", f"第 {position} 个事项缺少 id", file=where, field="id"))
        return None
    matter_id = str(raw["id"])
    issue = _Problems(problems, where, matter_id)
    for key in ("name", "time_limits", "rules"):
        if not raw.get(key):
            issue("schema", f"缺少字段 {key}", field=key)
            return None
    try:
        limits = TimeLimits.from_dict(raw["time_limits"])
    except (ValueError, AttributeError) as exc:
        issue("invalid_time_limit", str(exc), field="time_limits")
        return None
    rules: list[Rule] = []
    for number, rule in enumerate(raw["rules"], 1):
        if not isinstance(rule, dict) or "when" not in rule or "primary" not in rule:
            issue("schema", "规则应包含 when 和 primary", rule_number=number)
            return None
        rules.append(Rule.from_dict({"basis": raw.get("basis", ""), **rule}))
    keywords = raw.get("keywords") or []
    return Matter(
        id=matter_id,
        name=str(raw["name"]),
        keywords=tuple(str(k) for k in keywords),
        time_limits=limits,
        rules=tuple(rules),
        source=where,
    )


@dataclass
class _Problems:
    sink: list[Problem]
    file: str
    matter_id: str

    def __call__(self, code: str, message: str, **where: Any) -> None:
        self.sink.append(Problem(code, message, file=self.file, matter_id=self.matter_id, **where))
