"""The allowed arrows between packages (issue 23, ADR 0020), checked on every run.

`lint-imports` (import-linter, contracts in ``.importlinter``) checks the layers: cli → web →
analytics/simulation → engine → rules → responsibility_catalog, and inside the engine
composition → domains → complaints → shared services → the domain-free core. The tests below add
what a layer contract cannot say: web and the CLI reach the engine only through its public
modules, never hold an ORM class, never open a session or write SQL, and never hard-code a county.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# A package's __init__ is its public face: what web and the CLI may import from the engine.
PUBLIC_ENGINE_MODULES = frozenset(
    {
        "engine",
        "engine.core",
        "engine.complaints",
        "engine.intake",
        "engine.catalog_revision",
        "engine.agri",
        "engine.open311",
        "engine.people",
        "engine.working_calendar",
        "engine.catalog_store",
        "engine.bootstrap",
        "engine.scheduler",
        "engine.maintenance",
        "engine.operational_figures",
        "engine.desks",
    }
)
# The operators' database commands (init, upgrade, backup, restore: cli/db.py, cli/backup.py)
# work on the database itself: they may use the persistence package and SQLAlchemy's engine.
CLI_DATABASE_MODULES = ("engine.core.persistence",)


def _sources(package: str) -> Iterator[Path]:
    yield from sorted((ROOT / package).rglob("*.py"))


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def test_import_linter_contracts_hold() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--config", str(ROOT / ".importlinter"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout
    assert "KEPT" in result.stdout


def import_offences(text: str, where: str, *, database_commands: bool = False) -> list[str]:
    offences = []
    for node in ast.walk(ast.parse(text)):
        modules: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module]
        elif isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        for module in modules:
            is_sqlalchemy = module == "sqlalchemy" or module.startswith("sqlalchemy.")
            if is_sqlalchemy and not database_commands:
                offences.append(f"{where}:{node.lineno} imports {module}")
            if not (module == "engine" or module.startswith("engine.")):
                continue
            if module in PUBLIC_ENGINE_MODULES:
                continue
            if database_commands and module.startswith(CLI_DATABASE_MODULES):
                continue
            offences.append(f"{where}:{node.lineno} imports {module}")
    return offences


SQL_CALLS = frozenset({"select", "begin", "execute", "scalars", "scalar"})


def sql_offences(text: str, where: str) -> list[str]:
    offences = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Attribute | ast.Name):
            name = node.attr if isinstance(node, ast.Attribute) else node.id
            if name == "session_factory":
                offences.append(f"{where}:{node.lineno} uses session_factory")
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in SQL_CALLS:
                offences.append(f"{where}:{node.lineno} calls {name}()")
    return offences


def _database_commands(path: Path) -> bool:
    return _module_name(path).startswith(("cli.db", "cli.backup"))


@pytest.mark.parametrize("package", ["web", "cli"])
def test_engine_is_reached_only_through_public_modules(package: str) -> None:
    offences = []
    for path in _sources(package):
        where = str(path.relative_to(ROOT))
        text = path.read_text(encoding="utf-8")
        offences += import_offences(text, where, database_commands=_database_commands(path))
    assert offences == []


@pytest.mark.parametrize("package", ["web", "cli"])
def test_no_select_or_session_outside_the_engine(package: str) -> None:
    offences = []
    for path in _sources(package):
        if _database_commands(path):
            continue  # the operators' database commands, see CLI_DATABASE_MODULES
        offences += sql_offences(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert offences == []


def _orm_base() -> type:
    from engine.core.persistence.base import Base

    return Base


@pytest.mark.parametrize("package", ["web", "cli"])
def test_no_orm_model_class_is_held(package: str) -> None:
    """Not even through a package __init__: an ORM row in a view could lazy-load or be changed
    outside a step."""
    base = _orm_base()
    offences = []
    for path in _sources(package):
        name = _module_name(path)
        module = importlib.import_module(name)
        for attribute, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, base):
                offences.append(f"{name}.{attribute} is the ORM class {value.__qualname__}")
    assert offences == []


def test_web_names_no_county() -> None:
    """The county comes from the signed-in account or the request (engine.core.tenancy keeps
    the one default), never a constant in a page."""
    offences = []
    for path in _sources("web"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and node.value == "julu":
                offences.append(f"{path.relative_to(ROOT)}:{node.lineno} writes the county 'julu'")
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name) and target.id == "COUNTY":
                        offences.append(f"{path.relative_to(ROOT)}:{node.lineno} defines COUNTY")
    assert offences == []


def test_the_checks_see_an_offence() -> None:
    """The checks above fail on the shapes they look for (a check that finds nothing because
    it reads nothing proves nothing)."""
    sample = (
        "from sqlalchemy import select\n"
        "from engine.complaints.models import Complaint\n"
        "from engine.complaints import ComplaintDesk\n"
        "def view(host):\n"
        "    with host.session_factory() as session:\n"
        "        return session.scalars(select(Complaint))\n"
    )
    assert import_offences(sample, "sample.py") == [
        "sample.py:1 imports sqlalchemy",
        "sample.py:2 imports engine.complaints.models",
    ]
    assert sorted(sql_offences(sample, "sample.py")) == [
        "sample.py:5 uses session_factory",
        "sample.py:6 calls scalars()",
        "sample.py:6 calls select()",
    ]
    database = (
        "from engine.core.persistence.migrations import upgrade\nfrom sqlalchemy import Engine\n"
    )
    assert import_offences(database, "cli/db.py", database_commands=True) == []
    assert import_offences(database, "web/x.py") == [
        "web/x.py:1 imports engine.core.persistence.migrations",
        "web/x.py:2 imports sqlalchemy",
    ]


def test_public_modules_export_no_orm_class() -> None:
    """A domain's public face is its desk, its read models and their records: a row class
    exported there would be one import away from a page."""
    base = _orm_base()
    offences = []
    for name in sorted(PUBLIC_ENGINE_MODULES):
        module = importlib.import_module(name)
        exported = getattr(module, "__all__", None)
        if exported is None:
            continue  # a plain module (engine.catalog_store, engine.bootstrap): checked by name
        for attribute in exported:
            value = getattr(module, attribute)
            if inspect.isclass(value) and issubclass(value, base):
                offences.append(f"{name} exports the ORM class {attribute}")
    assert offences == []


@pytest.mark.parametrize("package", ["web", "cli"])
def test_names_taken_from_a_public_package_are_its_exports(package: str) -> None:
    """``from engine.complaints import X`` must name something the package exports, not a
    submodule or a name that merely happens to be importable from it."""
    offences = []
    for path in _sources(package):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.ImportFrom) and node.module in PUBLIC_ENGINE_MODULES):
                continue
            module = importlib.import_module(node.module)
            exported = getattr(module, "__all__", None)
            if exported is None:
                continue
            for alias in node.names:
                if alias.name not in exported:
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    offences.append(f"{where} takes {alias.name} from {node.module}")
    assert offences == []


@pytest.mark.parametrize("package", ["engine", "cli", "analytics", "simulation"])
def test_the_default_county_is_written_once(package: str) -> None:
    """``engine.core.tenancy.DEFAULT_COUNTY`` is the one place the demo county's key is
    written; commands and jobs default to it by name."""
    offences = []
    for path in _sources(package):
        if path == ROOT / "engine" / "core" / "tenancy.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value == "julu":
                offences.append(f"{path.relative_to(ROOT)}:{node.lineno} writes 'julu'")
    assert offences == []


def test_importing_the_engine_loads_the_core_only() -> None:
    """An engine-only process (the worker's timer sweep, a benchmark) loads a domain only when
    it imports it: ``engine/__init__`` once pulled the complaint domain, the catalog's Excel
    code and numpy into every process (peak RSS of bench/engine.py 123 → 216 MB)."""
    probe = (
        "import sys, engine\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[:2] in ("
        "['engine', 'complaints'], ['engine', 'intake'], ['engine', 'agri'],"
        " ['engine', 'catalog_revision'], ['engine', 'open311']) or m in ('numpy', 'openpyxl'))\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_loading_the_schema_leaves_the_suggestion_libraries_out() -> None:
    """Every process loads the whole schema (the domains' table modules); the intake package's
    table must not bring scikit-learn, SciPy and jieba (~100 MB) with it — only a suggestion does."""
    probe = (
        "import sys\n"
        "from engine.core.persistence.database import load_models\n"
        "load_models()\n"
        "print(','.join(m for m in ('sklearn', 'scipy', 'jieba') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
