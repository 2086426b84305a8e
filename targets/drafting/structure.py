"""Split a plan's lines into numbered sections: 一、 / （一） / 1. / （1）, nested as printed.

A heading counts only when its number follows on from the previous one of its kind at that
depth (or starts a new level at one), so a line that a PDF broke just before "（二）" or "3."
in running text is not taken for a heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from targets.drafting.numbers import chinese_int

_CN = "一二三四五六七八九十"
_MARKERS = [
    ("chapter", re.compile(rf"^第([{_CN}]{{1,3}})(?:章|部分)\s*(.*)$")),
    ("cn", re.compile(rf"^([{_CN}]{{1,3}})、(.*)$")),
    ("paren_cn", re.compile(rf"^[（(]([{_CN}]{{1,3}})[）)](.*)$")),
    ("arabic", re.compile(r"^(\d{1,2})[.．、](?!\d)(.*)$")),
    ("paren_arabic", re.compile(r"^[（(](\d{1,2})[）)](.*)$")),
]
# Lines that end a numbered item's body: boxes of key projects, annexes, signatures.
_BOX = re.compile(r"^(专栏|附件|附表|附：)")
_TITLE_END = re.compile(r"[。．.：:！]")
_MAX_TITLE = 40


@dataclass
class Node:
    kind: str
    number: int
    label: str  # as printed, normalised to full-width brackets: 三, （一）, 1, （1）
    title: str
    parent: Node | None = None
    lines: list[str] = field(default_factory=list)  # body lines, in order
    children: list[Node] = field(default_factory=list)
    line_no: int = 0  # index of the heading among the cleaned lines

    @property
    def section(self) -> str:
        return (self.parent.section if self.parent else "") + self.label

    @property
    def body(self) -> str:
        return "".join(self.lines)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Outline:
    preamble: list[str]
    roots: list[Node]

    def nodes(self) -> list[Node]:
        return [node for root in self.roots for node in root.walk()]


def _label(kind: str, number_text: str) -> str:
    if kind == "chapter":
        return f"第{number_text}章"
    if kind == "cn":
        return number_text
    if kind == "paren_cn":
        return f"（{number_text}）"
    if kind == "arabic":
        return number_text
    return f"（{number_text}）"


def _split_title(rest: str) -> tuple[str, str]:
    """'大力发展新能源。实施…' -> ('大力发展新能源', '实施…'); a bare heading is all title."""
    rest = rest.strip()
    match = _TITLE_END.search(rest)
    if match and match.start() <= _MAX_TITLE:
        return rest[: match.start()], rest[match.end() :]
    if len(rest) <= _MAX_TITLE:
        return rest, ""
    return rest[:_MAX_TITLE], rest


def parse_outline(lines: list[str]) -> Outline:
    stack: list[Node] = []
    roots: list[Node] = []
    preamble: list[str] = []
    in_box = False
    for i, line in enumerate(lines):
        heading = _heading(line, stack, roots)
        if heading is None:
            if _BOX.match(line):
                in_box = True
            if in_box:
                continue
            if stack:
                stack[-1].lines.append(line)
            else:
                preamble.append(line)
            continue
        in_box = False
        kind, number, label, rest = heading
        while stack and stack[-1].kind != kind and kind in [n.kind for n in stack]:
            stack.pop()
        if stack and stack[-1].kind == kind:
            stack.pop()
        title, body = _split_title(rest)
        node = Node(kind, number, label, title, parent=stack[-1] if stack else None, line_no=i)
        if body:
            node.lines.append(body)
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return Outline(preamble, roots)


def _heading(line: str, stack: list[Node], roots: list[Node]) -> tuple[str, int, str, str] | None:
    for kind, pattern in _MARKERS:
        match = pattern.match(line)
        if not match:
            continue
        number_text, rest = match.group(1), match.group(2)
        number = chinese_int(number_text) if kind in ("chapter", "cn", "paren_cn") else int(number_text)
        if number is None or not rest.strip():
            return None
        if _expected(kind, number, stack, roots):
            return kind, number, _label(kind, number_text), rest
        return None
    return None


def _expected(kind: str, number: int, stack: list[Node], roots: list[Node]) -> bool:
    """True when a heading of this kind and number continues the outline."""
    kinds = [n.kind for n in stack]
    if kind in kinds:
        previous = stack[kinds.index(kind)]
        return number == previous.number + 1
    if not stack:
        return number == 1 if not roots else False
    return number == 1
