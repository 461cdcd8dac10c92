"""Parse and validate a BPMN diagram (+ DMN tables) into a deployable definition."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection
from dataclasses import dataclass

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs import BpmnProcessSpec
from SpiffWorkflow.spiff.parser import SpiffBpmnParser

from engine.core import foreign_constructs
from engine.core.diagram_content_safety import active_content
from engine.core.lint import BPMN, lint, run_rule
from engine.core.markup_errors import SchemaErrors, SchemaValidator, schema_problems, text_location
from engine.core.parser_messages import GENERIC_ENGINE, engine_message, xml_message
from engine.core.problem_locations import ProblemLocator, without_duplicates
from engine.core.problems import DefinitionInvalid, Problem
from engine.core.task_metadata import TaskMeta, extract_task_metadata

_XML_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False
)
MAX_DIAGRAM_BYTES = 2 * 1024 * 1024
# A DOCTYPE can only stand in the prolog, after the declaration, comments and PIs.
_DOCTYPE = re.compile(rb"^(?:\s|<\?.*?\?>|<!--.*?-->)*<!DOCTYPE", re.DOTALL | re.IGNORECASE)


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
    called_xmls: tuple[str, ...] = ()


def content_hash(bpmn_xml: str, dmn_xmls: tuple[str, ...]) -> str:
    digest = hashlib.sha256(bpmn_xml.encode("utf-8"))
    for dmn in dmn_xmls:
        digest.update(b"\0dmn\0")
        digest.update(dmn.encode("utf-8"))
    return digest.hexdigest()


def _to_text(xml: str | bytes) -> str:
    return xml.decode("utf-8") if isinstance(xml, bytes) else xml


def parse_untrusted_xml(xml: str, source_name: str) -> tuple[etree._Element | None, list[Problem]]:
    """Parse untrusted XML: no network, no entity expansion, and no DTD at all, because a
    DOCTYPE is how external-entity (XXE) and entity-expansion attacks arrive."""
    data = xml.encode("utf-8")
    if len(data) > MAX_DIAGRAM_BYTES:
        return None, [
            Problem(
                "too-large",
                f"{source_name} 有 {len(data) / 1024 / 1024:.1f} MB，"
                f"超过 {MAX_DIAGRAM_BYTES // 1024 // 1024} MB 的上限",
            )
        ]
    doctype = Problem(
        "doctype-forbidden",
        f"{source_name} 含有 DOCTYPE（实体声明）：出于安全原因不接受，"
        "BPMN 文件不需要 DOCTYPE，请删除后再上传",
        None,
        1,
    )
    if _DOCTYPE.match(data.lstrip(b"\xef\xbb\xbf")):
        return None, [doctype]
    try:
        root = etree.fromstring(data, _XML_PARSER)
    except etree.XMLSyntaxError as err:
        line, column = err.position if err.position else (err.lineno, 0)
        near = text_location(xml, line, column)
        return None, [
            Problem(
                "xml-syntax",
                f"{source_name} 不是合法的 XML：{near}{xml_message(err.msg or '')}",
                None,
                err.lineno,
                detail=err.msg,
            )
        ]
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        return None, [doctype]
    return root, []


def _validation_problem(err: ValidationException, locator: ProblemLocator) -> Problem:
    # str(err) appends SpiffWorkflow's notes; the first argument is the message itself.
    english = str(err.args[0] if err.args else err).split("\n")[0].strip()
    problem = Problem(
        "bpmn-invalid",
        engine_message(english),
        getattr(err, "id", None) or None,
        int(err.line_number) if str(getattr(err, "line_number", "")).isdigit() else None,
        detail=english or type(err).__name__,
    )
    return locator.place(problem)


def _document_problems(
    document: etree._Element, services: Collection[str] | None, locator: ProblemLocator
) -> list[Problem]:
    problems = lint(document)
    for rule in foreign_constructs.RULES:
        problems.extend(run_rule(rule, document))
    if services is not None:
        problems.extend(run_rule(foreign_constructs.service_operations_exist, document, services))
    # Placed first: rules name a timer's event or its expression's own id for the same fault.
    problems = locator.place_all(problems)
    # A JUEL expression also fails to compile as Python: say it once, the clearer way.
    juel = {p.element_id for p in problems if p.code == "juel-expression"}
    return [p for p in problems if not (p.code == "expression-rejected" and p.element_id in juel)]


def _add_unless_known(problems: list[Problem], problem: Problem) -> None:
    """SpiffWorkflow's complaint about an element lint already explained is noise."""
    if problem.element_id is None or problem.element_id not in {p.element_id for p in problems}:
        problems.append(problem)


