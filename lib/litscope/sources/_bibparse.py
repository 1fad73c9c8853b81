"""The lenient BibTeX parser behind :mod:`litscope.sources.bibtex`: entries, @string macros,
values (braces, quotes, ``#`` concatenation) and recovery from broken entries, in linear time."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Iterator

_ENTRY_START = re.compile(r"@[ \t]*([A-Za-z][\w:-]*)[ \t\r\n]*([{(])")
_ENTRY_LINE = re.compile(r"\n[ \t]*@[ \t]*[A-Za-z][\w:-]*[ \t]*[{(]")
_FIELD_NAME = re.compile(r"[^\s=,{}()\"#%@]+")
# '(?:,[ \t]*)?', not ',?[ \t]*': two adjacent runs over the same characters backtrack
# quadratically on a long blank run.
_FIELD_LINE = re.compile(r"\n[ \t]*(?:,[ \t]*)?[^\s=,{}()\"#%@]+[ \t]*=")
_BARE = re.compile(r"[^\s,#{}()\"=%@]+")
_WS = re.compile(r"\s*")
_NOT_WS = re.compile(r"\S")
_KEY_END = {"}": re.compile(r'[,\n={}"]'), ")": re.compile(r'[,\n={}")]')}
_BRACES = re.compile(r"[{}]")
_QUOTE_OR_BRACE = re.compile(r'[{}"]')

MONTHS = {m: n for m, n in zip(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
    ("January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"))}

_NOT_RECORDS = {"string", "comment", "preamble"}
#: Fields a crossref child must not take from its parent: they describe the parent work.
_NOT_INHERITED = {"title", "subtitle", "shorttitle", "abstract", "doi", "url", "eprint", "pmid",
                  "isbn", "ids", "crossref", "xdata", "entryset", "key", "note", "file",
                  "indextitle", "sorttitle"}
_KNOWN_TYPES = {"article", "book", "booklet", "inbook", "incollection", "inproceedings",
                "conference", "manual", "mastersthesis", "misc", "phdthesis", "proceedings",
                "techreport", "unpublished", "online", "report", "thesis", "collection",
                "patent", "dataset", "software", "set", "xdata", "electronic", "www",
                "periodical", "mvbook", "mvcollection", "bookinbook", "suppbook", "reference",
                "standard", "preprint", "string", "comment", "preamble"}


class _Broken(Exception):
    """An entry that cannot be parsed; ``resume`` is where to look for the next one."""

    def __init__(self, reason: str, resume: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.resume = resume


@dataclass
class _Entry:
    type: str
    key: str
    fields: dict[str, str]
    start: int
    number: int
    notes: list[str] = field(default_factory=list)


class _Parser:
    """One pass over the text: yields entries and broken entries; collects @string macros."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.n = len(text)
        self.macros: dict[str, str] = dict(MONTHS)
        # '@string{b = a # a}' doubles at each step: 30 such lines make gigabytes ('billion laughs').
        # Long macros draw on a budget; honest files (short journal names) never reach it.
        self._expansion_left = max(64 * len(text), 16 * 1024 * 1024)
        self._newlines = [m.start() for m in re.finditer("\n", text)]
        self.notes: list[tuple[int, str]] = []  # (offset, note) not tied to a record
        # Computed once so damaged files (many unclosed braces) stay linear, not quadratic.
        self._entry_lines = [m.start() + 1 for m in _ENTRY_LINE.finditer(text)]
        self._entry_starts = [m.start() for m in _ENTRY_START.finditer(text)]
        self._close: dict[int, int] = {}
        stack: list[int] = []
        for m in _BRACES.finditer(text):
            if m.group(0) == "{":
                stack.append(m.start())
            elif stack:
                self._close[stack.pop()] = m.start()

    def line(self, offset: int) -> int:
        return bisect.bisect_left(self._newlines, offset) + 1

    def _line_start(self, offset: int) -> int:
        i = bisect.bisect_left(self._newlines, offset)
        return self._newlines[i - 1] + 1 if i else 0

    def parse(self) -> Iterator[_Entry | tuple[int, int, str]]:
        """Entries, and ``(offset, number, reason)`` for entries that could not be parsed."""
        text, pos, number = self.text, 0, 0
        while True:
            m = _ENTRY_START.search(text, pos)
            if not m:
                return
            start = m.start()
            # '% @article{': the line's first character; a bounded look-back keeps one-line files linear
            line_start = max(self._line_start(start), start - 4000)
            first = _NOT_WS.search(text, line_start, start)
            if first is not None and text[first.start()] == "%":
                end = text.find("\n", start)
                pos = self.n if end < 0 else end
                continue
            kind = m.group(1).lower()
            closer = "}" if m.group(2) == "{" else ")"
            if kind in ("comment", "preamble"):
                try:
                    pos = self._skip_group(m.end() - 1, closer)
                except _Broken:
                    pos = m.end()
                continue
            if kind not in _NOT_RECORDS:
                number += 1
            try:
                if kind == "string":
                    fields, notes, pos = self._body(m.end(), closer, start, with_key=False)
                    for name, value in fields.items():
                        self.macros[name] = value
                    self.notes.extend((start, n) for n in notes)
                    continue
                fields, notes, pos = self._body(m.end(), closer, start, with_key=True)
                key = fields.pop("\0key", "")
                yield _Entry(kind, key, fields, start, number, notes)
            except _Broken as exc:
                if kind == "string":
                    self.notes.append((start, f"@string not read: {exc.reason}"))
                else:
                    yield (start, number, exc.reason)
                pos = exc.resume if exc.resume and exc.resume > start else start + 1

    # -- low-level scanning

    def _skip_ws(self, p: int) -> int:
        return _WS.match(self.text, p).end()

    def _skip_group(self, p: int, closer: str) -> int:
        """Position after the group opened at ``p`` (braces or parentheses, balanced)."""
        text = self.text
        if closer == "}":
            return self._match_brace(p) + 1
        depth = 0
        for m in re.compile(r"[()]").finditer(text, p, self._scan_bound(p)):
            depth += 1 if m.group(0) == "(" else -1
            if depth == 0:
                return m.end()
        raise _Broken("group not closed")

    def _next_entry_line(self, p: int, end: int | None = None) -> int | None:
        """Start of the first line after ``p`` (and before ``end``) that begins an entry."""
        i = bisect.bisect_right(self._entry_lines, p)
        if i < len(self._entry_lines):
            # the match begins at the newline before the '@' line, so it may start at p itself
            found = self._entry_lines[i]
            if end is None or found - 1 < end:
                return found
        return None

    def _scan_bound(self, p: int) -> int:
        """Where scans for a quote or a field starting at ``p`` stop: the next '@type{' after it."""
        i = bisect.bisect_right(self._entry_starts, p)
        return self._entry_starts[i] if i < len(self._entry_starts) else self.n

    def _match_brace(self, p: int) -> int:
        """Index of the '}' closing the '{' at ``p``."""
        end = self._close.get(p)
        if end is None:
            raise _Broken("unbalanced braces: a value is not closed", self._next_entry_line(p))
        nxt = self._next_entry_line(p, end)
        if nxt is not None:
            raise _Broken("unbalanced braces: a value runs into the next entry", nxt)
        return end

    def _match_quote(self, p: int) -> int:
        """Index of the '"' closing the quoted value opened at ``p`` (quotes inside braces do not count)."""
        text, depth = self.text, 0
        bound = self._scan_bound(p)  # a quoted value does not span into the next entry
        for m in _QUOTE_OR_BRACE.finditer(text, p + 1, bound):
            c = m.group(0)
            if c == "{":
                depth += 1
            elif c == "}":
                depth = max(0, depth - 1)
            elif depth == 0 and text[m.start() - 1] != "\\":
                return m.start()
        if bound < self.n:
            raise _Broken('unbalanced quotes: a value runs into the next entry', bound)
        raise _Broken('unbalanced quotes: a value is not closed')

    # -- entries

    def _body(self, p: int, closer: str, start: int, *, with_key: bool) -> tuple[dict[str, str], list[str], int]:
        """Fields of an entry (and its key under '\\0key'); returns (fields, notes, position after it)."""
        text, n = self.text, self.n
        fields: dict[str, str] = {}
        notes: list[str] = []
        if with_key:
            # the key ends before the next entry: unclosed '@a(' entries must not each scan to the end
            end = _KEY_END[closer].search(text, p, self._scan_bound(p))
            j = end.start() if end else self._scan_bound(p)
            if j < n and text[j] == "=":
                fields["\0key"] = ""  # no key: the first thing is a field ('@article{author = ...')
            else:
                fields["\0key"] = text[p:j].strip()
                p = j
        while True:
            # whitespace, separating commas and '%' comment lines between fields
            while True:
                p = self._skip_ws(p)
                if p < n and text[p] == ",":
                    p += 1
                elif p < n and text[p] == "%":
                    end = text.find("\n", p)
                    p = n if end < 0 else end
                else:
                    break
            if p >= n:
                raise _Broken("entry not closed before the end of the file")
            c = text[p]
            if c == closer:
                return fields, notes, p + 1
            if c == "@" and _ENTRY_START.match(text, p):
                # the entry's closing brace was taken by a value: which value is unknowable
                raise _Broken(f"unbalanced braces: entry not closed before the next entry "
                              f"(line {self.line(p)})", p)
            m = _FIELD_NAME.match(text, p)
            if m:
                q = self._skip_ws(m.end())
                if q < n and text[q] == "=":
                    name = m.group(0).lower()
                    value, p = self._value(q + 1, closer, notes)
                    if value.strip() or name not in fields:
                        if name not in fields or not fields[name].strip():
                            fields[name] = value
                    continue
            p = self._recover(p, closer, notes)
            if p < 0:
                return fields, notes, -p

    def _recover(self, p: int, closer: str, notes: list[str]) -> int:
        """Skip unreadable text inside an entry: to the next 'name =' line, or the entry's end.

        Returns the position to continue at, or minus the position after the entry when
        the entry ends here.
        """
        text = self.text
        bound = self._scan_bound(p)
        m = _FIELD_LINE.search(text, p, bound)
        if m:
            notes.append(f"unreadable text ignored at line {self.line(p)}")
            return m.start() + 1
        depth = 0
        for i in range(p, bound):
            c = text[i]
            if c == "{":
                depth += 1
            elif c == "}" or c == closer:
                if depth == 0 and c == closer:
                    notes.append(f"unreadable text ignored at line {self.line(p)}")
                    return -(i + 1)
                depth = max(0, depth - 1)
        raise _Broken(f"unreadable text at line {self.line(p)}", bound if bound < self.n else None)

    def _value(self, p: int, closer: str, notes: list[str]) -> tuple[str, int]:
        text, n = self.text, self.n
        parts: list[str] = []
        while True:
            p = self._skip_ws(p)
            if p >= n:
                raise _Broken("value not finished before the end of the file")
            c = text[p]
            if c == "{":
                end = self._match_brace(p)
                parts.append(text[p + 1:end])
                p = end + 1
            elif c == '"':
                end = self._match_quote(p)
                parts.append(text[p + 1:end])
                p = end + 1
            else:
                m = _BARE.match(text, p)
                if not m:  # 'field = ,' or 'field = }': an empty value
                    return "".join(parts), p
                token = m.group(0)
                p = m.end()
                if token.isdigit():
                    parts.append(token)
                elif token.lower() in self.macros:
                    macro = self.macros[token.lower()]
                    if len(macro) > 256:
                        self._expansion_left -= len(macro)
                        if self._expansion_left < 0:
                            raise _Broken("@string macros expand to far more text than the file holds "
                                          "(a macro bomb?); not expanded")
                    parts.append(macro)
                else:
                    notes.append(f"undefined @string macro {token!r} kept as text")
                    parts.append(token)
            q = self._skip_ws(p)
            if q < n and text[q] == "#":
                p = q + 1
                continue
            return "".join(parts), p

