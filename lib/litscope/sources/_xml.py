"""Safe XML parsing for the record readers (PubMed/PMC XML, arXiv Atom), record by record.

XML is parsed with :mod:`defusedxml`, so a document declaring entities (billion laughs,
external entities) is refused with an :class:`~litscope.errors.InputError` instead of being
expanded. Nesting deeper than :data:`MAX_DEPTH` or more than :data:`MAX_ELEMENTS` elements
in one record is refused as well: element trees cost about 40 times their text in memory.

:func:`xml_records` parses a document in one streaming pass. When that pass meets damage,
the document is read again record by record (:mod:`._xml_recover`), so one malformed record
costs that record only: each good record loads and each bad one is listed with its number,
line and reason.

Examples
--------
>>> xml = b"<set><rec><t>One</t></rec><rec><t>Two</b></rec><rec><t>Three</t></rec></set>"
>>> found = xml_records(xml, "x.xml", record_tags={"rec"}, on_root=lambda root: None,
...                     on_record=lambda elem: elem.findtext("t"))
>>> [(number, value) for number, _, value in found.items], [(s.record, s.line) for s in found.skipped]
([(1, 'One'), (3, 'Three')], [(2, 1)])
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator
from xml.etree.ElementTree import Element, ParseError, TreeBuilder, XMLPullParser

from ..errors import InputError, LitscopeError, RecordError
from ..schema import SkippedRecord
from ._io import PathOrBuffer, read_bytes, source_name

#: Deepest element nesting read (libxml2's default limit); deeper is refused.
MAX_DEPTH = 256
#: Most elements in one record (or outside all records); more is refused.
MAX_ELEMENTS = 250_000

_MATHML = "{http://www.w3.org/1998/Math/MathML}"
#: What a broken document can raise while parsed (encoding and expat errors).
PARSE_ERRORS = (ParseError, ValueError, LookupError, UnicodeError, SyntaxError)


class TooBig(Exception):
    """Raised inside the parse when nesting or element count passes the caps (becomes a RecordError)."""


@dataclass
class Bad:
    """What an ``on_record`` callback returns for a record it cannot use: the reason."""

    reason: str


# ---------------------------------------------------------------- small helpers

def local_name(tag: Any) -> str:
    """Tag name without its ``{namespace}``.

    >>> local_name("{http://www.w3.org/2005/Atom}entry")
    'entry'
    """
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


_SPACE = re.compile(r"\s*")
_NAME = re.compile(r"[A-Za-z_][\w.:-]*")
# After '<!DOCTYPE', up to its '[' or '>': one character class, so a long run of spaces is scanned once.
_DOCTYPE_HEAD = re.compile(r"[^\[>]*")
_DOCTYPE_NAME = re.compile(r"<!DOCTYPE\s+([A-Za-z_][\w.:-]*)", re.I)


def _doctype_end(text: str, pos: int) -> int:
    """Offset just past the DOCTYPE starting at ``pos``, or -1 when it does not end; linear."""
    at = _DOCTYPE_HEAD.match(text, pos + 9).end()
    if at >= len(text):
        return -1
    if text[at] == ">":
        return at + 1
    while True:  # an internal subset ends at the first ']' followed by optional spaces and '>'
        at = text.find("]", at + 1)
        if at < 0:
            return -1
        after = _SPACE.match(text, at + 1).end()
        if text.startswith(">", after):
            return after + 1


def root_start(text: str) -> int:
    """Offset of the root element's '<' (after declaration, comments and DOCTYPE), or -1.

    >>> root_start('<?xml version="1.0"?>\\n<!-- c --><feed/>')
    32
    """
    pos, n = 0, len(text)
    while True:
        pos = _SPACE.match(text, pos).end()
        if pos >= n:
            return -1
        if text.startswith("<?", pos):
            end = text.find("?>", pos + 2)
            end = end + 2 if end >= 0 else -1
        elif text.startswith("<!--", pos):
            end = text.find("-->", pos + 4)
            end = end + 3 if end >= 0 else -1
        elif text[pos:pos + 9].upper() == "<!DOCTYPE":
            end = _doctype_end(text, pos)
        else:
            return pos if text.startswith("<", pos) and _NAME.match(text, pos + 1) else -1
        if end < 0:
            return -1
        pos = end


def root_element_name(text: str) -> str:
    """Name of the first element of an XML text (after declaration, comments and DOCTYPE), or ''.

    When the text ends inside the DOCTYPE (a sniff sample of a padded file), the name the
    DOCTYPE declares is the root's name. Linear in the text, whatever its whitespace.

    >>> root_element_name('<?xml version="1.0"?>\\n<!DOCTYPE a [<!ENTITY x "y">]><!-- c --><ns:feed xmlns:ns="u">')
    'ns:feed'
    >>> root_element_name('<!DOCTYPE PubmedArticleSet' + ' ' * 100)
    'PubmedArticleSet'
    """
    pos = root_start(text)
    if pos >= 0:
        return _NAME.match(text, pos + 1).group(0)
    doctype = _DOCTYPE_NAME.search(text, 0, 4096)
    if doctype and _doctype_end(text, doctype.start()) < 0:
        return doctype.group(1)
    return ""


def element_text(elem: Element | None) -> str:
    """Text of an element with its inline markup (``<i>``, ``<sup>``, MathML) flattened.

    Iterative, so deep nesting cannot exhaust the stack; MathML is written without spaces
    between its tokens ('VO2max', not 'V O 2 m a x').

    >>> from xml.etree.ElementTree import fromstring
    >>> element_text(fromstring("<t>A <i>TERT</i> gene<sup>2</sup></t>"))
    'A TERT gene2'
    """
    if elem is None:
        return ""
    parts: list[str] = []
    stack: list[Any] = [elem]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            parts.append(item)
            continue
        if isinstance(item.tag, str) and item.tag.startswith(_MATHML):
            parts.append(" " + (item.get("alttext") or "".join(t.strip() for t in item.itertext())) + " ")
            continue
        if item.text:
            parts.append(item.text)
        for child in reversed(list(item)):
            if child.tail:
                stack.append(child.tail)
            stack.append(child)
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def declared_encoding(data: bytes) -> str:
    """Encoding named in the XML declaration (default utf-8)."""
    m = re.match(rb"\s*<\?xml[^>]*encoding=[\"']([A-Za-z0-9._-]+)[\"']", data)
    return m.group(1).decode("ascii").lower() if m else "utf-8"


def xml_bytes(path: PathOrBuffer, encoding: str | None) -> tuple[bytes, str]:
    """Bytes to parse and the encoding they are in; an explicit encoding is transcoded to UTF-8."""
    data = read_bytes(path)
    if not encoding:
        return data, declared_encoding(data)
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise InputError(f"cannot decode as {encoding}: {exc}", file=source_name(path)) from exc
    text = re.sub(r"^(\s*<\?xml[^>]*encoding=)[\"'][^\"']*[\"']", r'\1"utf-8"', text.lstrip("\ufeff"))
    return text.encode("utf-8"), encoding


def start_lines(data: bytes, pattern: bytes) -> list[int]:
    """1-based line numbers where each match of ``pattern`` starts (record start tags)."""
    lines, last, line = [], 0, 1
    for m in re.finditer(pattern, data):
        line += data.count(b"\n", last, m.start())
        last = m.start()
        lines.append(line)
    return lines


def parse_error_line(exc: BaseException) -> int | None:
    """1-based line an expat error points at, if it says."""
    position = getattr(exc, "position", None)
    return position[0] if isinstance(position, tuple) and position else None


def parse_error_text(exc: BaseException) -> str:
    """An expat error without its 'line, column' (they count from the fragment parsed, not the file)."""
    return re.sub(r":? line \d+, column \d+$", "", str(exc)) or type(exc).__name__


@functools.lru_cache(maxsize=None)
def _defused_parser() -> type:
    """defusedxml's parser class, imported once and only when XML is read."""
    from defusedxml.ElementTree import DefusedXMLParser

    return DefusedXMLParser


