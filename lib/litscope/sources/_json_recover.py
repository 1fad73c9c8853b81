"""Reading a damaged JSON list element by element (used by :mod:`litscope.sources.json`).

One forward pass over the text, token by token (strings, brackets, commas, colons), finds
where each element of the list starts and ends; each element is then parsed on its own, so
one broken record costs that record only. Damage is repaired only as far as needed to find
those ends, using what JSON allows:

* a missing comma between two elements: both are read (and a note says so);
* a string cannot hold a raw line break, so an unterminated string ends with its line;
* a ``{`` or ``[`` right after a comma in an object means the object was left open;
* a ``:`` inside a list means the list was left open;
* a closer that matches an outer container closes the open ones inside it;
* in pretty-printed JSON, a ``{`` that starts a line indented like the elements (the least
  indented ``{`` lines) starts an element, whatever was left open before it;
* the list ends at the document's last ``]`` (at the ``]`` after which the envelope of an
  API response parses, for a list inside one); any other unmatched ``]`` is stray, and a
  document that does not end with ``]`` was cut short.

Examples
--------
>>> found = recover_list('[{"title": "A"} {"title": "B"},\\n {"title": "C},\\n {"title": "D"}]', 0)
>>> [(n, v["title"]) for n, _, v in found.values], [n for n, _, _ in found.failures]
([(1, 'A'), (2, 'B'), (4, 'D')], [3])
"""

from __future__ import annotations

import json as _json
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


_DECODER = _json.JSONDecoder()
_UNPARSED = object()
#: Kinds of the containers open inside an element are kept to this depth; deeper ones are only
#: counted (json itself refuses such values), so a hostile text cannot grow the scan's memory.
_DEPTH_KEPT = 1000
#: Trial parses of an envelope, to find where its list ends, before guessing from what follows.
_END_TRIALS = 100
#: ... and only where what is around the list is smaller than this (an envelope's other keys are few).
_TRIAL_SIZE = 1 << 20


