"""Console home: queue counts, the unrouted queue (determine) and screening of duplicates."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for

from engine.complaints import QueueItem, console_counts, console_home, console_task, find_case
from engine.core import NotPermitted
from engine.intake import determine_page_for, unrouted_tops_for
from engine.people import actor_of
from web.auth.access import current_account, roles_required
from web.console.actions import form_fields
from web.console.blueprint import bp, form_page
from web.console.units import unit_groups
from web.counts_cache import cached_count
from web.form_input import page_number
from web.platform import current_platform
from web.tenancy import current_county

PAGE = 20
# The home page shows the oldest unrouted cases and likely duplicates, ten of each (the
# counts say how many more wait; the unrouted list pages on).
HOME_ROWS = 10
SCREENING_ROWS = 10


@bp.get("/")
@roles_required("dispatcher", "dispatch_lead")
def index():
    return render_home()


# Why the catalog could not decide (rules.Reason values), for the dispatcher.
REASONS = {
    "no_matter": "未选择事项类别",
    "unknown_matter": "事项类别不在清单中",
    "no_location": "未填写地点",
    "unknown_location": "地点不在组织架构中",
    "no_rule": "清单规则均不适用",
    "ambiguous": "多条规则同时适用，需人工判断",
    "invalid_rule": "清单规则有误",
    "no_catalog": "没有生效的清单",
}


@bp.get("/determine/<task_id>")
@roles_required("dispatcher", "dispatch_lead")
def determine(task_id: str):
    """One unrouted case with the form that decides its units (kept off the list page, whose
    rows would otherwise each carry two pickers of every unit)."""
    item = console_task(current_platform().host, task_id)
    if item is None or item.task_name != "determine":
        abort(404, description="该待定性任务不存在")
    # 采用此事项 asks for the page again with the matter adopted: its units are pre-filled.
    return render_determine(item, pick=request.args.get("pick", "")[:32] or None)


@form_page("determine", endpoint="console.index")
def render_determine(
    item: QueueItem,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    pick: str | None = None,
) -> str:
    platform = current_platform()
    page = determine_page_for(
        platform.host, item.complaint, pick=pick, registry=platform.desk.catalogs
    )
    return render_template(
        "console/determine.html",
        item=item,
        units=unit_groups(),
        reasons=REASONS,
        errors=errors or {},
        values=adopted(page.picked, values, item.complaint.matter_id),
        suggest=page,
        learns=takes_matter(item),
    )


def adopted(picked: Any, values: dict[str, Any] | None, matter_id: str | None) -> dict[str, Any]:
    """The form's values: an adopted matter brings the units the catalog gives for it; the
    matter select starts at the case's current matter (submitting it confirms it)."""
    values = dict(values or {})
    if picked is not None:
        values["matter_id"] = picked.matter_id
        values["primary_unit"] = picked.primary or ""
        values["supporting_units_text"] = ",".join(picked.supporting)
        values["new_primary_unit"] = picked.primary or ""
        values["new_supporting_units_text"] = ",".join(picked.supporting)
    values.setdefault("matter_id", matter_id or "")
    return values


def takes_matter(item: QueueItem) -> bool:
    """Whether the task's diagram version has the 事项类别 field (cases started before it
    was added run on a version without it)."""
    fields = form_fields(item.complaint.instance_id or 0, item.task_name)
    return any(f.id == "matter_id" for f in fields)


def render_home(
    failed: QueueItem | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    screening: int | None = None,
) -> str:
    host = current_platform().host
    county = current_county()
    page = page_number()
    counts = cached_count(("console", county), lambda: console_counts(host, county=county))
    home = console_home(
        host,
        county=county,
        limit=HOME_ROWS,
        offset=(page - 1) * HOME_ROWS,
        screening_rows=SCREENING_ROWS,
    )
    tops = unrouted_tops_for(
        host, [i.complaint for i in home.unrouted], registry=current_platform().desk.catalogs
    )
    return render_template(
        "console/index.html",
        counts=counts,
        unrouted=home.unrouted,
        tops=tops,
        page=page,
        per_page=HOME_ROWS,
        duplicates=home.duplicates,
        reasons=REASONS,
        failed=failed.task_id if failed else screening,
        errors=errors or {},
        values=values or {},
    )


@bp.post("/screening/<int:complaint_id>/close")
@roles_required("dispatcher", "dispatch_lead")
def close_report(complaint_id: int):
    """Merge a likely duplicate into the case it repeats, or close a report as invalid."""
    platform = current_platform()
    account = current_account()
    if account is None or "dispatcher" not in account.groups:
        raise NotPermitted("只有调度中心可以合并或作废诉求")
    kind = request.form.get("kind", "")
    reason = request.form.get("reason", "").strip()
    errors: dict[str, str] = {}
    merged_into = None
    if kind not in ("merged", "invalid"):
        errors["kind"] = "请选择合并或作废"
    if not reason:
        errors["reason"] = "请填写合并或作废的理由"
    if kind == "merged":
        merged_into = find_case(
            platform.host, request.form.get("merged_into", ""), county=account.county
        )
        if merged_into is None or merged_into == complaint_id:
            errors["merged_into"] = "请填写要并入的事项编号（受理编号）"
    if errors:
        return render_home(errors=errors, values=dict(request.form), screening=complaint_id), 400
    platform.desk.close_report(
        complaint_id, kind=kind, reason=reason, merged_into=merged_into, actor=actor_of(account)
    )
    flash("已合并到原事项" if kind == "merged" else "已作废")
    return redirect(url_for("console.index"))
