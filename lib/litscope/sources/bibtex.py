"""BibTeX / BibLaTeX files (.bib), read by a lenient parser of our own.

Understands ``@type{key, field = {..} | ".." | number | macro # concatenation}``, ``@string``
(plus the standard month macros), ``@preamble`` and ``@comment`` (ignored, like any text
between entries and ``%`` comment lines), crossref/xdata inheritance, comma-first style,
missing commas between fields, one-line entries, nested braces and entries without a key.
LaTeX accents and commands become Unicode (pylatexenc) and protection braces are removed.

An entry that cannot be parsed (unbalanced braces, a value running into the next entry) is
listed in ``skipped`` with its line, and parsing resumes at the next ``@``. An entry
with neither title nor abstract is skipped too, with that reason. Things read but worth
knowing (a crossref parent that is missing or a cycle, text ignored inside an entry, an
undefined macro) are listed in the ``notes`` and the entry is kept. Parsing is linear in
the file, and ``@string`` expansion has a budget (a "billion laughs" chain of doubling macros is
not expanded; the entry is listed). LaTeX and name helpers live in :mod:`._bibtext`.

Examples
--------
>>> import io
>>> bib = b'@string{j = "Nice Journal"}\\n@article{k, title = {{\\\\"U}ber {BERT}}, journal = j, year = 2020}'
>>> df = read_bibtex(io.BytesIO(bib)).frame
>>> df.loc[0, "title"], df.loc[0, "venue"], int(df.loc[0, "year"])
('Über BERT', 'Nice Journal', 2020)
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any, Iterator


from ..errors import ParameterError, RecordError
from ..records import FileRecords, SkippedRecord, as_notes
from ..schema import to_file_records
from ._bibtext import _plain_identifier, latex_to_text, parse_names
from ._columns import has_text
from ._io import PathOrBuffer, Sample, read_text, source_name

FORMAT = "bibtex"
EXTENSIONS = (".bib", ".bibtex")

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

#: Entry types that carry no record of their own.
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


# ---------------------------------------------------------------- records

_VENUE_BY_TYPE = {
    "misc": ("publisher", "howpublished", "organization"),
    "online": ("publisher", "organization"),
    "techreport": ("institution",), "report": ("institution",),
    "phdthesis": ("school", "institution"), "mastersthesis": ("school", "institution"),
    "thesis": ("school", "institution"),
}


def _inherit(entry: _Entry, by_key: dict[str, _Entry]) -> None:
    """Fill missing fields from crossref/xdata parents (recursively); note cycles and missing parents."""
    chain = [entry.key.lower()]
    current = entry
    while True:
        parents = []
        for link in ("crossref", "xdata"):
            for key in current.fields.get(link, "").split(","):
                key = key.strip()
                if key:
                    parents.append((link, key))
        if not parents:
            return
        advanced = None
        for link, key in parents:
            if key.lower() in chain:
                entry.notes.append(f"{link} cycle: {' -> '.join(chain + [key.lower()])}")
                continue
            parent = by_key.get(key.lower())
            if parent is None:
                entry.notes.append(f"{link} parent {key!r} not found")
                continue
            for name, value in parent.fields.items():
                if link == "crossref" and name == "title" and not entry.fields.get("booktitle", "").strip():
                    entry.fields["booktitle"] = value  # the parent's title is the child's book title
                if name in entry.fields and entry.fields[name].strip():
                    continue
                if link == "crossref" and name in _NOT_INHERITED:
                    continue
                if name not in ("crossref", "xdata"):
                    entry.fields[name] = value
            if advanced is None:
                advanced = parent
                chain.append(key.lower())
        if advanced is None:
            return
        current = advanced


def _to_record(entry: _Entry) -> dict[str, Any]:
    f = entry.fields
    title = latex_to_text(f.get("title", ""))
    if f.get("subtitle") and title:
        title = f"{title.rstrip(' .:')}: {latex_to_text(f['subtitle'])}"
    rec: dict[str, Any] = {
        "title": title,
        "abstract": latex_to_text(f.get("abstract", "")),
        "authors": parse_names(f.get("author", "")),
        "year": f.get("year") or f.get("date") or "",
        "doi": _plain_identifier(f.get("doi", "")),
        "url": _plain_identifier(f.get("url") or f.get("link") or ""),
        "source_record": entry.number,
    }
    venue_fields = ("journal", "journaltitle", "booktitle") + _VENUE_BY_TYPE.get(entry.type, ())
    rec["venue"] = next((latex_to_text(f[k]) for k in venue_fields if f.get(k, "").strip()), "")
    prefix = (f.get("archiveprefix") or f.get("eprinttype") or "").strip().lower()
    if prefix == "arxiv" and f.get("eprint"):
        rec["arxiv_id"] = f["eprint"]
    elif f.get("arxivid") or f.get("arxiv"):
        rec["arxiv_id"] = f.get("arxivid") or f.get("arxiv")
    elif "arxiv.org/abs/" in rec["url"]:
        rec["arxiv_id"] = rec["url"]
    pmid = f.get("pmid", "")
    if not pmid:
        m = re.search(r"\bPMID:?\s*(\d{1,9})", f.get("note", "") + " " + f.get("pubmed", ""))
        pmid = m.group(1) if m else ""
    rec["pmid"] = pmid
    words = f.get("keywords") or f.get("keyword") or ""
    sep = ";" if ";" in words else ","
    rec["keywords"] = [latex_to_text(w).strip() for w in words.split(sep) if w.strip()]
    # evidence against merging same-titled volumes or parts (normalised by schema.to_frame)
    rec.update(volume=f.get("volume", ""), issue=f.get("number") or f.get("issue") or "",
               pages=f.get("pages", ""), isbn=f.get("isbn", ""), issn=f.get("issn", ""))
    return rec


def sniff(sample: Sample) -> float:
    """``@type{`` at the start of a line; confident with a known entry type and ``name =`` fields."""
    kinds = {k.lower() for k in re.findall(r"^[ \t]*@[ \t]*([A-Za-z][\w:-]*)[ \t\r\n]*[{(]", sample.text, re.M)}
    if not kinds:
        return 0.0
    records = kinds - _NOT_RECORDS
    if not records:
        return 0.6  # only @string/@comment/@preamble: BibTeX without entries
    if records & _KNOWN_TYPES:
        # '(?:,[ \t]*)?' as in _FIELD_LINE: ',?[ \t]*' after '[ \t]*' is quadratic on a blank run
        has_field = re.search(r"^[ \t]*(?:,[ \t]*)?[A-Za-z][\w.:+-]*[ \t]*=[ \t]*[{\"\w]", sample.text, re.M)
        return 0.95 if has_field else 0.8
    return 0.5


def read_bibtex(path: PathOrBuffer, *, encoding: str | None = None, errors: str = "skip") -> FileRecords:
    """Read a BibTeX/BibLaTeX file.

    Parameters
    ----------
    path : str, path-like or file-like
        The .bib file.
    encoding : str, optional
        Text encoding; detected when omitted (UTF-8, else the most plausible legacy
        encoding, e.g. GBK, see :func:`litscope.sources._columns.decode_best`).
    errors : {'skip', 'raise'}
        What to do with an entry that cannot be parsed or has neither title nor abstract.

    Returns
    -------
    FileRecords
        Canonical records (``frame``), ``encoding``, ``skipped`` (file, record, line, reason)
        and ``notes`` (file, record, line, note) for things read but worth knowing.

    Raises
    ------
    RecordError
        With ``errors='raise'``, naming the file, entry number and line.

    Examples
    --------
    >>> import io
    >>> df = read_bibtex(io.BytesIO(b"@book{b, author = {Bird, R.B. AND {ACME Inc.}}, title = {T}}")).frame
    >>> df.loc[0, "authors"]
    ['Bird, R.B.', 'ACME Inc.']
    """
    if errors not in ("skip", "raise"):
        raise ParameterError(f"errors must be 'skip' or 'raise', not {errors!r}")
    name = source_name(path)
    text, used = read_text(path, encoding=encoding)
    parser = _Parser(text)
    entries: list[_Entry] = []
    skipped: list[SkippedRecord] = []
    for item in parser.parse():
        if isinstance(item, tuple):
            offset, number, reason = item
            if errors == "raise":
                raise RecordError(reason, file=name, record=number, line=parser.line(offset))
            skipped.append(SkippedRecord(name, number, parser.line(offset), reason))
        else:
            entries.append(item)
    by_key: dict[str, _Entry] = {}
    for entry in entries:
        if entry.key:
            by_key.setdefault(entry.key.lower(), entry)
    notes: list[dict[str, Any]] = [
        {"file": name, "record": None, "line": parser.line(off), "note": note} for off, note in parser.notes]
    records: list[dict[str, Any]] = []
    for entry in entries:
        _inherit(entry, by_key)
        line = parser.line(entry.start)
        notes.extend({"file": name, "record": entry.number, "line": line, "note": n} for n in entry.notes)
        reason = None
        if entry.type == "xdata":
            reason = "@xdata entry: shared field data for other entries, not a record"
        else:
            rec = _to_record(entry)
            if not has_text(rec):
                reason = "entry has neither title nor abstract"
        if reason:
            if errors == "raise":
                raise RecordError(reason, file=name, record=entry.number, line=line)
            skipped.append(SkippedRecord(name, entry.number, line, reason))
            continue
        records.append(rec)
    skipped.sort(key=lambda s: (s.record or 0))
    # to_file_records adds its own notes (control characters removed) to these
    return to_file_records(records, source_format=FORMAT, source_file=name, skipped=skipped,
                           notes=as_notes(notes, name), encoding=used)
