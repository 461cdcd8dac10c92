"""POST requests: a report from another application, through the same intake and lifecycle
as the report page."""

from __future__ import annotations

import re
from datetime import date

from flask import Response, request

from engine.complaints import MAX_DESCRIPTION, ComplaintReport, ReportRejected
from engine.open311 import SubmissionDetails, submission_keeper
from web.idempotency import form_fingerprint, idempotent, submit_once
from web.open311 import bp
from web.open311.attributes import Attribute, attributes_of
from web.open311.checks import check_jurisdiction, client_or_fail, fail
from web.open311.formats import respond
from web.open311.forms import submitter_fields
from web.open311.locations import resolve
from web.open311.services import catalog_in_force
from web.platform import current_platform

# Intake field → the Open311 parameter a client sent, so errors name what the client knows.
_FIELDS = {"reporter_phone": "phone", "reporter_name": "first_name", "village_id": "address_id"}


def _answers(fmt: str, attributes: tuple[Attribute, ...]) -> dict[str, object]:
    known = {a.code: a for a in attributes}
    sent: dict[str, list[str]] = {}
    for key in request.form:
        match = re.fullmatch(r"attribute\[([^\]]+)\](\[\])?", key)
        if match:
            sent.setdefault(match.group(1), []).extend(request.form.getlist(key))
    unknown = sorted(set(sent) - set(known))
    if unknown:
        fail(fmt, 400, f"此服务没有属性 {'、'.join(unknown)}：请先查询服务定义")
    answers: dict[str, object] = {}
    for code, attribute in known.items():
        values = [v.strip() for v in sent.get(code, []) if v.strip()]
        if not values:
            if attribute.required:
                fail(fmt, 400, f"缺少必填属性 attribute[{code}]（{attribute.description}）")
            continue
        answers[code] = _checked(fmt, attribute, values)
    return answers


def _checked(fmt: str, attribute: Attribute, values: list[str]) -> object:
    code = attribute.code
    if attribute.datatype == "multivaluelist":
        keys = {k for k, _ in attribute.values}
        wrong = [v for v in values if v not in keys]
        if wrong:
            fail(
                fmt,
                400,
                f"attribute[{code}] 的取值 {'、'.join(wrong)} 无效，可选：{'、'.join(keys)}",
            )
        return values
    if len(values) > 1:
        fail(fmt, 400, f"attribute[{code}] 只能有一个值")
    value = values[0]
    if attribute.datatype == "singlevaluelist":
        keys = [k for k, _ in attribute.values]
        if value not in keys:
            fail(fmt, 400, f"attribute[{code}] 的取值 {value[:40]} 无效，可选：{'、'.join(keys)}")
    elif attribute.datatype == "number":
        try:
            number = float(value)
        except ValueError:
            fail(fmt, 400, f"attribute[{code}] 应为数字，收到“{value[:40]}”")
        if number != number or number < 0 or number > 1e9:
            fail(fmt, 400, f"attribute[{code}] 应为 0 到 10 亿之间的数")
        return number
    elif attribute.datatype == "datetime":
        try:
            date.fromisoformat(value[:10])
        except ValueError:
            fail(fmt, 400, f"attribute[{code}] 应为日期，如 2026-03-01")
    elif len(value) > 200:
        fail(fmt, 400, f"attribute[{code}] 不能超过 200 字")
    return value


def _summary(attributes: tuple[Attribute, ...], answers: dict[str, object]) -> str:
    lines = []
    for attribute in attributes:
        if attribute.code not in answers:
            continue
        value = answers[attribute.code]
        names = dict(attribute.values)
        shown = (
            # A multi-valued attribute's answer is a list
            "、".join(names.get(v, v) for v in value)  # type: ignore[union-attr]
            if isinstance(value, list)
            else names.get(str(value), f"{value:g}" if isinstance(value, float) else str(value))
        )
        lines.append(f"{attribute.description}：{shown}")
    return "\n".join(lines)


@bp.post("/requests.<any(json, xml):fmt>")
@idempotent("open311.requests", fingerprint=lambda: form_fingerprint(ignore=("api_key",)))
def create_request(fmt: str) -> Response:
    client = client_or_fail(fmt)
    check_jurisdiction(fmt)
    catalog = catalog_in_force(fmt)
    form = request.form
    code = form.get("service_code", "").strip()
    if not code:
        fail(fmt, 400, "缺少 service_code")
    matter = catalog.matters_by_id.get(code)
    if matter is None:
        fail(fmt, 400, f"service_code {code[:32]} 不存在：请先查询 services 列表")
    location = resolve(fmt, catalog.organisation)
    attributes = attributes_of(code)
    answers = _answers(fmt, attributes)
    fields = submitter_fields(form)
    text = "\n".join(
        part for part in (fields.description or matter.name, _summary(attributes, answers)) if part
    )
    report = ComplaintReport(
        channel="open311",
        village_id=location.village_id,
        description=text[:MAX_DESCRIPTION],
        matter_id=code,
        latitude=location.latitude,
        longitude=location.longitude,
        reporter_name=fields.reporter_name,
        reporter_phone=fields.phone,
    )

    details = SubmissionDetails(
        client_id=client.id,
        attributes=answers,
        media_url=fields.media_url,
        address_string=fields.address_string,
        device_id=fields.device_id,
        account_id=fields.account_id,
        email=fields.email,
    )
    try:
        submitted = submit_once(
            current_platform().desk,
            report,
            client=f"open311:{client.id}",
            actor=f"open311:{client.id}",
            county=client.county,
            also=submission_keeper(details),
        )
    except ReportRejected as err:
        fail(fmt, 400, "；".join(f"{_FIELDS.get(k, k)}：{v}" for k, v in err.errors.items()))
    notice = (
        f"已受理，按《{catalog.title}》派至承办单位办理；"
        f"可用编号 {submitted.tracking_code} 查询进度"
    )
    return respond(
        fmt,
        "service_requests",
        "request",
        [
            {
                "service_request_id": submitted.tracking_code,
                "service_notice": notice,
                "account_id": fields.account_id,
            }
        ],
    )
