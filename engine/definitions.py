"""Parse and validate a BPMN diagram (+ DMN tables) into a deployable definition."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs import BpmnProcessSpec
from SpiffWorkflow.spiff.parser import SpiffBpmnParser

from engine.lint import BPMN, lint
from engine.problems import DefinitionInvalid, Problem
from engine.task_metadata import TaskMeta, extract_task_metadata

_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


@dataclass(frozen=True)
class ParsedDefinition:
    """A diagram that parsed and passed lint; not yet stored."""

    process_key: str
    name: str
    spec: BpmnProcessSpec
    subprocess_specs: dict[str, BpmnProcessSpec]
    task_meta: dict[str, TaskMeta]
    content_hash: str
    bpmn_xml: str
    dmn_xmls: tuple[str, ...]


def content_hash(bpmn_xml: str, dmn_xmls: tuple[str, ...]) -> str:
    digest = hashlib.sha256(bpmn_xml.encode("utf-8"))
    for dmn in dmn_xmls:
        digest.update(b"\0dmn\0")
        digest.update(dmn.encode("utf-8"))
    return digest.hexdigest()


def _to_text(xml: str | bytes) -> str:
    return xml.decode("utf-8") if isinstance(xml, bytes) else xml


def _parse_xml(xml: str, source_name: str) -> tuple[etree._Element | None, list[Problem]]:
    try:
        return etree.fromstring(xml.encode("utf-8"), _XML_PARSER), []
    except etree.XMLSyntaxError as err:
        return None, [
            Problem("xml-syntax", f"{source_name} 不是合法的 XML：{err.msg}", None, err.lineno)
        ]


def _validation_problem(err: ValidationException) -> Problem:
    message = str(err).split("\n")[0]
    return Problem(
        "bpmn-invalid",
        f"BPMN 校验失败：{message}",
        getattr(err, "id", None) or None,
        int(err.line_number) if str(getattr(err, "line_number", "")).isdigit() else None,
    )


def parse_definition(
    bpmn_xml: str | bytes,
    dmn_xmls: tuple[str | bytes, ...] = (),
    *,
    process_key: str | None = None,
    source_name: str = "upload.bpmn",
) -> ParsedDefinition:
    """Parse with SpiffWorkflow and run the engine's lint.

    :raises DefinitionInvalid: with every problem found, each naming its element.
    """
    bpmn_text = _to_text(bpmn_xml)
    dmn_texts = tuple(_to_text(d) for d in dmn_xmls)
    root, problems = _parse_xml(bpmn_text, source_name)
    if root is None:
        raise DefinitionInvalid(problems)
    if root.tag != f"{{{BPMN}}}definitions":
        raise DefinitionInvalid(
            [Problem("not-bpmn", f"{source_name} 不是 BPMN 2.0 文档（根元素应为 definitions）")]
        )
    problems.extend(lint(root))

    parser = SpiffBpmnParser(validator=BpmnValidator())
    try:
        parser.add_bpmn_xml(root, source_name)
    except ValidationException as err:
        problems.append(_validation_problem(err))
        raise DefinitionInvalid(problems) from None
    for index, dmn in enumerate(dmn_texts):
        dmn_root, dmn_problems = _parse_xml(dmn, f"DMN #{index + 1}")
        problems.extend(dmn_problems)
        if dmn_root is not None:
            try:
                parser.add_dmn_xml(dmn_root, f"decision-{index + 1}.dmn")
            except (ValidationException, Exception) as err:  # noqa: BLE001 - report, never crash
                problems.append(Problem("dmn-invalid", f"DMN 校验失败：{err}"))

    executable = parser.get_process_ids()
    key = process_key
    if key is None:
        if len(executable) != 1:
            problems.append(
                Problem(
                    "process-key",
                    "文档中可执行流程不止一个或没有可执行流程，请指定流程标识"
                    f"（可执行流程：{'、'.join(executable) or '无'}）",
                )
            )
            raise DefinitionInvalid(problems)
        key = executable[0]
    elif key not in executable:
        problems.append(Problem("process-key", f"文档中没有可执行流程 {key}"))
        raise DefinitionInvalid(problems)

    try:
        spec = parser.get_spec(key)
        subprocess_specs = parser.get_subprocess_specs(key)
    except ValidationException as err:
        problems.append(_validation_problem(err))
    if problems:
        raise DefinitionInvalid(problems)

    process_node = root.find(f"{{{BPMN}}}process[@id='{key}']")
    name = (process_node.get("name") if process_node is not None else None) or key
    return ParsedDefinition(
        process_key=key,
        name=name,
        spec=spec,
        subprocess_specs=subprocess_specs,
        task_meta=extract_task_metadata(root),
        content_hash=content_hash(bpmn_text, dmn_texts),
        bpmn_xml=bpmn_text,
        dmn_xmls=dmn_texts,
    )
