"""Moving a process's running instances from one version to another (issue 21): pick the two
versions, preview which instances can move (by current element) and why the others cannot,
rehearse with a dry run, then migrate after an explicit confirmation."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import abort, current_app, render_template, request

from engine.core import (
    BlockedInstance,
    DefinitionNotFound,
    MigrationPlan,
    MigrationResult,
    OperatorActionRefused,
    definition_versions,
    version_usage,
)
from web.auth.access import roles_required
from web.designer import bp
from web.designer.common import actor
from web.form_input import row_id
from web.platform import current_desks
from web.tenancy import current_county

# Who may move running instances: the designers who made the new version and the
# administrator (the incident page's single-instance move is the administrator's alone; moving
# a whole version's cases is the natural follow-up of a designer's deploy).
MIGRATORS = ("designer", "admin")
# A reason shared by thousands of instances lists the first ones; the count says the rest.
LISTED_PER_REASON = 50
# Wall-time budgets of one request, in seconds (app config overrides them). A county has
# thousands of open complaints; checking one takes a few milliseconds and moving one about
# ten (docs/BENCHMARKS.md "Instance migration"), so an unbounded request would outlive the
# worker's timeout. The preview and the dry run check what fits in theirs and say how many
# they did not get to; a migration stops starting new instances after its budget and offers
# to continue.
PREVIEW_SECONDS = 5.0
MIGRATE_SECONDS = 15.0


def _seconds(key: str, default: float) -> float:
    return float(current_app.config.get(key, default))


@dataclass(frozen=True)
class VersionOption:
    """One deployed version as the two selects offer it."""

    id: int
    version: int
    name: str
    running: int
    withdrawn: bool


@dataclass(frozen=True)
class BlockedGroup:
    reason: str
    instances: list[BlockedInstance]
    count: int


@dataclass(frozen=True)
class ElementRow:
    element_id: str
    name: str
    movable: int
    blocked: int


class BadChoice(Exception):
    """The request names no usable pair of versions; the message says why."""


def version_options(process_key: str) -> list[VersionOption]:
    """The process's versions, newest first, with how many instances run on each."""
    host, county = current_desks().host, current_county()
    usage = version_usage(host, county=county)
    return [
        VersionOption(
            id=row.id,
            version=row.version,
            name=row.name,
            running=usage[row.id].running if row.id in usage else 0,
            withdrawn=row.withdrawn_at is not None,
        )
        for row in definition_versions(host, county=county, process_key=process_key)
    ]


def running_elsewhere(options: list[VersionOption], target: int | None) -> int:
    """Instances running on any version but ``target`` (all of them when it is None)."""
    return sum(o.running for o in options if o.version != target)


def current_version(options: list[VersionOption]) -> int | None:
    """The version new cases start on: the newest one not withdrawn."""
    return next((o.version for o in options if not o.withdrawn), None)


def _number(text: str | None, label: str) -> int | None:
    if text is None or not text.strip():
        return None
    number = row_id(text)
    if number is None:
        raise BadChoice(f"{label}“{text.strip()[:20]}”不是版本号：请从列表中选择一个版本")
    return number


def choose(
    options: list[VersionOption], args: Mapping[str, str], *, defaults: bool
) -> tuple[int | None, int | None]:
    """The (source, target) version numbers asked for, or the defaults when ``defaults``:
    the oldest version with running instances → the current version. Either is None when
    no version fits; whether the pair exists and may be used is the engine's to say."""
    source, target = _number(args.get("from"), "源版本"), _number(args.get("to"), "目标版本")
    if not defaults and (source is None or target is None):
        raise BadChoice("请选择源版本和目标版本")
    if target is None:
        target = next((o.version for o in options if not o.withdrawn and o.version != source), None)
    if source is None:
        source = next(
            (o.version for o in reversed(options) if o.running and o.version != target), None
        )
    return source, target


def element_rows(plan: MigrationPlan) -> list[ElementRow]:
    """Where the source's running instances wait, movable and blocked side by side."""
    blocked: Counter[str] = Counter()
    for instance in plan.blocked:
        blocked.update(set(instance.elements))
    ids = set(plan.movable_by_element) | set(blocked)
    rows = [
        ElementRow(
            element_id=element_id,
            name=plan.element_names.get(element_id, ""),
            movable=plan.movable_by_element.get(element_id, 0),
            blocked=blocked[element_id],
        )
        for element_id in ids
    ]
    return sorted(rows, key=lambda r: (-(r.movable + r.blocked), r.element_id))