def _crash_problem(err: Exception, locator: ProblemLocator) -> Problem:
    """SpiffWorkflow's parser raises plain exceptions on some shapes it does not support."""
    detail = str(err).split("\n")[0][:300]
    element_id = getattr(err, "id", None) or None
    lead = "流程引擎无法解析此元素" if element_id else "流程引擎无法解析此图"
    return locator.place(
        Problem(
            "unsupported",
            f"{lead}：可能使用了引擎不支持的 BPMN 结构",
            element_id,
            detail=f"{type(err).__name__}: {detail}" if detail else type(err).__name__,
        )
    )


def _checked_root(text: str, source_name: str, problems: list[Problem]) -> etree._Element | None:
    root, syntax = parse_untrusted_xml(text, source_name)
    problems.extend(syntax)
    if root is not None and root.tag != f"{{{BPMN}}}definitions":
        problems.append(
            Problem("not-bpmn", f"{source_name} 不是 BPMN 2.0 文档（根元素应为 definitions）")
        )
        return None
    if root is not None:
        problems.extend(active_content(root))
    return root


def _executable_ids(root: etree._Element) -> list[str]:
    return [
        p.get("id") for p in root.iterfind(f"{{{BPMN}}}process") if p.get("isExecutable") == "true"
    ]


def _process_key_problem(root: etree._Element, key: str | None) -> Problem | None:
    """Why the process to deploy cannot be chosen, with the fix that helps in each case:
    ``isExecutable`` when none is executable, ``--process-key`` only when several are."""
    executable = _executable_ids(root)
    every = [p.get("id") for p in root.iterfind(f"{{{BPMN}}}process")]
    listed = "、".join(str(p) for p in every) or "无"
    if key is not None:
        if key in executable:
            return None
        if key in every:
            return Problem(
                "process-key", f'流程 {key} 不是可执行流程：请在该流程上设置 isExecutable="true"'
            )
        return Problem("process-key", f"文档中没有流程 {key}（文档中的流程：{listed}）")
    if len(executable) == 1:
        return None
    if not every:
        return Problem("process-key", "文档中没有任何流程（bpmn:process）")
    if not executable:
        return Problem(
            "process-key",
            f'文档中没有可执行流程：请在要运行的流程上设置 isExecutable="true"'
            f"（文档中的流程：{listed}）",
        )
    return Problem(
        "process-key",
        f"文档中有 {len(executable)} 个可执行流程（{'、'.join(executable)}），一次只能部署一个："
        '请把其余流程的 isExecutable 设为 "false"，或在命令行用 --process-key 指定',
    )


def _decoded(xml: str | bytes, source_name: str) -> str:
    try:
        return _to_text(xml)
    except UnicodeDecodeError:
        raise DefinitionInvalid(
            [Problem("encoding", f"{source_name} 不是 UTF-8 编码的文本文件")]
        ) from None


def parse_definition(
    bpmn_xml: str | bytes,
    dmn_xmls: tuple[str | bytes, ...] = (),
    *,
    process_key: str | None = None,
    source_name: str = "upload.bpmn",
    called_bpmn: tuple[str | bytes, ...] = (),
    services: Collection[str] | None = None,
) -> ParsedDefinition:
    """Parse with SpiffWorkflow and run the engine's lint.

    Whatever the input, the answer is a definition or :class:`DefinitionInvalid`: an
    unexpected failure anywhere in validation becomes a ``validation-failed`` problem.

    :param called_bpmn: documents holding the processes that call activities refer to; they
        are linted and versioned together with the main diagram.
    :param services: the service operations the host provides; when given, every service
        task must name one of them.
    :raises DefinitionInvalid: with every problem found, each naming its element.
    """
    try:
        return _parse_definition(
            _decoded(bpmn_xml, source_name),
            tuple(_decoded(d, f"DMN #{i + 1}") for i, d in enumerate(dmn_xmls)),
            process_key=process_key,
            source_name=source_name,
            called_texts=tuple(
                _decoded(c, f"被调用流程 #{i + 1}") for i, c in enumerate(called_bpmn)
            ),
            services=services,
        )
    except DefinitionInvalid as err:
        # Lint, the schema and SpiffWorkflow may each name the same fault: say it once.
        raise DefinitionInvalid(without_duplicates(err.problems)) from None
    except Exception as err:  # noqa: BLE001 - a designer's diagram must never cause a 500
        detail = str(err).split("\n")[0][:200]
        raise DefinitionInvalid(
            [
                Problem(
                    "validation-failed",
                    f"校验此图时出错（{type(err).__name__}）："
                    "图中可能有过于复杂或引擎不支持的结构，请简化后再试",
                    getattr(err, "id", None) or None,
                    detail=f"{type(err).__name__}: {detail}" if detail else type(err).__name__,
                )
            ]
        ) from None


