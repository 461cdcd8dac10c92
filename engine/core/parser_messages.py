"""The English texts of the XML parser, the BPMN schema, SpiffWorkflow's parser and Python's
compiler, said in Chinese for the process designer.

Each function returns the Chinese lead; callers keep the English original as the problem's
``detail`` so nothing the engine said is lost. A text no pattern knows gets a generic lead.
"""

from __future__ import annotations

import re
from collections.abc import Callable

GENERIC_ENGINE = "流程引擎无法解析此元素"
GENERIC_XML = "XML 格式错误"
GENERIC_SCHEMA = "不符合 BPMN 2.0 规范"
MAX_SHOWN_EXPRESSION = 80

Translation = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]


def _local(name: str) -> str:
    """``{namespace}task`` -> ``task``: the namespace URI means nothing to a designer."""
    return name.rsplit("}", 1)[-1]


def _names(listing: str, limit: int = 6) -> str:
    names = [_local(n.strip()) for n in listing.split(",") if n.strip()]
    shown = "、".join(names[:limit])
    return shown + (f" 等 {len(names)} 种" if len(names) > limit else "")


def _first_match(text: str, table: tuple[Translation, ...]) -> str | None:
    for pattern, render in table:
        found = pattern.search(text)
        if found:
            return render(found)
    return None


# -- SpiffWorkflow's parser (ValidationException texts of 3.2) --------------------------------
_DEFINITION_KINDS: dict[str, str] = {
    "Message": "消息",
    "Signal": "信号",
    "Error": "错误",
    "Escalation": "升级",
    "Correlation": "关联",
    "Data Store": "数据存储",
}

