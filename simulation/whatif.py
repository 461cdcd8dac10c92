"""The organisation department's what-if: a period's recorded requests replayed twice, once
under the catalog version in force and once under a draft (and, optionally, another complaint
process version), with the same people's dice, and the two sets of measures side by side —
for the county, per responsible unit and per township.

Both runs are simulated (neither side is the county's real history), so a difference is the
draft's, not the model's: the same arrivals, the same draws per case (ADR 0010 §3).
"""

from __future__ import annotations

import random
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from engine import DEFAULT_COUNTY
from engine.catalog_store import list_versions, load_version
from engine.core.persistence import make_engine, make_session_factory
from engine.core.persistence.models import ProcessDefinition
from responsibility_catalog import Catalog, Status, latest_published
from rules import CHINA_TZ
from simulation.arrivals import Arrival
from simulation.figures import case_measures
from simulation.replay import recorded_arrivals
from simulation.run import RunSpec, simulate

# A longer period is a job of hours at full scale; the department compares recent months.
MAX_MONTHS = 6
DEFAULT_MONTHS = 3
DEFAULT_SCALE = 0.05
# Days simulated after the period's last request, so its first steps happen in both runs.
SETTLE = timedelta(days=7)
_MONTH_DAYS = 30.4375

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    kind: str  # "count", "days" or "rate"
    lower_is_better: bool | None  # None: neither direction is better (how many requests)