def blocked_groups(blocked: tuple[BlockedInstance, ...]) -> list[BlockedGroup]:
    """Blocked instances by reason, the most common reason first (an instance blocked for two
    reasons is listed under both)."""
    by_reason: dict[str, list[BlockedInstance]] = defaultdict(list)
    for instance in blocked:
        for reason in instance.reasons or ("原因未知",):
            by_reason[reason].append(instance)
    groups = [
        BlockedGroup(reason, instances[:LISTED_PER_REASON], len(instances))
        for reason, instances in by_reason.items()
    ]
    return sorted(groups, key=lambda g: (-g.count, g.reason))


def unmoved(result: MigrationResult) -> tuple[BlockedInstance, ...]:
    """Every instance the run left on the source: blocked in the plan, or found unmovable
    when its turn came (it changed since the plan)."""
    refused_ids = {b.instance_id for b in result.refused}
    return tuple(b for b in result.plan.blocked if b.instance_id not in refused_ids) + tuple(
        result.refused
    )


def _render(
    process_key: str,
    options: list[VersionOption],
    source: int | None,
    target: int | None,
    *,
    plan: MigrationPlan | None = None,
    result: MigrationResult | None = None,
    error: str | None = None,
    status: int = 200,
) -> Any:
    left = unmoved(result) if result else (plan.blocked if plan else ())
    html = render_template(
        "designer/migrate.html",
        process_key=process_key,
        name=options[0].name,
        options=options,
        current=current_version(options),
        source=source,
        target=target,
        plan=plan,
        elements=element_rows(plan) if plan else [],
        blocked=blocked_groups(left),
        blocked_total=len(left),
        result=result,
        error=error,
    )
    return html, status


def _options_or_404(process_key: str) -> list[VersionOption]:
    options = version_options(process_key)
    if not options:
        abort(404, description=f"没有流程“{process_key}”：请从流程列表进入")
    return options


def _plan(process_key: str, source: int, target: int) -> MigrationPlan:
    return (
        current_desks()
        .operator(current_county())
        .plan_migration(
            process_key,
            source,
            target,
            deadline_s=_seconds("MIGRATION_PREVIEW_SECONDS", PREVIEW_SECONDS),
        )
    )


def _refusal_status(err: Exception) -> int:
    return 404 if isinstance(err, DefinitionNotFound) else 400


@bp.get("/processes/<process_key>/migrate")
@roles_required(*MIGRATORS)
def migrate_preview(process_key: str) -> Any:
    options = _options_or_404(process_key)
    try:
        source, target = choose(options, request.args, defaults=True)
    except BadChoice as err:
        return _render(process_key, options, None, None, error=str(err), status=400)
    if source is None or target is None:
        return _render(process_key, options, source, target)
    try:
        plan = _plan(process_key, source, target)
    except (OperatorActionRefused, DefinitionNotFound) as err:
        return _render(
            process_key, options, source, target, error=str(err), status=_refusal_status(err)
        )
    return _render(process_key, options, source, target, plan=plan)


@bp.post("/processes/<process_key>/migrate")
@roles_required(*MIGRATORS)
def migrate(process_key: str) -> Any:
    """A dry run (``action=dry_run``) or, with the confirmation ticked, the migration: as many
    instances as the request's time budget allows; the page offers to continue with the rest
    (each request checks the source's open instances afresh, so continuing is safe to repeat)."""
    options = _options_or_404(process_key)
    try:
        source, target = choose(options, request.form, defaults=False)
    except BadChoice as err:
        return _render(process_key, options, None, None, error=str(err), status=400)
    assert source is not None and target is not None  # choose() refuses a missing one
    dry_run = request.form.get("action") == "dry_run"
    desk = current_desks().operator(current_county())
    try:
        if not dry_run and not request.form.get("confirm"):
            return _render(
                process_key,
                options,
                source,
                target,
                plan=_plan(process_key, source, target),
                error="请先勾选确认，再迁移（未迁移任何实例）",
                status=400,
            )
        budget = (
            _seconds("MIGRATION_PREVIEW_SECONDS", PREVIEW_SECONDS)
            if dry_run
            else _seconds("MIGRATION_REQUEST_SECONDS", MIGRATE_SECONDS)
        )
        result = desk.migrate_instances(
            process_key, source, target, actor=actor(), dry_run=dry_run, deadline_s=budget
        )
    except (OperatorActionRefused, DefinitionNotFound) as err:
        return _render(
            process_key, options, source, target, error=str(err), status=_refusal_status(err)
        )
    # Counts on the selects are re-read: a real migration just changed them.
    options = version_options(process_key) if not dry_run else options
    return _render(process_key, options, source, target, plan=result.plan, result=result)
