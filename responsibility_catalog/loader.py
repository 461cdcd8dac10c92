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

from datetime import date
from pathlib import Path

from .model import Catalog
from .organisation import Organisation, Township
from .problems import CatalogInvalid, Problem, SchemaError
from .validator import validate
from .version_files import read_header, read_yaml, rel, resolve


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
        header = read_header(folder, catalog_dir, problems)
        if header is not None:
            headers[header.label] = header
    resolved: dict[str, Catalog] = {}
    for label in headers:
        resolve(label, headers, organisation, resolved, problems, catalog_dir, ())
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


def _read_organisation(folder: Path, problems: list[Problem]) -> Organisation | None:
    base = folder.parent
    county_file = folder / "county.yaml"
    if not county_file.is_file():
        problems.append(Problem("missing_file", "找不到 county.yaml", file=rel(county_file, base)))
        return None
    county = read_yaml(county_file, base, problems)
    townships: list[Township] = []
    for path in sorted((folder / "townships").glob("*.yaml")):
        data = read_yaml(path, base, problems)
        try:
            townships.append(Township.from_dict(data))
        except SchemaError as exc:
            problems.append(Problem("schema", exc.message, file=rel(path, base), field=exc.field))
    if not isinstance(county, dict):
        return None
    try:
        return Organisation.from_dict({**county, "townships": [t.to_dict() for t in townships]})
    except SchemaError as exc:
        problems.append(
            Problem("schema", exc.message, file=rel(county_file, base), field=exc.field)
        )
        return None
