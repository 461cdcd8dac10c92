"""``juhaoban analytics``: publish a month's list or a period's report, or what is due."""

from __future__ import annotations

import json


def test_publish_a_month_once_and_refuse_unfinished_or_malformed_periods(run):
    assert run("catalog", "seed").exit_code == 0
    first = run("analytics", "publish", "ranking", "2026-03")
    assert first.exit_code == 0 and "2026年3月红黑榜已发布（#1）" in first.output
    again = run("analytics", "publish", "ranking", "2026-03")
    assert "2026年3月红黑榜此前已发布（#1）" in again.output
    report = run("analytics", "publish", "report", "2026-H1")
    assert "2026年上半年分析报告已发布（#2）" in report.output
    assert run("analytics", "publish", "ranking", "2099-01").exit_code == 2
    bad = run("analytics", "publish", "ranking", "2026-13")
    assert bad.exit_code == 2 and "月份“13”不存在" in bad.output


def test_publish_due_prints_what_it_published(run):
    assert run("catalog", "seed").exit_code == 0
    result = run("analytics", "publish-due")
    assert result.exit_code == 0
    published = json.loads(result.output)
    assert published["ranking"]["created"] is True
    assert json.loads(run("analytics", "publish-due").output)["ranking"]["created"] is False