MEASURES = (
    Measure("requests", "诉求数", "count", None),
    Measure("returns", "退回次数", "count", True),
    Measure("contested", "争议件数", "count", True),
    Measure("consultations", "会商件数", "count", True),
    # Per unit a draft moves cases between units: fewer closed there is not worse work.
    Measure("closed", "办结件数", "count", None),
    Measure("sign_for_days_mean", "至签收天数（均值）", "days", True),
    Measure("sign_for_days_median", "至签收天数（中位数）", "days", True),
    Measure("close_days_mean", "至办结天数（均值）", "days", True),
    Measure("close_days_median", "至办结天数（中位数）", "days", True),
    Measure("sign_for_on_time", "签收按时率", "rate", False),
    Measure("handle_on_time", "办理按时率", "rate", False),
)
_EMPTY = {m.key: (0 if m.kind == "count" else None) for m in MEASURES}


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier (the month's last day if shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover - 28 always exists


def check_request(months: int, scale: float) -> None:
    """:raises ValueError: a period or scale the department cannot ask for (in Chinese)."""
    if not 1 <= months <= MAX_MONTHS:
        raise ValueError(f"回放时段须为 1 到 {MAX_MONTHS} 个月（收到 {months} 个月）")
    if not 0 < scale <= 1:
        raise ValueError(f"规模须大于 0、不超过 1（1 为全部诉求；收到 {scale:g}）")


def difference(a: float | None, b: float | None) -> float | None:
    if a is None or b is None:
        return None
    return round(b - a, 4)


def verdict(measure: Measure, a: float | None, b: float | None) -> str:
    """``better``, ``worse`` or ``changed`` for the draft against the version in force; ''
    when equal (or not comparable)."""
    if a is None or b is None or a == b:
        return "" if a == b else "changed"
    if measure.lower_is_better is None:
        return "changed"
    return "better" if (b < a) == measure.lower_is_better else "worse"


def _sampled(index: int, scale: float, seed: int) -> bool:
    # Per request, not per position in the list: the same request is in or out whatever the
    # period, so two reports at one scale replay the same cases where their periods overlap.
    return scale >= 1 or random.Random(f"{seed}:sample:{index}").random() < scale


def period_arrivals(
    source: Engine,
    start: date,
    end: date,
    *,
    scale: float,
    seed: int,
    county: str = DEFAULT_COUNTY,
) -> tuple[list[Arrival], int]:
    """The requests received from ``start`` to before ``end`` (Beijing dates), a ``scale``
    share of them drawn per request; and how many the period holds in all."""
    first = datetime.combine(start, time(0, 0), CHINA_TZ)
    last = datetime.combine(end, time(0, 0), CHINA_TZ)
    within = [a for a in recorded_arrivals(source, county=county) if first <= a.at < last]
    return [a for a in within if _sampled(a.index, scale, seed)], len(within)


def process_in_force(source: Engine) -> str | None:
    """The newest deployed complaint process version of the source, as ``RunSpec.process``
    takes it (None: the shipped diagram)."""
    with source.connect() as connection:
        version = connection.scalar(
            select(func.max(ProcessDefinition.version)).where(
                ProcessDefinition.process_key == "complaint"
            )
        )
    return None if version is None else str(version)


def draft_and_in_force(
    source_url: str, label: str, *, county: str = DEFAULT_COUNTY
) -> tuple[Catalog, Catalog]:
    """The draft ``label`` and the version in force, read from the county's database.

    :raises ValueError: no such draft, or nothing published (in Chinese).
    """
    source = make_engine(source_url)
    try:
        with make_session_factory(source)() as session:
            infos = {i.label: i for i in list_versions(county=county, session=session)}
            info = infos.get(label)
            if info is None:
                raise ValueError(f"没有清单草稿“{label}”")
            if info.status not in (Status.DRAFT, Status.CONSULTATION):
                raise ValueError(f"版本 {label} 为“{info.status.label}”，只有草稿可以回放比较")
            draft = load_version(label, county=county, session=session)
            base = latest_published(
                load_version(i.label, county=county, session=session)
                for i in infos.values()
                if i.status is Status.PUBLISHED
            )
    finally:
        source.dispose()
    if base is None:
        raise ValueError("尚无已公布的清单，无法与草稿比较")
    return draft, base


def _counted(
    arrivals: list[Arrival], done_before: float, share: float, message: str, progress: Progress
) -> Iterator[Arrival]:
    """The arrivals, reporting the run's progress as the loop consumes them (it pulls each
    one when virtual time reaches it)."""
    every = max(1, len(arrivals) // 100)
    progress(done_before, message)
    for n, arrival in enumerate(arrivals):
        if n % every == 0:
            progress(done_before + share * n / len(arrivals), message)
        yield arrival


def compare_catalogs(
    source_url: str,
    *,
    base: Catalog,
    draft: Catalog,
    start: date,
    end: date,
    scale: float = DEFAULT_SCALE,
    seed: int = 1,
    process: str | None = None,
    county: str = DEFAULT_COUNTY,
    workdir: Path | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Replay ``[start, end)`` of the source under ``base`` and under ``draft`` (with
    ``process``, a version number in the source, if given) and return the report.

    :raises ValueError: nothing to replay, a period too long, a bad scale (Chinese text).
    """
    months = round((end - start).days / _MONTH_DAYS)
    check_request(max(months, 1), scale)
    if end <= start:
        raise ValueError("回放时段的结束日期须晚于开始日期")
    report = progress or (lambda _fraction, _message: None)
    folder = Path(tempfile.mkdtemp(prefix="whatif-", dir=workdir))
    source = make_engine(source_url)
    try:
        arrivals, recorded = period_arrivals(
            source, start, end, scale=scale, seed=seed, county=county
        )
        if not arrivals:
            raise ValueError(
                f"{start} 至 {end - timedelta(days=1)} 没有可重放的诉求"
                + (f"（共 {recorded} 件，按规模 {scale:g} 抽样后为 0 件）" if recorded else "")
            )
        in_force = process_in_force(source)
        span = datetime.combine(end, time(0, 0), CHINA_TZ) + SETTLE
        span -= datetime.combine(start, time(0, 0), CHINA_TZ)
        runs = (
            ("base", base, in_force, f"按现行清单 {base.label} 回放"),
            ("draft", draft, process or in_force, f"按草稿 {draft.label} 回放"),
        )
        measures: dict[str, dict[str, Any]] = {}
        for n, (side, catalog, version, message) in enumerate(runs):
            url = f"sqlite:///{folder / f'{side}.sqlite'}"
            spec = RunSpec(
                months=span / timedelta(days=_MONTH_DAYS),
                seed=seed,
                scale=scale,
                start=start,
                catalog=catalog.label,
                process=version,
            )
            simulate(
                url,
                spec,
                process_source=source,
                arrivals=_counted(arrivals, n / 2, 0.5, message, report),
                catalogs=(catalog,),
            )
            target = make_engine(url)
            try:
                measures[side] = case_measures(target, county=county)
            finally:
                target.dispose()
    finally:
        source.dispose()
        shutil.rmtree(folder, ignore_errors=True)
    report(1.0, "完成")
    return _report(
        measures,
        base=base,
        draft=draft,
        processes=(in_force, process or in_force),
        start=start,
        end=end,
        scale=scale,
        seed=seed,
        requests=len(arrivals),
        recorded=recorded,
    )


def _names(catalog: Catalog) -> dict[str, str]:
    org = catalog.organisation
    names = {u.id: u.name for u in org.all_units.values()}
    names["-"] = "（未定责任单位）"
    return names


def _rows(
    measures: dict[str, dict[str, Any]], kind: str, names: dict[str, str]
) -> list[dict[str, Any]]:
    keys = set(measures["base"][kind]) | set(measures["draft"][kind])
    rows = [
        {
            "id": key,
            "name": names.get(key, key),
            "base": measures["base"][kind].get(key, _EMPTY),
            "draft": measures["draft"][kind].get(key, _EMPTY),
        }
        for key in keys
    ]
    # Where the draft changes most first, then the busiest.
    return sorted(
        rows,
        key=lambda r: (
            -abs(r["draft"]["contested"] - r["base"]["contested"]),
            -max(r["base"]["requests"], r["draft"]["requests"]),
            r["name"],
        ),
    )


def _report(
    measures: dict[str, dict[str, Any]],
    *,
    base: Catalog,
    draft: Catalog,
    processes: tuple[str | None, str | None],
    start: date,
    end: date,
    scale: float,
    seed: int,
    requests: int,
    recorded: int,
) -> dict[str, Any]:
    names = _names(draft)
    return {
        "period": [start.isoformat(), (end - timedelta(days=1)).isoformat()],
        "scale": scale,
        "seed": seed,
        "requests": requests,
        "recorded": recorded,
        "base": {"label": base.label, "process": processes[0]},
        "draft": {"label": draft.label, "process": processes[1]},
        "total": {"base": measures["base"]["total"], "draft": measures["draft"]["total"]},
        "unit": _rows(measures, "unit", names),
        "township": _rows(measures, "township", names),
    }
