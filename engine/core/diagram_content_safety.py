"""Refuse diagrams that carry content a browser would run.

A BPMN file is XML, and a browser that renders XML honours the XHTML, SVG and MathML
namespaces inside it: an ``<h:script xmlns:h="http://www.w3.org/1999/xhtml">`` tucked into
``extensionElements`` runs for whoever opens the diagram's link. BPMN never needs markup of
those vocabularies (bpmn-js draws its own SVG from the diagram-interchange elements), so any
element of them, an un-namespaced ``script`` or ``foreignObject``, XLink attributes
and style-sheet processing instructions are refused, each named with its line and the BPMN
element it sits in.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from engine.core.problems import Problem

XHTML = "http://www.w3.org/1999/xhtml"
SVG = "http://www.w3.org/2000/svg"
MATHML = "http://www.w3.org/1998/Math/MathML"
XLINK = "http://www.w3.org/1999/xlink"
# Namespaces whose elements browsers render (and so may run script or load resources).
_BROWSER_VOCABULARIES = {XHTML: "HTML", SVG: "SVG", MATHML: "MathML"}
# Local names that mean script or embedded markup when written without a namespace (a
# BPMN ``bpmn:script`` is the engine's own Python and stays; an XHTML default namespace on an
# ancestor is caught by the namespace test).
_ACTIVE_NAMES = {"script", "foreignObject", "iframe", "object", "embed"}


def _written_name(node: etree._Element) -> str:
    """The element's name as the file spells it (``h:script``), so the designer finds it."""
    qname = etree.QName(node)
    prefix = node.prefix
    return f"{prefix}:{qname.localname}" if prefix else qname.localname


def _owner_id(node: etree._Element) -> str | None:
    """The nearest enclosing element with an id: where the editor can point at the problem."""
    owner = node.getparent()
    while owner is not None:
        owner_id: str | None = owner.get("id")
        if owner_id:
            return owner_id
        owner = owner.getparent()
    return None


def _where(node: etree._Element) -> str:
    parent = node.getparent()
    if parent is None or not isinstance(parent.tag, str):
        return ""
    return f"（位于 {_written_name(parent)} 内）"


def active_content(root: etree._Element) -> list[Problem]:
    """Every element, attribute or instruction in ``root`` that a browser could execute."""
    return list(_active_content(root))


def _active_content(root: etree._Element) -> Iterable[Problem]:
    tree = root.getroottree()
    # Processing instructions before the root (``<?xml-stylesheet?>`` can apply an XSLT that
    # writes HTML) are siblings of the root, not descendants.
    prolog = []
    sibling = root.getprevious()
    while sibling is not None:
        prolog.append(sibling)
        sibling = sibling.getprevious()
    for node in [*reversed(prolog), *tree.iter()]:
        if isinstance(node, etree._ProcessingInstruction):
            if node.target.lower() == "xml-stylesheet":
                yield Problem(
                    "active-content",
                    "图中含有样式表处理指令 <?xml-stylesheet?>：流程图不能引用样式表或"
                    "XSLT（打开时可能执行脚本），请删除后再上传",
                    None,
                    node.sourceline,
                )
            continue
        if not isinstance(node.tag, str):
            continue  # comments
        qname = etree.QName(node)
        vocabulary = _BROWSER_VOCABULARIES.get(qname.namespace or "")
        if vocabulary or (qname.namespace is None and qname.localname in _ACTIVE_NAMES):
            what = f"{vocabulary} 元素" if vocabulary else "元素"
            handlers = sorted(a for a in node.attrib if etree.QName(a).localname.startswith("on"))
            extra = f"，带事件属性 {'、'.join(handlers)}" if handlers else ""
            yield Problem(
                "active-content",
                f"图中含有{what} <{_written_name(node)}>{_where(node)}{extra}："
                "流程图不能携带网页脚本或 HTML/SVG 内容（打开图的链接时会在浏览器中执行），"
                "请删除该元素后再上传",
                _owner_id(node),
                node.sourceline,
            )
            continue
        for attribute in node.attrib:
            if etree.QName(attribute).namespace == XLINK:
                yield Problem(
                    "active-content",
                    f"元素 <{_written_name(node)}> 带有 XLink 属性 "
                    f"{etree.QName(attribute).localname}：流程图不能携带链接或脚本，请删除该属性",
                    node.get("id") or _owner_id(node),
                    node.sourceline,
                )