class _Scanner:
    """One pass over a list: where each element starts and ends, and what damage it shows."""

    def __init__(self, text: str, open_pos: int, *, top_level: bool) -> None:
        self.text, self.open_pos, self.top_level = text, open_pos, top_level
        self.spans: list[tuple[int, int, str | None, bool, Any]] = []
        self.final = _final_bracket(text) if top_level else None
        self.trials = 0
        self.kinds: list[str] = []  # containers open inside the current element
        self.deeper = 0  # levels open past _DEPTH_KEPT
        self.opened = {"{": 0, "[": 0}  # how many of each kind are in ``kinds``: O(1) 'is one open?'
        self.start: int | None = None
        self.damage: str | None = None
        self.comma_missing = False  # the current element follows the previous one without a comma
        # Pretty-printed, the elements' '{' start lines with the least indentation of all '{' lines.
        self.indent = _element_indent(text, open_pos)
        self.layout = self.indent is not None

    def finish(self, end: int, value: Any = _UNPARSED) -> None:
        if self.start is not None:
            if self.kinds and self.damage is None:
                self.damage = f"'{self.kinds[-1]}' not closed"
            self.spans.append((self.start, end, self.damage, self.comma_missing, value))
        self.kinds.clear()
        self.opened = {"{": 0, "[": 0}
        self.deeper = 0
        self.start, self.damage, self.comma_missing = None, None, False

    def hurt(self, damage: str) -> None:
        if self.start is not None and self.damage is None:
            self.damage = damage

    def push(self, kind: str) -> None:
        if len(self.kinds) >= _DEPTH_KEPT:
            self.deeper += 1
        else:
            self.kinds.append(kind)
            self.opened[kind] += 1

    def pop(self) -> str:
        if self.deeper:
            self.deeper -= 1
            return self.kinds[-1]
        kind = self.kinds.pop()
        self.opened[kind] -= 1
        return kind

    def at_element_indent(self, at: int) -> bool:
        """Whether ``at`` starts a line indented exactly like the elements (pretty-printed JSON)."""
        if not self.layout:
            return False
        begin = at - len(self.indent)
        return begin > 0 and self.text[begin - 1] == "\n" and self.text.startswith(self.indent, begin)

    def ends_list(self, at: int, after: int) -> bool:
        """Whether an unmatched ``]`` at ``at`` closes the list."""
        if self.top_level:  # a top-level list ends with the document; cut short, it does not end at all
            return at == self.final
        if self.trials < _END_TRIALS and len(self.text) - at + self.open_pos < _TRIAL_SIZE:
            self.trials += 1  # it does if the envelope around the list parses with the list cut there
            try:
                _json.loads(self.text[:self.open_pos] + "[]" + self.text[at + 1:])
                return True
            except (ValueError, RecursionError):
                return False
        return not _MORE_ELEMENTS.match(self.text, after)

    def run(self) -> tuple[list[tuple[int, int, str | None, bool, Any]], int | None]:
        """``(start, end, damage, comma_missing, value)`` per element (value is ``_UNPARSED`` unless
        the element parsed whole), and the offset of the list's ``]`` (None when the text ends first)."""
        text, kinds = self.text, self.kinds
        last = ""  # the previous token inside the element: one of '{[}],:', 'k' (a key) or 'v' (another value)
        value_end = 0  # end of the element's top-level value, once whole
        no_comma = False  # the previous element ended with its value, and no comma has come since
        pos = self.open_pos + 1
        while True:
            m = _TOKEN.search(text, pos)
            if m is None:
                break
            at, pos = m.start(), m.end()
            first = text[at]
            if m.lastgroup == "open":
                self.hurt("string not closed on its line")
                if kinds:
                    last = ","  # the rest of its line is lost, most likely with the comma that ended it
                    continue
            if first == "]" and (not kinds or not self.opened["["] and not self.deeper) or at == self.final:
                if self.ends_list(at, pos):
                    self.finish(at)
                    return self.spans, at
                self.hurt("stray ']'")
                continue
            if kinds and first in "{[" and self.at_element_indent(at):
                self.hurt(f"'{kinds[0]}' not closed before the next element")
                self.finish(at)  # pretty-printed: a line that starts like the elements do starts one
                no_comma = False
            if not kinds:
                if first == ",":
                    self.finish(at)
                    no_comma = False
                    continue
                if first == "}":
                    self.hurt("stray '}'")
                    continue
                if self.start is not None and value_end and first != ":":
                    self.finish(value_end)  # a value right after a whole value: the comma between them is missing
                    no_comma = True
                if self.start is None:
                    self.start, self.comma_missing, no_comma = at, no_comma, False
                    if m.lastgroup == "open":
                        self.hurt("string not closed on its line")
                    if first in "{[":
                        try:  # most elements are whole: parse them at once, tokens are for the damaged ones
                            value, end = _DECODER.raw_decode(text, at)
                        except (ValueError, RecursionError):
                            pass
                        else:
                            self.finish(end, value)
                            no_comma, pos = True, end
                            continue
                if first == ":":  # an object whose '{' is lost
                    self.hurt("object without '{'")
                    self.push("{")
                    last, value_end = ":", 0
                elif first in "{[":
                    self.push(first)
                    last, value_end = first, 0
                else:
                    value_end = pos
                continue
            value_end = 0
            top = kinds[-1]
            if first in "{[":
                if top == "{" and last == ",":  # a value where a key belongs: the object was left open
                    self.hurt("'{' not closed")
                    while kinds and kinds[-1] == "{":
                        self.pop()
                    if not kinds:  # it was the element itself: this starts the next element
                        self.finish(at)
                        self.start = at
                elif top == "{" and last not in ":k" or top == "[" and last not in "[,":
                    self.hurt("missing ',' or ':'")
                self.push(first)
                last = first
            elif first in "}]":
                want = "{" if first == "}" else "["
                if self.deeper:
                    self.pop()  # past the depth kept, any closer closes one level
                elif self.opened[want]:
                    if top != want:
                        self.hurt(f"'{top}' not closed")
                    while self.pop() != want:  # close what was left open inside
                        pass
                else:
                    self.hurt(f"stray '{first}'")
                last = first
                if not kinds:
                    value_end = pos
            elif first == ",":
                last = ","
            elif first == ":":
                last = ":"
                if top == "[":  # a key inside a list: the list was left open
                    self.hurt("'[' not closed")
                    while kinds and kinds[-1] == "[":
                        self.pop()
                    if not kinds:
                        self.push("{")
            else:
                last = "k" if first == '"' and top == "{" and last in "{," else "v"
        self.finish(len(text))
        return self.spans, None


_OBJECT_LINE = re.compile(r"\n([ \t]*)\{")


def _element_indent(text: str, open_pos: int) -> str | None:
    """The least indentation of the lines that start with ``{`` after ``open_pos`` (None: there are none)."""
    least: str | None = None
    for m in _OBJECT_LINE.finditer(text, open_pos):
        if least is None or len(m.group(1)) < len(least):
            least = m.group(1)
            if not least:
                break
    return least


def _final_bracket(text: str) -> int | None:
    """Offset of the document's last character when it is ``]`` (the end of a top-level list)."""
    at = len(text.rstrip()) - 1
    return at if at >= 0 and text[at] == "]" else None


def recover_list(text: str, open_pos: int, *, top_level: bool = True) -> Recovered:
    """Read the list whose ``[`` is at ``open_pos`` element by element.

    ``top_level``: the list is the whole document (it ends at the document's last ``]``);
    otherwise it is the record list of an API envelope.
    """
    found = Recovered()
    lines = _Lines(text)
    spans, found.end = _Scanner(text, open_pos, top_level=top_level).run()
    for number, (start, end, damage, comma_missing, value) in enumerate(spans, start=1):
        line = lines.at(start)
        if comma_missing:
            found.notes.append((number, line, f"missing ',' before element {number}; read as two elements"))
        piece = text[start:end] if value is _UNPARSED else ""
        try:
            found.values.append((number, line, _json.loads(piece) if value is _UNPARSED else value))
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