#: Bytes fed to the parser at a time: the most it reads ahead of the depth and size checks.
FEED_BYTES = 1 << 14


def guarded_events(*pieces: bytes | memoryview) -> Iterator[tuple[str, Element, int]]:
    """``(event, element, depth)`` for the start and end of each element of the concatenated
    ``pieces``, parsed safely (defusedxml's parser, no entity declarations).

    Raises
    ------
    TooBig
        Nesting passes :data:`MAX_DEPTH`. The parser reads :data:`FEED_BYTES` ahead at most,
        so the refusal comes before the tree costs memory.
    defusedxml.DefusedXmlException, xml.etree.ElementTree.ParseError
        As the parser raises them.
    """
    # A pull parser made here rather than defusedxml's iterparse: that builds a class per call,
    # which costs more than a small record, and its pure-Python elements take 4x the memory.
    parser = XMLPullParser(events=("start", "end"), _parser=_defused_parser()(
        target=TreeBuilder(), forbid_dtd=False, forbid_entities=True, forbid_external=True))
    depth = 0

    def drain() -> Iterator[tuple[str, Element, int]]:
        nonlocal depth
        for event, elem in parser.read_events():
            if event == "start":
                depth += 1
                if depth > MAX_DEPTH:
                    raise TooBig(f"XML nested more than {MAX_DEPTH} levels deep")
                yield event, elem, depth
            else:
                yield event, elem, depth
                depth -= 1

    for piece in pieces:
        view = memoryview(piece)
        for at in range(0, len(view), FEED_BYTES):
            parser.feed(view[at:at + FEED_BYTES])
            yield from drain()
    parser.close()
    yield from drain()