_ENGINE: tuple[Translation, ...] = (
    (
        re.compile(r"^Process (\S+) is not executable"),
        lambda m: f'流程 {m[1]} 不是可执行流程：请在该流程上设置 isExecutable="true"',
    ),
    (re.compile(r"^No start event found"), lambda m: "缺少开始事件：请添加一个开始事件"),
    (
        re.compile(r"^There is no support implemented for this task type"),
        lambda m: "引擎不支持这种元素：请换成引擎支持的任务、事件或网关",
    ),
    (
        re.compile(r"^Non-default exclusive outgoing sequence flow without condition"),
        lambda m: (
            "网关的这条出口既没有条件，也不是默认路径：请填写条件表达式，或在网关上把它设为默认路径"
        ),
    ),
    (
        re.compile(r"^Exactly one start event is required in a SubWorkflow Task; found (\d+)"),
        lambda m: f"子流程必须有且只有一个开始事件（现有 {m[1]} 个）",
    ),
    (
        re.compile(r"^A SubWorkflow Must contain an End event"),
        lambda m: "子流程必须包含结束事件",
    ),
    (
        re.compile(r'^No "calledElement" attribute for Call Activity'),
        lambda m: "调用活动没有指定被调用的流程（calledElement）",
    ),
    (
        re.compile(r"^Invalid Script Task\.\s+No Script Provided"),
        lambda m: "脚本任务没有填写脚本",
    ),
    (
        re.compile(r"^A Service Task must have an operator"),
        lambda m: "服务任务没有指定服务操作（spiffworkflow:serviceTaskOperator）",
    ),
    (
        re.compile(
            r"^The process '([^']*)' was not found\. Did you mean one of the following: (.*)\?"
        ),
        lambda m: f"找不到被调用的流程 {m[1]}（文档中的流程：{m[2].replace(', ', '、') or '无'}）",
    ),
    (re.compile(r"^Duplicate process ID: (\S+)"), lambda m: f"流程标识 {m[1]} 重复"),
    (
        re.compile(r"^Could not find messageRef from message event definition: (\S*)"),
        lambda m: f"消息事件引用的消息 {m[1]} 不存在：请在文档中定义该消息",
    ),
    (
        re.compile(r"^Conditional event definition with missing condition"),
        lambda m: "条件事件没有填写条件",
    ),
    (
        re.compile(r"^(Unknown Time Specification|Time Specification Error)"),
        lambda m: "定时器没有指定时间：请填写 timeDate、timeDuration 或 timeCycle 之一",
    ),
    (
        re.compile(r"^Cannot resolve data(Input|Output)Association (\S*)"),
        lambda m: f"数据{'输入' if m[1] == 'Input' else '输出'}关联 {m[2]} 找不到对应的数据对象",
    ),
    (
        re.compile(r"^Sequential ordering for ad hoc subprocesses not supported"),
        lambda m: "不支持顺序执行的自由子流程（ad hoc）",
    ),
    (
        re.compile(r"^Ad hoc subprocesses may not contain start or end events"),
        lambda m: "自由子流程（ad hoc）中不能有开始事件或结束事件",
    ),
    (
        re.compile(
            r"^(Message|Signal|Error|Escalation|Correlation|Data Store) identifier is missing"
        ),
        lambda m: f"文档中有一个{_DEFINITION_KINDS[m[1]]}定义没有 id",
    ),
    (
        re.compile(r"^Data Store with name (.*) has no implementation"),
        lambda m: f"数据存储 {m[1]} 在本引擎中没有实现",
    ),
    (
        re.compile(r"^Expected an? (Message|Signal|Error|Escalation) node", re.IGNORECASE),
        lambda m: f"事件引用的{_DEFINITION_KINDS[m[1].capitalize()]}定义不存在",
    ),
    (
        re.compile(r"^A loopMaximum or loopCondition must be specified"),
        lambda m: "循环任务必须指定最大次数（loopMaximum）或循环条件（loopCondition）",
    ),
    (
        re.compile(r"^A multiinstance task must specify (a cardinality|exactly one)"),
        lambda m: "多实例任务必须且只能指定实例数（loopCardinality）或输入集合之一",
    ),
    (
        re.compile(r"^The loop (input|output) data reference is missing"),
        lambda m: (
            f"多实例任务的循环{'输入' if m[1] == 'input' else '输出'}数据在输入输出定义中找不到"
        ),
    ),
    (
        re.compile(r"^Cancel Events may only be used with transactions"),
        lambda m: "取消事件只能用在事务子流程上",
    ),
    (
        re.compile(r"^Multiple outgoing flows are not supported"),
        lambda m: "此类元素不支持多条出口连线：请在后面加一个网关来分支",
    ),
    (
        re.compile(r'^No DMN Diagram available with id "([^"]*)", Available DMN ids are: ?(.*)$'),
        lambda m: (
            f"找不到决策表 {m[1]}：请随流程一起上传定义它的 DMN 文件"
            f"（已上传的决策表：{m[2].replace(', ', '、') or '无'}）"
        ),
    ),
    (re.compile(r"^No decisions found"), lambda m: "DMN 文件中没有决策表"),
    (
        re.compile(r"^Multiple decision tables are not current"),
        lambda m: "一个 DMN 文件只能有一张决策表：请拆成多个文件",
    ),
    (
        re.compile(r"^Malformed Output Expression '([^']*)'"),
        lambda m: f"决策表的输出“{shown_expression(m[1])}”不是合法的 Python 表达式",
    ),
    (
        re.compile(r"^Unknown type in decision table"),
        lambda m: "决策表中有引擎不认识的元素",
    ),
    (
        re.compile(r"^When looking for a task spec, we found two items.*\((.*)\)"),
        lambda m: f"id {m[1]} 被两个元素同时使用：请改成不同的 id",
    ),
)


def engine_message(english: str) -> str:
    """SpiffWorkflow's parser complaint, in Chinese (generic lead when unknown)."""
    return _first_match(english.strip(), _ENGINE) or GENERIC_ENGINE


