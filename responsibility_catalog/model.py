"""The catalog as immutable values: rules, matters, domains and a versioned Catalog."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cached_property
from typing import Any

from .organisation import Organisation
from .problems import CatalogImmutable
from .timelimits import TimeLimits

LOCATION = "@location"
DISPATCHER = "@dispatcher"
FORMAT_VERSION = 1


class Status(StrEnum):
    DRAFT = "draft"
    CONSULTATION = "consultation"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"

    @property
    def label(self) -> str:
        return {
            "draft": "草稿",
            "consultation": "征求意见",
            "published": "已公布",
            "superseded": "已废止",
        }[self.value]


@dataclass(frozen=True)
class Rule:
    """One row of the list: when ``when`` holds, ``primary`` leads and ``supporting`` help.

    Unit references are unit ids, ``@location`` (the township of the location) or, for the
    primary only, ``@dispatcher`` (the case goes to the dispatch centre to decide).
    """

    when: str
    primary: str
    supporting: tuple[str, ...] = ()
    basis: str = ""
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "when": self.when,
            "primary": self.primary,
            "supporting": list(self.supporting),
            "basis": self.basis,
            "note": self.note,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Rule:
        return cls(
            when=str(d["when"]).strip(),
            primary=str(d["primary"]).strip(),
            supporting=tuple(str(s).strip() for s in d.get("supporting") or ()),
            basis=str(d.get("basis") or ""),
            note=str(d.get("note") or ""),
        )


@dataclass(frozen=True)
class Matter:
    """A kind of request (事项) with its ordered rules and time limits."""

    id: str
    name: str
    keywords: tuple[str, ...]
    time_limits: TimeLimits
    rules: tuple[Rule, ...]
    source: str = field(default="", compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "keywords": list(self.keywords),
            "time_limits": self.time_limits.to_dict(),
            "rules": [r.to_dict() for r in self.rules],
            "source": self.source,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Matter:
        return cls(
            id=str(d["id"]),
            name=str(d["name"]),
            keywords=tuple(str(k) for k in d.get("keywords") or ()),
            time_limits=TimeLimits.from_dict(d["time_limits"]),
            rules=tuple(Rule.from_dict(r) for r in d["rules"]),
            source=str(d.get("source") or ""),
        )


@dataclass(frozen=True)
class Domain:
    """One of the 28 domains (领域) and its matters, in list order."""

    id: str
    name: str
    matters: tuple[Matter, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "matters": [m.to_dict() for m in self.matters]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Domain:
        return cls(str(d["id"]), str(d["name"]), tuple(Matter.from_dict(m) for m in d["matters"]))


_TRANSITIONS = {
    Status.DRAFT: {Status.CONSULTATION, Status.PUBLISHED},
    Status.CONSULTATION: {Status.DRAFT, Status.PUBLISHED},
    Status.PUBLISHED: {Status.SUPERSEDED},
    Status.SUPERSEDED: set(),
}


@dataclass(frozen=True)
class Catalog:
    """One version of the responsibility catalog, with the organisation tree it refers to.

    The tree is part of the version so that a published version routes the same way forever.
    """

    label: str
    status: Status
    effective: date | None
    title: str
    organisation: Organisation
    domains: tuple[Domain, ...]
    based_on: str | None = None
    note: str = ""

    def __hash__(self) -> int:
        return hash((self.label, self.status, self.content_hash))

    @cached_property
    def content_hash(self) -> str:
        """SHA-256 over the organisation and the domains (not label, status or dates)."""
        payload = {
            "organisation": self.organisation.to_dict(),
            "domains": [_content(d) for d in self.domains],
        }
        text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @cached_property
    def matters_by_id(self) -> dict[str, Matter]:
        return {m.id: m for d in self.domains for m in d.matters}

    @cached_property
    def domain_of(self) -> dict[str, Domain]:
        """The domain of each matter, by matter id."""
        return {m.id: d for d in self.domains for m in d.matters}

    def matters(self) -> list[Matter]:
        return [m for d in self.domains for m in d.matters]

    def with_status(self, status: Status | str, *, effective: date | None = None) -> Catalog:
        """A copy moved along draft → consultation → published → superseded.

        :raises CatalogImmutable: for a transition the lifecycle does not allow.
        """
        status = Status(status)
        if status not in _TRANSITIONS[self.status]:
            raise CatalogImmutable(
                f"版本 {self.label} 不能从“{self.status.label}”变为“{status.label}”"
            )
        new_effective = effective if effective is not None else self.effective
        if status is Status.PUBLISHED and new_effective is None:
            raise CatalogImmutable(f"版本 {self.label} 公布前必须确定生效日期")
        return dataclasses.replace(self, status=status, effective=new_effective)

    def revised(self, **changes: Any) -> Catalog:
        """A copy with changed content; only drafts and versions under consultation change.

        :raises CatalogImmutable: if this version is published or superseded.
        """
        if self.status in (Status.PUBLISHED, Status.SUPERSEDED):
            raise CatalogImmutable(f"版本 {self.label} 已{self.status.label}，不能修改")
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """A lossless JSON-able form; ``from_dict`` restores an equal Catalog."""
        return {
            "format": FORMAT_VERSION,
            "label": self.label,
            "title": self.title,
            "status": self.status.value,
            "effective": self.effective.isoformat() if self.effective else None,
            "based_on": self.based_on,
            "note": self.note,
            "content_hash": self.content_hash,
            "organisation": self.organisation.to_dict(),
            "domains": [d.to_dict() for d in self.domains],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Catalog:
        """Restore a Catalog stored with ``to_dict``.

        :raises ValueError: for an unknown format or a content hash that does not match.
        """
        if data.get("format") != FORMAT_VERSION:
            raise ValueError(f"unsupported catalog format {data.get('format')!r}")
        effective = data.get("effective")
        catalog = cls(
            label=str(data["label"]),
            status=Status(data["status"]),
            effective=date.fromisoformat(effective) if effective else None,
            title=str(data.get("title") or ""),
            organisation=Organisation.from_dict(data["organisation"]),
            domains=tuple(Domain.from_dict(d) for d in data["domains"]),
            based_on=data.get("based_on"),
            note=str(data.get("note") or ""),
        )
        stored = data.get("content_hash")
        if stored and stored != catalog.content_hash:
            raise ValueError(f"content hash mismatch for catalog {catalog.label}")
        return catalog


def _content(domain: Domain) -> dict[str, Any]:
    d = domain.to_dict()
    for m in d["matters"]:
        m.pop("source", None)
    return d
