"""Faults in the markup itself, named by line and the nearest element.

The XML parser and the BPMN 2.0 schema only give a line (and a column), which a designer
editing a drawing cannot use: each fault is told as "第 12 行，元素 bpmn:task（id=Task_1）附近：…".
The schema check reports every violation it finds, not only the last one as SpiffWorkflow's
validator does.
"""

from __future__ import annotations

import re

from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException

from engine.core.parser_messages import schema_message
from engine.core.problem_locations import BPMN, element_label
from engine.core.problems import Problem

# More than this many schema violations is a file from another world: the first ones do.
MAX_SCHEMA_PROBLEMS = 20

_TOKEN = re.compile(
    r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<![^>]*>"
    r"|</\s*(?P<close>[^\s>]+)\s*>"
    r"|<(?P<open>[A-Za-z_][\w.:-]*)(?P<attrs>(?:[^<>\"']|\"[^\"]*\"|'[^']*')*?)(?P<empty>/?)>",
    re.DOTALL,
)
_PARTIAL_TAG = re.compile(r"<(?P<open>[A-Za-z_][\w.:-]*)(?P<attrs>[^<>]*)$", re.DOTALL)
_ID = re.compile(r"""\bid\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ELEMENT_IN_MESSAGE = re.compile(r"^Element '([^']+)'")


class SchemaErrors(ValidationException):
    """Every BPMN 2.0 schema violation of one document: (line, element path, English text)."""

    def __init__(self, entries: list[tuple[int | None, str | None, str]]) -> None:
        super().__init__(entries[-1][2] if entries else "schema")
        self.entries = entries


class SchemaValidator(BpmnValidator):
    """SpiffWorkflow's schema check, keeping the whole error log instead of the last entry."""

    def validate(self, bpmn: etree._Element, filename: str | None = None) -> None:
        self.preprocess(bpmn)
        if not self.validator.validate(bpmn):
            raise SchemaErrors(
                [(e.line or None, e.path, e.message) for e in self.validator.error_log]
            )


def schema_problems(err: SchemaErrors, document: etree._Element) -> list[Problem]:
    problems = []
    for line, path, english in err.entries[:MAX_SCHEMA_PROBLEMS]:
        node = _node_at(document, path, line, english)
        owner = _owner_with_id(node) if node is not None else None
        near = _near(_label(node)) if node is not None else ""
        where = f"第 {line} 行，" if line else ""
        problems.append(
            Problem(
                "bpmn-invalid",
                f"{where}{near}{schema_message(english)}",
                owner.get("id") if owner is not None else None,
                line,
                detail=english.replace(f"{{{BPMN}}}", "bpmn:"),
            )
        )
    hidden = len(err.entries) - MAX_SCHEMA_PROBLEMS
    if hidden > 0:
        problems.append(
            Problem("bpmn-invalid", f"另有 {hidden} 处不符合 BPMN 2.0 规范，请先修改以上各处")
        )
    return problems


def _node_at(
    document: etree._Element, path: str | None, line: int | None, english: str
) -> etree._Element | None:
    """The element a schema error names: by its XPath, else by line and tag."""
    if path:
        prefixes = {k: v for k, v in document.nsmap.items() if k}
        try:
            found = document.getroottree().xpath(path, namespaces=prefixes)
        except etree.XPathError:
            found = []
        if found and isinstance(found[0], etree._Element):
            return found[0]
    if line is None:
        return None
    named = _ELEMENT_IN_MESSAGE.match(english)
    on_line = [n for n in document.iter() if isinstance(n.tag, str) and n.sourceline == line]
    for node in on_line:
        if named and node.tag == named[1]:
            return node
    if on_line:
        return on_line[0]
    before = [n for n in document.iter() if isinstance(n.tag, str) and (n.sourceline or 0) <= line]
    return before[-1] if before else None


def _owner_with_id(node: etree._Element) -> etree._Element | None:
    current: etree._Element | None = node
    while current is not None and not current.get("id"):
        current = current.getparent()
    return current


def _label(node: etree._Element) -> str:
    """``bpmn:task（id=Task_1）``; an element without id is named inside its nearest owner."""
    if node.get("id"):
        return element_label(node)
    owner = _owner_with_id(node)
    inside = f"（在 {element_label(owner)}内）" if owner is not None else ""
    return element_label(node) + inside


def text_location(text: str, line: int | None, column: int | None) -> str:
    """ "第 5 行，元素 bpmn:incoming（在 bpmn:task（id=Task_1）内）附近：" for a document that
    does not parse: the element open (or being written) at the error position."""
    if not line:
        return ""
    data = text.encode("utf-8")
    lines = data.split(b"\n")
    start = sum(len(chunk) + 1 for chunk in lines[: line - 1])
    prefix = data[: start + max((column or 1) - 1, 0)].decode("utf-8", errors="ignore")
    stack: list[tuple[str, str | None]] = []
    end = 0
    for token in _TOKEN.finditer(prefix):
        end = token.end()
        if token["close"]:
            if stack and stack[-1][0] == token["close"]:
                stack.pop()
        elif token["open"] and not token["empty"]:
            stack.append((token["open"], _id_in(token["attrs"])))
    partial = _PARTIAL_TAG.search(prefix[end:])
    if partial:
        stack.append((partial["open"], _id_in(partial["attrs"])))
    if not stack:
        return f"第 {line} 行："
    name, element_id = stack[-1]
    if element_id:
        label = f"{name}（id={element_id}）"
    else:
        owner = next(((n, i) for n, i in reversed(stack) if i), None)
        label = name + (f"（在 {owner[0]}（id={owner[1]}）内）" if owner else "")
    return f"第 {line} 行，{_near(label)}"


def _near(label: str) -> str:
    # No space after a full-width bracket: "元素 bpmn:task（id=Task_1）附近".
    return f"元素 {label}{'' if label.endswith('）') else ' '}附近："


def _id_in(attributes: str) -> str | None:
    found = _ID.search(attributes or "")
    return (found[1] if found[1] is not None else found[2]) if found else None
