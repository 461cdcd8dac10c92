"""Draft versions in the database: create, replace a matter, import, move status.

Published versions are frozen by a database trigger (ADR 0002); these functions change only
drafts, and only through the catalog model's own lifecycle checks.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.catalog_store import (
    CatalogLifecycleError,
    CatalogVersionNotFound,
    load_version,
    store_version,
)
from engine.core.audit import record_event
from engine.core.persistence.models import CatalogVersion
from responsibility_catalog import (
    Catalog,
    CatalogImmutable,
    CatalogInvalid,
    Matter,
    Problem,
    Status,
    latest_published,
    new_draft,
    validate,
    with_matter,
)
from responsibility_catalog.validator import validate_matter


def version_row(label: str, *, county: str, session: Session) -> CatalogVersion:
    row = session.scalars(
        select(CatalogVersion).where(CatalogVersion.county == county, CatalogVersion.label == label)
    ).first()
    if row is None:
        raise CatalogVersionNotFound(f"没有清单版本“{label}”")
    return row


def published_versions(*, county: str, session: Session) -> list[Catalog]:
    labels = session.scalars(
        select(CatalogVersion.label).where(
            CatalogVersion.county == county,
            CatalogVersion.status.in_([Status.PUBLISHED.value, Status.SUPERSEDED.value]),
        )
    ).all()
    return [load_version(label, county=county, session=session) for label in labels]


def current_published(*, county: str, session: Session) -> Catalog | None:
    """The latest published version: what a new draft starts from and is compared with."""
    return latest_published(published_versions(county=county, session=session))


def check_label(label: str) -> str:
    label = label.strip()
    if not label or len(label) > 40 or any(c in label for c in "/\\?#%&<>\"' "):
        raise CatalogLifecycleError("版本号应为 1 到 40 个字符，不含空格和 / \\ ? # % & 等符号")
    return label


def create_draft(
    label: str, *, county: str, actor: str, now: datetime, session: Session
) -> Catalog:
    """A draft copy of the version in force, under ``label``.

    :raises CatalogLifecycleError: bad or taken label, or nothing published yet.
    """
    base = current_published(county=county, session=session)
    if base is None:
        raise CatalogLifecycleError("尚无已公布的清单版本，请先导入 Excel 作为草稿")
    draft = new_draft(base, label=check_label(label))
    store_version(draft, county=county, actor=actor, now=now, session=session)
    return draft


def store_imported(
    draft: Catalog, *, county: str, actor: str, now: datetime, session: Session
) -> Catalog:
    """Store a draft read from Excel, based on the version in force (for the diff)."""
    base = current_published(county=county, session=session)
    draft = draft.revised(
        label=check_label(draft.label),
        status=Status.DRAFT,
        effective=None,
        based_on=base.label if base else None,
    )
    store_version(draft, county=county, actor=actor, now=now, session=session)
    return draft


def save_matter(
    label: str,
    matter: Matter,
    *,
    domain_id: str | None = None,
    county: str,
    actor: str,
    now: datetime,
    session: Session,
) -> Catalog:
    """Replace (or add) one matter of a draft.

    :raises CatalogInvalid: the matter has validator problems; nothing is stored.
    :raises CatalogLifecycleError: the version is not a draft (e.g. under consultation).
    """
    row = version_row(label, county=county, session=session)
    if row.status != Status.DRAFT.value:
        raise CatalogLifecycleError(
            f"版本 {label} 当前为“{Status(row.status).label}”，不能修改"
            + ("；请在审核时选择“修改后重新征求意见”" if row.status == "consultation" else "")
        )
    catalog = load_version(label, county=county, session=session)
    problems = validate_matter(matter, catalog.organisation)
    clash = catalog.matters_by_id.get(matter.id)
    if clash is None and domain_id is None:
        problems.append(Problem("schema", "新事项必须属于一个领域", field="domain"))
    if problems:
        raise CatalogInvalid(problems)
    try:
        revised = with_matter(catalog, matter, domain_id=domain_id)
    except (CatalogImmutable, KeyError) as exc:
        raise CatalogLifecycleError(str(exc).strip("'")) from exc
    before = catalog.matters_by_id.get(matter.id)
    row.content_json = json.dumps(revised.to_dict(), ensure_ascii=False)
    row.content_hash = revised.content_hash
    record_event(
        county=county,
        at=now,
        actor=actor,
        action="catalog.matter_saved",
        detail={
            "label": label,
            "matter_id": matter.id,
            "before": before.to_dict() if before else None,
            "after": matter.to_dict(),
        },
        session=session,
    )
    return revised


def set_status(
    label: str, status: Status, *, county: str, actor: str, now: datetime, session: Session
) -> None:
    """Move a draft to or from ``consultation`` (publication goes through publish_version).

    :raises CatalogLifecycleError: the catalog lifecycle does not allow the move.
    """
    row = version_row(label, county=county, session=session)
    if row.status == status.value:
        return
    current = Status(row.status)
    if current in (Status.PUBLISHED, Status.SUPERSEDED) or status in (
        Status.PUBLISHED,
        Status.SUPERSEDED,
    ):
        raise CatalogLifecycleError(f"版本 {label} 不能从“{current.label}”变为“{status.label}”")
    row.status = status.value
    record_event(
        county=county,
        at=now,
        actor=actor,
        action="catalog.status",
        detail={"label": label, "from": current.value, "to": status.value},
        session=session,
    )


def draft_problems(label: str, *, county: str, session: Session) -> list[Problem]:
    return validate(load_version(label, county=county, session=session))


def remove_matter(
    label: str, matter_id: str, *, county: str, actor: str, now: datetime, session: Session
) -> Catalog:
    """Delete one matter from a draft (its complaints keep the version that routed them).

    :raises CatalogLifecycleError: not a draft, or no such matter.
    """
    row = version_row(label, county=county, session=session)
    if row.status != Status.DRAFT.value:
        raise CatalogLifecycleError(f"版本 {label} 当前为“{Status(row.status).label}”，不能修改")
    catalog = load_version(label, county=county, session=session)
    before = catalog.matters_by_id.get(matter_id)
    if before is None:
        raise CatalogLifecycleError(f"草稿 {label} 中没有事项 {matter_id}")
    domains = tuple(
        dataclasses.replace(d, matters=tuple(m for m in d.matters if m.id != matter_id))
        for d in catalog.domains
    )
    revised = catalog.revised(domains=domains)
    row.content_json = json.dumps(revised.to_dict(), ensure_ascii=False)
    row.content_hash = revised.content_hash
    record_event(
        county=county,
        at=now,
        actor=actor,
        action="catalog.matter_removed",
        detail={"label": label, "matter_id": matter_id, "before": before.to_dict()},
        session=session,
    )
    return revised
