"""Shared helpers for catalog and routing tests: the shipped versions and small factories."""

from __future__ import annotations

import dataclasses
from functools import cache

from responsibility_catalog import (
    Catalog,
    Domain,
    Matter,
    Rule,
    Status,
    TimeLimit,
    TimeLimits,
    load_catalogs,
    shipped_data_path,
)


@cache
def shipped() -> tuple[Catalog, ...]:
    return load_catalogs(shipped_data_path())


def version(label: str) -> Catalog:
    return next(c for c in shipped() if c.label == label)


def make_rule(when: str = "其他", primary: str = "@location", *supporting: str, **kw: str) -> Rule:
    return Rule(
        when=when,
        primary=primary,
        supporting=supporting,
        basis=kw.get("basis", "《测试依据》"),
        note=kw.get("note", ""),
    )


def make_matter(matter_id: str = "T01-01", *rules: Rule, **overrides: object) -> Matter:
    fields: dict[str, object] = {
        "id": matter_id,
        "name": "测试事项",
        "keywords": ("测试",),
        "time_limits": TimeLimits(TimeLimit(2, "hours"), TimeLimit(5, "working_days"), 1),
        "rules": rules or (make_rule(),),
        "source": "test/99-test.yaml",
    }
    fields.update(overrides)
    return Matter(**fields)  # type: ignore[arg-type]  # test data built as a loose dict


def draft_with(*matters: Matter, base: Catalog | None = None, alone: bool = False) -> Catalog:
    """A draft of the published version with an extra domain holding ``matters``.

    :param alone: keep only that domain (cheaper, for property tests).
    """
    base = base or version("2022-06")
    domain = Domain("T01", "测试领域", tuple(matters))
    domains = (domain,) if alone else (*base.domains, domain)
    return dataclasses.replace(base, label="test", status=Status.DRAFT, domains=domains)
