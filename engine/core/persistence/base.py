"""The declarative base and the tenant column every table carries."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, ClassVar

from sqlalchemy import JSON, MetaData, String, Table
from sqlalchemy.orm import DeclarativeBase, mapped_column

from engine.core.persistence.types import UtcDateTime
from engine.core.tenancy import DEFAULT_COUNTY

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

CountyKey = Annotated[str, mapped_column(String(32), default=DEFAULT_COUNTY, index=True)]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON, list[dict[str, Any]]: JSON}
    if TYPE_CHECKING:
        # Every mapped class here declares a table, so Core statements may take `X.__table__`.
        __table__: ClassVar[Table]


__all__ = ["Base", "CountyKey", "UtcDateTime"]
