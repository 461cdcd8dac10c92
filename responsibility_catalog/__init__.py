"""The responsibility catalog (《事项主体责任和配合责任清单目录》) and the organisation tree.

Pure data and functions: nothing here imports the rest of the project, reads the clock or the
environment, or touches a database. Files are read only by the loader, from a path it is given,
and workbooks only through ``workbook_guard`` (whose time budget uses a monotonic timer: work
done, not the platform's clock).
"""

from __future__ import annotations

from .attributes import LocationFacts, location_facts
from .conditions import Condition, ConditionSyntaxError, parse_condition
from .diff import CatalogDiff, diff_catalogs, render_diff
from .editing import MatterEdit, matter_from_fields, new_draft, with_matter
from .excel_export import export_xlsx
from .excel_import import import_xlsx
from .impact import affected_units
from .loader import load_catalog, load_catalogs, load_organisation, read_catalogs, shipped_data_path
from .matching import RuleMatch, compile_rules, match_rules, resolve_unit
from .model import DISPATCHER, LOCATION, Catalog, Domain, Matter, Rule, Status
from .organisation import Grid, Organisation, Road, Township, Unit, Village
from .problems import CatalogImmutable, CatalogInvalid, Problem
from .timelimits import TimeLimit, TimeLimits
from .validator import validate
from .versions import find_version, latest_published, select_in_force

__all__ = [
    "DISPATCHER",
    "LOCATION",
    "Catalog",
    "CatalogDiff",
    "CatalogImmutable",
    "CatalogInvalid",
    "Condition",
    "ConditionSyntaxError",
    "Domain",
    "Grid",
    "LocationFacts",
    "MatterEdit",
    "Matter",
    "Organisation",
    "Problem",
    "Road",
    "Rule",
    "RuleMatch",
    "Status",
    "TimeLimit",
    "TimeLimits",
    "Township",
    "Unit",
    "Village",
    "affected_units",
    "compile_rules",
    "diff_catalogs",
    "export_xlsx",
    "find_version",
    "import_xlsx",
    "latest_published",
    "load_catalog",
    "load_catalogs",
    "load_organisation",
    "location_facts",
    "match_rules",
    "matter_from_fields",
    "new_draft",
    "parse_condition",
    "read_catalogs",
    "render_diff",
    "resolve_unit",
    "select_in_force",
    "shipped_data_path",
    "validate",
    "with_matter",
]