# -- the BPMN 2.0 schema (libxml2's XSD messages) ----------------------------------------------
_SCHEMA: tuple[Translation, ...] = (
    (
        re.compile(r"attribute '([^']+)': The attribute '[^']+' is not allowed"),
        lambda m: f"此元素上不允许有属性 {m[1]}",
    ),
    (
        re.compile(r"The attribute '([^']+)' is required but missing"),
        lambda m: f"缺少必填属性 {m[1]}",
    ),
    (
        re.compile(r"attribute 'id': '([^']*)' is not a valid value of the atomic type 'xs:ID'"),
        lambda m: f"id“{m[1]}”重复或写法不合法：id 须以字母或下划线开头、不含空格，且在文档中唯一",
    ),
    (
        re.compile(
            r"attribute '([^']+)': '([^']*)' is not a valid value of the atomic type 'xs:boolean'"
        ),
        lambda m: f"属性 {m[1]} 的值“{m[2]}”不合法：只能是 true 或 false",
    ),
    (
        re.compile(
            r"attribute '([^']+)': '([^']*)' is not a valid value of the atomic type 'xs:integer'"
        ),
        lambda m: f"属性 {m[1]} 的值“{m[2]}”不合法：应为整数",
    ),
    (
        re.compile(r"attribute '([^']+)': '([^']*)' is not a valid value of"),
        lambda m: f"属性 {m[1]} 的值“{m[2]}”不合法",
    ),
    (
        re.compile(
            r"Element '([^']+)': This element is not expected\. Expected is (?:one of )?\( (.*) \)"
        ),
        lambda m: f"元素 {_local(m[1])} 不应出现在这里（此处可以是：{_names(m[2])}）",
    ),
    (
        re.compile(r"Element '([^']+)': This element is not expected"),
        lambda m: f"元素 {_local(m[1])} 不应出现在这里（位置不对或重复）",
    ),
    (
        re.compile(r"Missing child element\(s\)\. Expected is (?:one of )?\( (.*) \)"),
        lambda m: f"缺少子元素（应有：{_names(m[1])}）",
    ),
    (
        re.compile(r"Character content other than whitespace is not allowed"),
        lambda m: "此元素中不能直接写文字",
    ),
    (
        re.compile(r"No matching global declaration available for the validation root"),
        lambda m: "根元素不是 BPMN 2.0 的 definitions",
    ),
)


def schema_message(english: str) -> str:
    """A BPMN 2.0 schema (XSD) violation, in Chinese."""
    found = _first_match(english, _SCHEMA)
    return found or GENERIC_SCHEMA


# -- the XML parser (libxml2's well-formedness messages) ----------------------------------------
_XML: tuple[Translation, ...] = (
    (re.compile(r"^Document is empty"), lambda m: "文件是空的"),
    (
        re.compile(r"^Start tag expected, '<' not found"),
        lambda m: "找不到开始标签：文件内容不是 XML",
    ),
    (
        re.compile(r"^Opening and ending tag mismatch: (\S+) line (\d+) and (\S+)"),
        lambda m: f"第 {m[2]} 行的开始标签 <{m[1]}> 与结束标签 </{m[3]}> 不匹配",
    ),
    (
        re.compile(r"^Premature end of data in tag (\S+) line (\d+)"),
        lambda m: f"第 {m[2]} 行的标签 <{m[1]}> 没有结束：文件不完整",
    ),
    (re.compile(r"^Attribute (\S+) redefined"), lambda m: f"属性 {m[1]} 重复出现"),
    (
        re.compile(r"""^AttValue: " or ' expected"""),
        lambda m: "属性值必须用引号括起来",
    ),
    (
        re.compile(r"^Specification mandates value for attribute (\S+)"),
        lambda m: f"属性 {m[1]} 没有值",
    ),
    (
        re.compile(r"^(xmlParseEntityRef: no name|EntityRef: expecting ';')"),
        lambda m: "文字中的 & 必须写成 &amp;",
    ),
    (
        re.compile(r"^Unescaped '<' not allowed in attributes values"),
        lambda m: "属性值中的 < 必须写成 &lt;",
    ),
    (
        re.compile(r"^Extra content at the end of the document"),
        lambda m: "根元素结束后还有多余内容",
    ),
    (
        re.compile(r"^Namespace prefix (\S+) on (\S+) is not defined"),
        lambda m: f"命名空间前缀 {m[1]}（用于 {m[2]}）没有声明",
    ),
    (
        re.compile(r"^Namespace prefix (\S+) for (\S+) on (\S+) is not defined"),
        lambda m: f"命名空间前缀 {m[1]}（用于 {m[3]} 的属性 {m[2]}）没有声明",
    ),
    (re.compile(r"^StartTag: invalid element name"), lambda m: "标签名不合法"),
    (re.compile(r"^error parsing attribute name"), lambda m: "属性名写法有误"),
    (
        re.compile(r"^Excessive depth in document: (\d+)"),
        lambda m: f"元素嵌套超过 {m[1]} 层：请检查是否有未关闭的标签",
    ),
    (
        re.compile(r"^(Couldn't find end of Start Tag|attributes construct error)"),
        lambda m: "标签没有正确结束（属性的写法有误）",
    ),
    (
        re.compile(r"^(PCDATA invalid Char value|Char 0x[0-9A-F]+ out of allowed range)"),
        lambda m: "含有 XML 不允许的控制字符",
    ),
    (re.compile(r"^Input is not proper UTF-8"), lambda m: "含有不是 UTF-8 编码的字符"),
)
_POSITION_SUFFIX = re.compile(r", line \d+, column \d+$")


