"""Which modules declare tables besides the core's own.

The workflow core knows no domain, yet ``create_all``, Alembic's autogenerate and the
``create_all == upgrade head`` check need every table in ``Base.metadata``. Each domain registers
its table modules by name (``engine.domains`` does it for the shipped ones); loading imports
them only when the schema is needed, so registering costs nothing and creates no import cycle.
"""

from __future__ import annotations

import importlib

_MODULES: list[str] = []


def register_tables(*module_names: str) -> None:
    """Make ``module_names`` part of the schema (idempotent, order kept)."""
    for name in module_names:
        if name not in _MODULES:
            _MODULES.append(name)


def import_registered() -> None:
    for name in _MODULES:
        importlib.import_module(name)
