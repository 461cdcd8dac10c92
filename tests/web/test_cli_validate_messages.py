"""`juhaoban bpmn validate` speaks Chinese like the web editor, with the engine's English
only as an indented detail line, and gives the hint that helps (issue 21)."""

from __future__ import annotations

import re

_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"'
    ' id="defs" targetNamespace="http://example.org/t">\n'
)


def _write(tmp_path, name: str, body: str):
    path = tmp_path / name
    path.write_text(_HEAD + body + "\n</bpmn:definitions>\n", encoding="utf-8")
    return str(path)


def test_engine_errors_are_printed_in_chinese_with_the_english_indented_below(run, tmp_path):
    path = _write(
        tmp_path,
        "lonely.bpmn",
        '<bpmn:process id="p" isExecutable="true"><bpmn:task id="lonely"/></bpmn:process>',
    )
    result = run("bpmn", "validate", path)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    problem = next(i for i, line in enumerate(lines) if "缺少开始事件" in line)
    assert lines[problem].startswith("  - [p] ")
    assert lines[problem + 1] == "      原文：No start event found"
    # No English outside the detail lines.
    assert not [
        line
        for line in lines
        if "原文：" not in line and re.search(r"[A-Z][a-z]+ [a-z]+ [a-z]+", line)
    ]


def test_no_executable_process_says_is_executable_and_not_process_key(run, tmp_path):
    path = _write(
        tmp_path,
        "draft.bpmn",
        '<bpmn:process id="intake"><bpmn:startEvent id="s"/></bpmn:process>',
    )
    result = run("bpmn", "validate", path)
    assert result.exit_code == 1
    assert 'isExecutable="true"' in result.output and "intake" in result.output
    assert "--process-key" not in result.output


def test_a_problem_inside_a_subprocess_names_the_subprocess(run, tmp_path):
    path = _write(
        tmp_path,
        "nested.bpmn",
        '<bpmn:process id="p" isExecutable="true"><bpmn:startEvent id="s"/>'
        '<bpmn:subProcess id="visit"><bpmn:startEvent id="vs"/>'
        '<bpmn:scriptTask id="tally"><bpmn:script>n = = 1</bpmn:script></bpmn:scriptTask>'
        '<bpmn:endEvent id="ve"/><bpmn:sequenceFlow id="v1" sourceRef="vs" targetRef="tally"/>'
        '<bpmn:sequenceFlow id="v2" sourceRef="tally" targetRef="ve"/></bpmn:subProcess>'
        '<bpmn:endEvent id="e"/><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="visit"/>'
        '<bpmn:sequenceFlow id="f2" sourceRef="visit" targetRef="e"/></bpmn:process>',
    )
    result = run("bpmn", "validate", path)
    assert result.exit_code == 1
    assert "[tally]" in result.output and "（在子流程 visit 中）" in result.output
    assert "“n = = 1”有语法错误" in result.output