def xml_message(english: str) -> str:
    """An XML well-formedness error, in Chinese."""
    return _first_match(_POSITION_SUFFIX.sub("", english.strip()), _XML) or GENERIC_XML


# -- Python's compiler (expressions and scripts) -------------------------------------------------
_PYTHON: tuple[Translation, ...] = (
    (
        re.compile(r"Maybe you meant '==' or ':=' instead of '='|cannot assign to"),
        lambda m: "比较相等请用 ==，不能用 =",
    ),
    (re.compile(r"^'(.)' was never closed"), lambda m: f"括号 {m[1]} 没有闭合"),
    (re.compile(r"^unmatched '(.)'"), lambda m: f"多了一个 {m[1]}"),
    (
        re.compile(r"^closing parenthesis '(.)' does not match opening parenthesis '(.)'"),
        lambda m: f"右括号 {m[1]} 与左括号 {m[2]} 不配对",
    ),
    (re.compile(r"^unterminated (triple-quoted )?string literal"), lambda m: "字符串缺少结束引号"),
    (
        re.compile(r"^invalid (decimal|hexadecimal|octal|binary) literal"),
        lambda m: "数字写法不合法",
    ),
    (re.compile(r"^unexpected EOF|^unexpected end"), lambda m: "表达式不完整"),
    (
        re.compile(r"^(unexpected indent|unindent does not match|expected an indented)"),
        lambda m: "缩进不正确",
    ),
    (
        re.compile(r"^invalid character '(.)'"),
        lambda m: f"含有不允许的字符 {m[1]}（可能是中文标点）",
    ),
    (re.compile(r"^invalid non-printable character"), lambda m: "含有不可见的控制字符"),
    (re.compile(r"^expected ':'"), lambda m: "缺少冒号 :"),
    (re.compile(r"^invalid syntax"), lambda m: "语法错误"),
)


# A lone "=" in a condition: the commonest slip of designers used to other languages.
_LONE_EQUALS = re.compile(r"(?<![=!<>:])=(?!=)")


def python_syntax_message(english: str, source: str = "") -> str:
    """Python's ``SyntaxError.msg``, in Chinese (always beginning with 语法错误).

    :param source: the expression, when the reason can be read from it (a lone ``=``).
    """
    found = _first_match(english, _PYTHON)
    if found in (None, "语法错误") and _LONE_EQUALS.search(_without_strings(source)):
        found = "比较相等请用 ==，不能用 ="
    return "语法错误" if found in (None, "语法错误") else f"语法错误：{found}"


def _without_strings(source: str) -> str:
    return re.sub(r"'[^']*'|\"[^\"]*\"", "''", source)


def shown_expression(text: str, limit: int = MAX_SHOWN_EXPRESSION) -> str:
    """The expression as a designer can recognise it: one line, at most ``limit`` characters."""
    flat = re.sub(r"\s+", " ", text).strip()
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