def _parse_definition(
    bpmn_text: str,
    dmn_texts: tuple[str, ...],
    *,
    process_key: str | None,
    source_name: str,
    called_texts: tuple[str, ...],
    services: Collection[str] | None,
) -> ParsedDefinition:
    problems: list[Problem] = []
    root = _checked_root(bpmn_text, source_name, problems)
    called_roots = [
        _checked_root(text, f"被调用流程 #{i + 1}", problems) for i, text in enumerate(called_texts)
    ]
    if root is None or problems:
        raise DefinitionInvalid(problems)
    documents = [root, *[r for r in called_roots if r is not None]]
    locator = ProblemLocator(documents)
    for document in documents:
        problems.extend(_document_problems(document, services, locator))

    parser = SpiffBpmnParser(validator=SchemaValidator())
    document = root
    try:
        for index, document in enumerate(documents):
            parser.add_bpmn_xml(document, source_name if index == 0 else f"called-{index}.bpmn")
    except SchemaErrors as err:
        # Schema errors are about the markup itself: never hidden behind a lint problem.
        problems.extend(locator.place_all(schema_problems(err, document)))
        raise DefinitionInvalid(problems) from None
    except ValidationException as err:
        _add_unless_known(problems, _validation_problem(err, locator))
        raise DefinitionInvalid(problems) from None
    except Exception as err:  # noqa: BLE001 - a parser crash is a problem to show, not a 500
        _add_unless_known(problems, _crash_problem(err, locator))
        raise DefinitionInvalid(problems) from None
    for index, dmn in enumerate(dmn_texts):
        dmn_root, dmn_problems = parse_untrusted_xml(dmn, f"DMN #{index + 1}")
        if dmn_root is not None:
            dmn_problems.extend(active_content(dmn_root))
        problems.extend(dmn_problems)
        if dmn_root is not None:
            try:
                parser.add_dmn_xml(dmn_root, f"decision-{index + 1}.dmn")
            except Exception as err:  # noqa: BLE001 - report, never crash
                english = str(err.args[0] if err.args else err).split("\n")[0][:300]
                lead = engine_message(english)
                if lead == GENERIC_ENGINE:
                    lead = "决策表无法被引擎读取"
                problems.append(
                    Problem(
                        "dmn-invalid",
                        f"DMN #{index + 1} 校验失败：{lead}",
                        detail=f"{type(err).__name__}: {english}" if english else None,
                    )
                )

    key = process_key
    key_problem = _process_key_problem(root, key)
    if key_problem is not None:
        problems.append(key_problem)
        raise DefinitionInvalid(problems)
    key = key or _executable_ids(root)[0]

    try:
        spec = parser.get_spec(key)
        subprocess_specs = parser.get_subprocess_specs(key)
    except ValidationException as err:
        _add_unless_known(problems, _validation_problem(err, locator))
    except Exception as err:  # noqa: BLE001 - a parser crash is a problem to show, not a 500
        _add_unless_known(problems, _crash_problem(err, locator))
    if problems:
        raise DefinitionInvalid(problems)

    process_node = next(
        (p for p in root.iterfind(f"{{{BPMN}}}process") if p.get("id") == key), None
    )
    name = (process_node.get("name") if process_node is not None else None) or key
    task_meta = {}
    for document in documents:
        task_meta.update(extract_task_metadata(document))
    return ParsedDefinition(
        process_key=key,
        name=name,
        spec=spec,
        subprocess_specs=subprocess_specs,
        task_meta=task_meta,
        content_hash=content_hash(bpmn_text, dmn_texts + called_texts),
        bpmn_xml=bpmn_text,
        dmn_xmls=dmn_texts,
        called_xmls=called_texts,
    )


def validate(
    bpmn_xml: str | bytes,
    *,
    called_bpmn: tuple[str | bytes, ...] = (),
    services: Collection[str] | None = None,
    source_name: str = "upload.bpmn",
) -> list[Problem]:
    """Every problem of a diagram (empty when it would deploy); never raises on bad input."""
    try:
        parse_definition(
            bpmn_xml, called_bpmn=called_bpmn, services=services, source_name=source_name
        )
    except DefinitionInvalid as err:
        return err.problems
    return []


def _quiet_root(xml: str | bytes) -> etree._Element | None:
    """The parsed document, or None when it does not parse (the full validation says why)."""
    try:
        return etree.fromstring(_to_text(xml).encode("utf-8"), _XML_PARSER)
    except (etree.XMLSyntaxError, UnicodeDecodeError, ValueError):
        return None


def called_process_ids(xml: str | bytes) -> set[str]:
    """Process ids that call activities in ``xml`` refer to (empty if it does not parse)."""
    root = _quiet_root(xml)
    if root is None:
        return set()
    return {c.get("calledElement") for c in root.iter(f"{{{BPMN}}}callActivity")} - {None}


def process_ids(xml: str | bytes) -> set[str]:
    root = _quiet_root(xml)
    if root is None:
        return set()
    return {p.get("id") for p in root.iterfind(f"{{{BPMN}}}process")}


def executable_process_ids(xml: str | bytes) -> list[str]:
    root = _quiet_root(xml)
    return [] if root is None else _executable_ids(root)
