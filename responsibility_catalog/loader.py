"""Reading the catalog and the organisation tree from their YAML files.

Layout of a data root (the shipped one is ``shipped_data_path()``)::

    organisation/county.yaml          county, roads, departments and other units
    organisation/townships/*.yaml     one township per file, with villages and grids
    catalog/<label>/version.yaml      label, title, status, effective date, based_on, removed
    catalog/<label>/NN-<slug>.yaml    one domain per file with its matters

A version folder with ``based_on`` holds only the matters that differ from that version
(same id: replaced; new id: added; ``removed``: deleted). See docs/adr/0002.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from .model import Catalog, Domain, Matter, Rule, Status
from .organisation import Organisation, Township
from .problems import CatalogInvalid, Problem, SchemaError
from .timelimits import TimeLimits
from .validator import validate

VERSION_FILE = "version.yaml"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # safe loading, C-accelerated


def shipped_data_path() -> Path:
    """The data root shipped with the package (sample data for the demo county)."""
    return Path(__file__).resolve().parent / "data"


def load_catalogs(root: Path, *, check: bool = True) -> tuple[Catalog, ...]:
    """Load every catalog version under ``root``, oldest effective date first.

    :param check: run the validator on every version (the default; fail fast).
    :raises CatalogInvalid: listing every problem of every version.
    """
    catalogs, problems = read_catalogs(root, check=check)
    if problems:
        raise CatalogInvalid(problems)
    return catalogs


def load_catalog(root: Path, label: str) -> Catalog:
    """Load one version by label (its base versions are read too).

    :raises CatalogInvalid: if the version is missing or any loaded version has problems.
    """
    for catalog in load_catalogs(root):
        if catalog.label == label:
            return catalog
    raise CatalogInvalid([Problem("unknown_version", f"没有版本“{label}”", file=str(root))])


def read_catalogs(root: Path, *, check: bool = True) -> tuple[tuple[Catalog, ...], list[Problem]]:
    """Load what can be loaded and return it with every problem found; never raises for
    bad data."""
    root = Path(root)
    problems: list[Problem] = []
    organisation = _read_organisation(root / "organisation", problems)
    catalog_dir = root / "catalog"
    if not catalog_dir.is_dir():
        problems.append(Problem("missing_file", "找不到清单目录 catalog/", file=str(root)))
        return (), problems
    if organisation is None:
        return (), problems
    headers = {}
    for folder in sorted(p for p in catalog_dir.iterdir() if p.is_dir()):
        header = _read_header(folder, catalog_dir, problems)
        if header is not None:
            headers[header.label] = header
    resolved: dict[str, Catalog] = {}
    for label in headers:
        _resolve(label, headers, organisation, resolved, problems, catalog_dir, ())
    catalogs = sorted(resolved.values(), key=lambda c: (c.effective or date.max, c.label))
    if check:
        for catalog in catalogs:
            problems.extend(validate(catalog))
    return tuple(catalogs), problems


def load_organisation(path: Path) -> Organisation:
    """Load the organisation tree from a folder holding county.yaml and townships/.

    :raises CatalogInvalid: naming the file and field of every problem.
    """
    problems: list[Problem] = []
    organisation = _read_organisation(Path(path), problems)
    if problems or organisation is None:
        raise CatalogInvalid(problems)
    return organisation


@dataclass
class _Header:
    label: str
    folder: Path
    title: str
    status: Status
    effective: date | None
    based_on: str | None
    removed: tuple[str, ...]
    note: str


def _rel(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)


def _read_yaml(path: Path, base: Path, problems: list[Problem]) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        problems.append(Problem("unreadable_file", f"无法读取：{exc}", file=_rel(path, base)))
        return None


def _read_organisation(folder: Path, problems: list[Problem]) -> Organisation | None:
    base = folder.parent
    county_file = folder / "county.yaml"
    if not county_file.is_file():
        problems.append(Problem("missing_file", "找不到 county.yaml", file=_rel(county_file, base)))
        return None
    county = _read_yaml(county_file, base, problems)
    townships: list[Township] = []
    for path in sorted((folder / "townships").glob("*.yaml")):
        data = _read_yaml(path, base, problems)
        try:
            townships.append(Township.from_dict(data))
        except SchemaError as exc:
            problems.append(Problem("schema", exc.message, file=_rel(path, base), field=exc.field))
    if not isinstance(county, dict):
        return None
    try:
        return Organisation.from_dict({**county, "townships": [t.to_dict() for t in townships]})
    except SchemaError as exc:
        problems.append(
            Problem("schema", exc.message, file=_rel(county_file, base), field=exc.field)
        )
        return None


def _read_header(folder: Path, base: Path, problems: list[Problem]) -> _Header | None:
    path = folder / VERSION_FILE
    where = _rel(path, base)
    if not path.is_file():
        problems.append(Problem("missing_file", "版本目录缺少 version.yaml", file=where))
        return None
    data = _read_yaml(path, base, problems)
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
    return _Header(
        label=label,
        folder=folder,
        title=str(data.get("title") or ""),
        status=status,
        effective=effective,
        based_on=str(data["based_on"]) if data.get("based_on") else None,
        removed=tuple(str(r) for r in data.get("removed") or ()),
        note=str(data.get("note") or ""),
    )


def _resolve(
    label: str,
    headers: dict[str, _Header],
    organisation: Organisation,
    resolved: dict[str, Catalog],
    problems: list[Problem],
    base: Path,
    chain: tuple[str, ...],
) -> Catalog | None:
    if label in resolved:
        return resolved[label]
    header = headers[label]
    where = _rel(header.folder / VERSION_FILE, base)
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
        parent = _resolve(
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
    where = _rel(path, base)
    data = _read_yaml(path, base, problems)
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
