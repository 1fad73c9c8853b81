"""Reading a damaged JSON list element by element (used by :mod:`litscope.sources.json`).

One forward pass over the text, token by token (strings, brackets, commas, colons), finds
where each element of the list starts and ends; each element is then parsed on its own, so
one broken record costs that record only. Damage is repaired only as far as needed to find
those ends, using what JSON allows:

* a missing comma between two elements: both are read (and a note says so);
* a string cannot hold a raw line break, so an unterminated string ends with its line;
* a ``{`` or ``[`` where an object expects a key means the object was left open;
* a ``:`` inside a list means the list was left open;
* a closer that matches an outer container closes the open ones inside it;
* a ``]`` followed by ``, {`` is stray: more elements follow.

Examples
--------
>>> found = recover_list('[{"title": "A"} {"title": "B"},\\n {"title": "C},\\n {"title": "D"}]', 0)
>>> [(n, v["title"]) for n, _, v in found.values], [n for n, _, _ in found.failures]
([(1, 'A'), (2, 'B'), (4, 'D')], [3])
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from ._json_shapes import ENVELOPE_KEYS

# A string (closed on its line), a string left open (to the end of its line), a structural
# character, or any other run (numbers, literals, garbage). Each alternative is linear.
_TOKEN = re.compile(r'"[^"\\\n]*(?:\\[^\n][^"\\\n]*)*"|(?P<open>"[^\n]*)|[{}\[\],:]|[^\s"{}\[\],:]+')
_MORE_ELEMENTS = re.compile(r"\s*(?:,\s*)?[{\[]")
_TITLE_KEY = re.compile(r'"(?:title|Title|TITLE|display_name|article_title|paper_title)"\s*:')


def estimate_records(text: str) -> int:
    """About how many records a piece of JSON held: its title keys.

    >>> estimate_records('[{"title": "a"}, {"title": "b", "container-title": "c"}]')
    2
    """
    return len(_TITLE_KEY.findall(text))


@dataclass
class Recovered:
    """A list read element by element.

    Attributes
    ----------
    values : list of (int, int, object)
        ``(element number, line, value)`` of the elements that parse.
    failures : list of (int or None, int, str)
        ``(element number, line, reason)`` of those that do not, and damage after the last
        element (number None).
    notes : list of (int, int, str)
        Repairs that cost nothing (a missing comma).
    end : int or None
        Offset of the list's closing ``]``; None when the text ends first.
    """

    values: list[tuple[int, int, Any]] = field(default_factory=list)
    failures: list[tuple[int | None, int, str]] = field(default_factory=list)
    notes: list[tuple[int, int, str]] = field(default_factory=list)
    end: int | None = None


class _Lines:
    """Line numbers of increasing offsets, counted once."""

    def __init__(self, text: str) -> None:
        self.text, self.pos, self.line = text, 0, 1

    def at(self, pos: int) -> int:
        if pos < self.pos:
            self.pos, self.line = 0, 1
        self.line += self.text.count("\n", self.pos, pos)
        self.pos = pos
        return self.line


_DECODER = json.JSONDecoder()
_WS = re.compile(r"\s*")
_UNPARSED = object()
#: Kinds of the containers open inside an element are kept to this depth; deeper ones are only
#: counted (json itself refuses such values), so a hostile text cannot grow the scan's memory.
_DEPTH_KEPT = 1000


def _spans(text: str, open_pos: int) -> tuple[list[tuple[int, int, str | None, bool, Any]], int | None]:
    """Each element of the list opening at ``open_pos`` as ``(start, end, damage, comma_missing, value)``
    (value is ``_UNPARSED`` for an element that did not parse whole), and the offset of the list's ``]``.
    """
    spans: list[tuple[int, int, str | None, bool, Any]] = []
    kinds: list[str] = []  # containers open inside the current element
    deeper = 0  # levels open past _DEPTH_KEPT
    opened = {"{": 0, "[": 0}  # how many of each kind are in ``kinds``: O(1) 'is one open?'
    # The previous token inside the element: one of '{[}],:', 'k' (a key) or 'v' (another value).
    last = ""
    start: int | None = None
    value_end = 0  # end of the last complete top-level value of the element
    damage: str | None = None
    comma_missing = False  # the current element follows the previous one without a comma
    no_comma = False  # the previous element ended with its value, and no comma has come since

    def finish(end: int, value: Any = _UNPARSED) -> None:
        nonlocal start, damage, comma_missing, deeper
        if start is not None:
            if kinds and damage is None:
                damage = f"'{kinds[-1]}' not closed"
            spans.append((start, end, damage, comma_missing, value))
        kinds.clear()
        opened["{"] = opened["["] = deeper = 0
        start, damage, comma_missing = None, None, False

    def push(kind: str) -> None:
        nonlocal deeper
        if len(kinds) >= _DEPTH_KEPT:
            deeper += 1
        else:
            kinds.append(kind)
            opened[kind] += 1

    def pop() -> str:
        nonlocal deeper
        if deeper:
            deeper -= 1
            return kinds[-1]
        kind = kinds.pop()
        opened[kind] -= 1
        return kind

    pos = open_pos + 1
    while True:
        m = _TOKEN.search(text, pos)
        if m is None:
            break
        pos = m.end()
        at = m.start()
        first = text[at]
        unclosed = m.lastgroup == "open"
        if not kinds:
            if first == ",":
                finish(at)
                no_comma = False
                continue
            if first == "]":
                if _MORE_ELEMENTS.match(text, pos):  # a stray ']': more elements follow
                    damage = damage or "stray ']'"
                    continue
                finish(at)
                return spans, at
            if first == "}":
                damage = damage or "stray '}'"
                start = at if start is None else start
                continue
            if start is not None and value_end and first != ":":
                finish(value_end)  # a value right after a whole value: the comma between them is missing
                no_comma = True
            if start is None:
                start, comma_missing, no_comma = at, no_comma, False
                if first in "{[":
                    try:  # most elements are whole: parse them at once, tokens are for the damaged ones
                        value, end = _DECODER.raw_decode(text, at)
                    except (ValueError, RecursionError):
                        pass
                    else:
                        finish(end, value)
                        no_comma, pos = True, end
                        continue
            if unclosed:
                damage = damage or "string not closed on its line"
            if first == ":":  # an object whose '{' is lost
                damage = damage or "object without '{'"
                push("{")
                last, value_end = ":", 0
            elif first in "{[":
                push(first)
                last, value_end = first, 0
            else:
                value_end = pos
            continue
        value_end = 0
        top = kinds[-1]
        if unclosed:
            damage = damage or "string not closed on its line"
        if first in "{[":
            if top == "{" and last not in ":k":  # in an object a container follows a key: the object was left open
                damage = damage or "'{' not closed"
                while kinds and kinds[-1] == "{":
                    pop()
                if not kinds:  # it was the element itself: this starts the next element
                    finish(at)
                    start, comma_missing = at, False
            push(first)
            last = first
        elif first in "}]":
            want = "{" if first == "}" else "["
            if deeper:
                pop()  # past the depth kept, any closer closes one level
            elif opened[want]:
                if top != want:
                    damage = damage or f"'{top}' not closed"
                while pop() != want:  # close what was left open inside
                    pass
            elif first == "]" and not _MORE_ELEMENTS.match(text, pos):
                finish(at)  # the list ends with its last element left open
                return spans, at
            else:
                damage = damage or f"stray '{first}'"
            last = first
            if not kinds:
                value_end = pos
        elif first == ",":
            last = ","
        elif first == ":":
            last = ":"
            if top == "[":  # a key inside a list: the list was left open
                damage = damage or "'[' not closed"
                while kinds and kinds[-1] == "[":
                    pop()
                if not kinds:
                    push("{")
        else:
            last = "k" if first == '"' and top == "{" and last in "{," else "v"
    finish(len(text))
    return spans, None


def recover_list(text: str, open_pos: int, *, top_level: bool = True) -> Recovered:
    """Read the list whose ``[`` is at ``open_pos`` element by element.

    ``top_level``: the list is the whole document, so text after its ``]`` is damage.
    """
    found = Recovered()
    lines = _Lines(text)
    spans, found.end = _spans(text, open_pos)
    for number, (start, end, damage, comma_missing, value) in enumerate(spans, start=1):
        line = lines.at(start)
        if comma_missing:
            found.notes.append((number, line, f"missing ',' before element {number}; read as two elements"))
        piece = text[start:end] if value is _UNPARSED else ""
        try:
            found.values.append((number, line, json.loads(piece) if value is _UNPARSED else value))
            continue
        except RecursionError:
            reason = "JSON nested too deeply"
        except ValueError as exc:
            where = getattr(exc, "lineno", 1)
            message = re.sub(r"\s+at$", "", str(getattr(exc, "msg", exc)))  # json's "... starting at" + our line
            reason = f"{message} at line {line + where - 1}" + (f" ({damage})" if damage else "")
        lost = estimate_records(piece)
        found.failures.append((number, line, f"malformed JSON in element {number}: {reason}"
                               + (f"; about {lost} records in it are lost" if lost > 1 else "")))
    if found.end is None:
        if not spans or spans[-1][2] is None:  # the last element is whole: the cut came after it
            found.failures.append((None, lines.at(len(text)), f"the list is not closed after element {len(spans)}; "
                                                               "the rest of the file could not be read"))
    elif top_level and _WS.match(text, found.end + 1).end() < len(text):
        found.failures.append((None, lines.at(found.end + 1), "extra data after the JSON list"))
    return found


def envelope_list(text: str) -> int | None:
    """Offset of the ``[`` of the record list in an API envelope (``{"data": [...]}``,
    ``{"message": {"items": [...]}}``...), found without parsing the (damaged) document.

    >>> envelope_list('{"total": 2, "meta": {"a": [1]}, "data": [{"title": "x"}')
    41
    """
    path: list[str | None] = []  # at each open object, the last key read
    kinds: list[str] = []
    for m in _TOKEN.finditer(text):
        token = m.group(0)
        first = token[0]
        if first == '"' and kinds and kinds[-1] == "{":
            path[-1] = token[1:-1]
        elif first == "[" and kinds == ["{"] and path[0] in ENVELOPE_KEYS:
            return m.start()
        elif first == "[" and kinds == ["{", "{"] and path == ["message", "items"]:
            return m.start()
        elif first in "{[":
            kinds.append(first)
            path.append(None)
        elif first in "}]":
            if not kinds:
                return None
            kinds.pop()
            path.pop()
        elif first == "," and kinds and kinds[-1] == "{":
            path[-1] = None
    return None