def count_element(counts: list[int]) -> None:
    """Add one to ``counts[0]``; raise :class:`TooBig` past :data:`MAX_ELEMENTS`."""
    counts[0] += 1
    if counts[0] > MAX_ELEMENTS:
        raise TooBig(f"more than {MAX_ELEMENTS:,} XML elements")


# ---------------------------------------------------------------- records

@dataclass
class XmlRecords:
    """What :func:`xml_records` found.

    Attributes
    ----------
    root : Element or None
        The root element, with the children that are not records (e.g. an Atom feed's
        ``opensearch:totalResults``).
    items : list of (int, int or None, object)
        ``(record number, line, value returned by on_record)`` for each usable record, in order.
    skipped : list of SkippedRecord
        Records that could not be read (and damage outside any record, with record None).
    notes : list of dict
        Damage that cost no record (file, record, line, note).
    """

    root: Element | None
    items: list[tuple[int, int | None, Any]] = field(default_factory=list)
    skipped: list[SkippedRecord] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)


def xml_records(data: bytes, name: str, *, record_tags: set[str], on_root: Callable[[Element], None],
                on_record: Callable[[Element], Any], errors: str = "skip") -> XmlRecords:
    """Parse XML safely, passing each record element to ``on_record``.

    Records are the children of the root whose local name is in ``record_tags``; each is
    cleared after ``on_record`` so large files stay small in memory. ``on_root`` sees the
    root element first and may raise to refuse the document. ``on_record`` returns a value
    to keep, or :class:`Bad` to list the record as skipped.

    Parameters
    ----------
    data : bytes
        The document.
    name : str
        The file name errors report.
    record_tags : set of str
        Local names of the record elements.
    on_root, on_record : callable
        See above.
    errors : {'skip', 'raise'}
        List unreadable records, or raise for the first.

    Raises
    ------
    InputError
        The document declares entities (refused, never expanded), or is so broken before
        its first record that no record can be found; the message says how many record
        start tags were seen.
    RecordError
        With ``errors='raise'``, for the first record that cannot be read.
    """
    from defusedxml import DefusedXmlException

    from . import _xml_recover

    found = XmlRecords(None)
    lines: list[int] | None = None

    def line_of(number: int) -> int | None:
        nonlocal lines
        if lines is None:
            lines = _xml_recover.record_lines(data, record_tags)
        return lines[number - 1] if len(lines) >= number else None

    def keep(number: int, line: int | None, value: Any) -> None:
        if isinstance(value, Bad):
            drop(number, line if line is not None else line_of(number), value.reason, None)
        elif value is not None:
            found.items.append((number, line, value))

    def drop(number: int | None, line: int | None, reason: str, cause: BaseException | None) -> None:
        if errors == "raise":
            raise RecordError(reason, file=name, record=number, line=line) from cause
        found.skipped.append(SkippedRecord(name, number, line, reason))

    depth_two = 0  # records seen at the top level: the numbering of an undamaged file
    counts = [0]
    try:
        open_record = False
        for event, elem, depth in guarded_events(data):
            if event == "start":
                count_element(counts)
                if found.root is None:
                    found.root = elem
                    on_root(elem)
                elif depth == 2 and local_name(elem.tag) in record_tags:
                    depth_two += 1
                    open_record = True
                    counts[0] = 0  # the cap is per record
                continue
            if depth == 2 and open_record and local_name(elem.tag) in record_tags:
                open_record = False
                keep(depth_two, None, on_record(elem))
                elem.clear()
                counts[0] = 0
    except LitscopeError:
        raise  # refused by on_root / on_record (RecordError, FeedError): not a parse error
    except DefusedXmlException as exc:
        raise InputError("refused unsafe XML: the document declares entities or external "
                         f"references ({type(exc).__name__}); they are never expanded", file=name) from exc
    except (TooBig, *PARSE_ERRORS) as exc:
        # Read again, record by record: what the streaming pass kept is dropped and the
        # records are numbered in file order.
        found.items.clear()
        found.skipped.clear()
        _xml_recover.recover(data, name, exc, found, record_tags=record_tags, on_root=on_root,
                             on_record=on_record, keep=keep, drop=drop)
        return found
    if found.root is None:
        raise InputError("not XML: no root element", file=name)
    if depth_two:
        if lines is None:
            lines = _xml_recover.record_lines(data, record_tags)
        if len(lines) > depth_two:  # well-formed, but records nested where no reader looks
            drop(None, None, f"{len(lines) - depth_two} more <{sorted(record_tags)[0]}> start tag(s) nested "
                             "inside other elements were not read as records", None)
    return found
