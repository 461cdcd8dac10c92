"""Discovery, the service list (one service per matter in force) and service definitions."""

from __future__ import annotations

from flask import Response, url_for

from responsibility_catalog import Catalog
from web.open311 import bp
from web.open311.attributes import attributes_of
from web.open311.checks import check_jurisdiction, fail, open311_county
from web.open311.formats import respond
from web.reference_data import current_catalog
from web.throttling import open311_reads

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-28T00:00:00+08:00"


def catalog_in_force(fmt: str) -> Catalog:
    catalog = current_catalog(open311_county())
    if catalog is None:
        fail(fmt, 404, "当前没有生效的责任清单，暂无可受理的服务")
    return catalog


@bp.get("/discovery.<any(json, xml):fmt>")
@open311_reads
def discovery(fmt: str) -> Response:
    base = url_for("open311.discovery", fmt="json", _external=True).rsplit("/", 1)[0]
    data = {
        "changeset": CHANGESET,
        "contact": "巨鹿县大数据发展中心（诉求接口）",
        "key_service": "API 密钥由平台管理员在“接口密钥”页面签发",
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return respond(fmt, "discovery", None, data)


@bp.get("/services.<any(json, xml):fmt>")
@open311_reads
def service_list(fmt: str) -> Response:
    check_jurisdiction(fmt)
    catalog = catalog_in_force(fmt)
    services = [
        {
            "service_code": matter.id,
            "service_name": matter.name,
            "description": f"{domain.name}：{matter.name}（{catalog.title}）",
            "metadata": bool(attributes_of(matter.id)),
            "type": "realtime",
            "keywords": ",".join(matter.keywords),
            "group": domain.name,
        }
        for domain in catalog.domains
        for matter in domain.matters
    ]
    return respond(fmt, "services", "service", services)


@bp.get("/services/<code>.<any(json, xml):fmt>")
@open311_reads
def service_definition(code: str, fmt: str) -> Response:
    check_jurisdiction(fmt)
    catalog = catalog_in_force(fmt)
    if code not in catalog.matters_by_id:
        fail(fmt, 404, f"service_code {code} 不存在：请先查询 services 列表")
    attributes = [a.as_dict(i + 1) for i, a in enumerate(attributes_of(code))]
    return respond(
        fmt, "service_definition", None, {"service_code": code, "attributes": attributes}
    )
