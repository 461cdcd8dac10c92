"""``juhaoban intake train|evaluate``: versions of the county's suggestion model from the
dispatchers' labels, with top-1/top-3 on the shipped test split and on recent county cases."""

from __future__ import annotations

import re
from pathlib import Path

from engine.bootstrap import build_host
from engine.complaints.desk import ComplaintDesk
from engine.core.config import EngineConfig
from tests.engine.complaints.helpers import do, report

BPMN_DIR = Path(__file__).resolve().parents[2] / "bpmn"
TEXT = "俺们村东头那个大坑里全是垃圾，臭得不行，夏天苍蝇乱飞"
FIGURES = r"首选命中 \d+\.\d%，前三命中 \d+\.\d%，无推荐 \d+\.\d%，样本 {n} 条"


def _dispatcher_labels_a_case() -> None:
    host = build_host(EngineConfig.from_env())
    try:
        host.deploy_file(BPMN_DIR / "complaint.bpmn", actor="designer")
        desk = ComplaintDesk(host)
        submitted = report(desk, None, "xiguocheng-002", description=TEXT)
        do(
            desk,
            submitted,
            "determine",
            {"primary_unit": "xiguocheng", "matter_id": "D05-02"},
            actor="dispatcher:zhao",
        )
    finally:
        host.session_factory.kw["bind"].dispose()


def test_train_stores_a_version_only_for_new_labels_and_evaluate_compares_models(run):
    assert run("catalog", "seed").exit_code == 0

    nothing = run("intake", "train")
    assert nothing.exit_code == 0 and "未生成本县模型（继续使用平台内置模型）" in nothing.output
    before = run("intake", "evaluate").output
    assert "本县还没有模型版本" in before
    assert re.search("平台内置模型 · 内置测试集：" + FIGURES.format(n=r"\d{3,}"), before)
    assert "平台内置模型 · 本县近期案例：无样本" in before

    _dispatcher_labels_a_case()
    trained = run("intake", "train")
    assert trained.exit_code == 0
    assert "已生成本县模型第 1 版：训练样本 1 条，清单 2022-06" in trained.output
    assert re.search("内置测试集：" + FIGURES.format(n=r"\d{3,}"), trained.output)
    assert re.search("本县近期案例：" + FIGURES.format(n=1), trained.output)
    again = run("intake", "train")
    assert "标注没有变化，沿用本县模型第 1 版：训练样本 1 条" in again.output

    after = run("intake", "evaluate").output
    assert "本县近期案例：" in after and "以来标注的 1 条" in after
    assert re.search("本县模型第 1 版 · 内置测试集：" + FIGURES.format(n=r"\d{3,}"), after)
    assert re.search("本县模型第 1 版 · 本县近期案例：" + FIGURES.format(n=1) + "（留出评分", after)
