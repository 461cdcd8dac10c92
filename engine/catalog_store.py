"""Catalog versions in the database: seed, draft, publish, and the versions in force.

The catalog model and its rules live in ``responsibility_catalog``; this module only stores
versions (as their lossless dict form), moves them along draft → published → superseded,
and hands routing the versions in force, loading each immutable version once per process.
"""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from engine.core.audit import record_event
from engine.core.errors import EngineError
from engine.core.host import WorkflowHost
from engine.core.persistence.models import CatalogVersion
from engine.core.transactions import run_step
from responsibility_catalog import Catalog, CatalogInvalid, Status, validate


class CatalogVersionNotFound(EngineError):
    pass


class CatalogLifecycleError(EngineError):
    """A version cannot move that way (e.g. publishing a published version)."""


@dataclass(frozen=True)
class VersionInfo:
    label: str
    status: Status
    effective: date | None
    content_hash: str
    based_on: str | None
    created_at: datetime
    created_by: str
    published_at: datetime | None

    @classmethod
    def of(cls, row: CatalogVersion) -> VersionInfo:
        return cls(
            row.label,
            Status(row.status),
            row.effective,
            row.content_hash,
            row.based_on,
            row.created_at,
            row.created_by,
            row.published_at,
        )


def _row(county: str, label: str, session: Session) -> CatalogVersion:
    row = session.scalars(
        select(CatalogVersion).where(CatalogVersion.county == county, CatalogVersion.label == label)
    ).first()
    if row is None:
        raise CatalogVersionNotFound(f"没有清单版本“{label}”")
    return row


def store_version(
    catalog: Catalog, *, county: str, actor: str, now: datetime, session: Session
) -> VersionInfo:
    """Store a version under a new label (drafts from an import or an editor, or seeding)."""
    exists = session.scalar(
        select(CatalogVersion.id).where(
            CatalogVersion.county == county, CatalogVersion.label == catalog.label
        )
    )
    if exists is not None:
        raise CatalogLifecycleError(f"清单版本“{catalog.label}”已存在，请换一个版本号")
    row = CatalogVersion(
        county=county,
        label=catalog.label,
        status=catalog.status.value,
        effective=catalog.effective,
        content_hash=catalog.content_hash,
        content_json=json.dumps(catalog.to_dict(), ensure_ascii=False),
        based_on=catalog.based_on,
        created_at=now,
        created_by=actor,
        published_at=now if catalog.status is Status.PUBLISHED else None,
        published_by=actor if catalog.status is Status.PUBLISHED else None,
    )
    session.add(row)
    session.flush()
    record_event(
        county=county,
        at=now,
        actor=actor,
        action="catalog.stored",
        detail={
            "label": catalog.label,
            "status": catalog.status.value,
            "content_hash": catalog.content_hash,
        },
        session=session,
    )
    return VersionInfo.of(row)


def seed_versions(
    catalogs: Iterable[Catalog], *, county: str, actor: str, now: datetime, session: Session
) -> list[str]:
    """Store each version whose label is not stored yet. Returns the labels added."""
    known = set(
        session.scalars(select(CatalogVersion.label).where(CatalogVersion.county == county))
    )
    added = []
    for catalog in catalogs:
        if catalog.label not in known:
            store_version(catalog, county=county, actor=actor, now=now, session=session)
            added.append(catalog.label)
    return added


def list_versions(*, county: str, session: Session) -> list[VersionInfo]:
    rows = session.scalars(
        select(CatalogVersion)
        .where(CatalogVersion.county == county)
        .order_by(CatalogVersion.created_at, CatalogVersion.id)
    ).all()
    return [VersionInfo.of(r) for r in rows]


def load_version(label: str, *, county: str, session: Session) -> Catalog:
    """The stored version; its status and effective date are the row's (they move on
    publication while the stored content stays as it was written)."""
    row = _row(county, label, session)
    catalog = Catalog.from_dict(json.loads(row.content_json))
    return dataclasses.replace(catalog, status=Status(row.status), effective=row.effective)


def publish_version(
    label: str, effective: date, *, county: str, actor: str, now: datetime, session: Session
) -> list[str]:
    """Publish a draft (or a version under consultation) from ``effective`` on.

    Published versions that the new one follows are marked superseded; they keep applying
    to complaints that arrived before ``effective``.

    :raises CatalogInvalid: the version has validation problems; nothing changes.
    :return: labels that became superseded.
    """
    row = _row(county, label, session)
    if row.status not in (Status.DRAFT.value, Status.CONSULTATION.value):
        raise CatalogLifecycleError(
            f"版本 {label} 当前为“{Status(row.status).label}”，只有草稿或征求意见中的版本可以公布"
        )
    catalog = Catalog.from_dict(json.loads(row.content_json))
    try:
        published = catalog.with_status(Status.PUBLISHED, effective=effective)
    except Exception as err:  # CatalogImmutable: the lifecycle refuses this move
        raise CatalogLifecycleError(str(err)) from err
    problems = validate(published)
    if problems:
        raise CatalogInvalid(problems)
    row.status = Status.PUBLISHED.value
    row.effective = effective
    row.published_at = now
    row.published_by = actor
    superseded = []
    for other in session.scalars(
        select(CatalogVersion).where(
            CatalogVersion.county == county,
            CatalogVersion.status == Status.PUBLISHED.value,
            CatalogVersion.id != row.id,
            CatalogVersion.effective < effective,
        )
    ):
        other.status = Status.SUPERSEDED.value
        superseded.append(other.label)
    record_event(
        county=county,
        at=now,
        actor=actor,
        action="catalog.published",
        detail={"label": label, "effective": effective.isoformat(), "superseded": superseded},
        session=session,
    )
    return superseded


class CatalogVersionDesk:
    """The stored versions on a host, for callers that hold no session (the CLI, seeding):
    each read opens its own session, each write is one retried step. It registers nothing
    on the host, so building one is free."""

    def __init__(self, host: WorkflowHost) -> None:
        self.host = host

    def versions(self, *, county: str) -> list[VersionInfo]:
        with self.host.session_factory() as session:
            return list_versions(county=county, session=session)

    def catalogs(self, *, county: str) -> tuple[Catalog, ...]:
        """Every stored version, in the order they were stored."""
        with self.host.session_factory() as session:
            return tuple(
                load_version(info.label, county=county, session=session)
                for info in list_versions(county=county, session=session)
            )

    def seed(self, catalogs: Iterable[Catalog], *, county: str, actor: str) -> list[str]:
        """Store the versions not stored yet (see :func:`seed_versions`); the labels added."""
        return run_step(
            self.host.session_factory,
            lambda s: seed_versions(
                catalogs, county=county, actor=actor, now=self.host.clock.now(), session=s
            ),
        )

    def publish(self, label: str, effective: date, *, county: str, actor: str) -> list[str]:
        """Publish directly, outside a consultation (see :func:`publish_version`)."""
        return run_step(
            self.host.session_factory,
            lambda s: publish_version(
                label, effective, county=county, actor=actor, now=self.host.clock.now(), session=s
            ),
        )


# Asked on every routing and deadline step: the statement is built once (ADR 0023).
_IN_FORCE = (
    select(
        CatalogVersion.label,
        CatalogVersion.content_hash,
        CatalogVersion.status,
        CatalogVersion.effective,
    )
    .where(
        CatalogVersion.county == bindparam("b_county"),
        CatalogVersion.status.in_([Status.PUBLISHED.value, Status.SUPERSEDED.value]),
    )
    .order_by(CatalogVersion.effective)
)


class CatalogRegistry:
    """The versions in force per county, each immutable version loaded once per process."""

    def __init__(self) -> None:
        self._loaded: dict[tuple[str, str, str], Catalog] = {}
        self._lock = threading.Lock()

    def in_force(self, *, county: str, session: Session) -> tuple[Catalog, ...]:
        """Published and superseded versions (the only ones routing may use)."""
        rows = session.execute(_IN_FORCE, {"b_county": county}).all()
        catalogs = []
        for label, content_hash, status, effective in rows:
            key = (county, label, content_hash)
            catalog = self._loaded.get(key)
            if catalog is None:
                catalog = load_version(label, county=county, session=session)
                with self._lock:
                    self._loaded[key] = catalog
            # Status and effective date move on publication; the content never does.
            if catalog.status.value != status or catalog.effective != effective:
                catalog = dataclasses.replace(catalog, status=Status(status), effective=effective)
                with self._lock:
                    self._loaded[key] = catalog
            catalogs.append(catalog)
        return tuple(catalogs)
