"""Reading a damaged XML document record by record (used by :func:`._xml.xml_records`).

The document is cut at the record start tags (``<entry>``, ``<PubmedArticle>``...; those in
comments and CDATA do not count) and each piece is parsed on its own, wrapped in a copy of
the root's start tag so namespace prefixes keep their meaning. A piece that fails to parse
is tried once more up to the record's own end tag, so damage between two records costs no
record. Parsing stays as safe as the streaming pass: the same defused parser, the same caps.

Every scan here is a single forward pass (``find`` and simple regular expressions), so a
hostile file cannot make recovery slower than linear.
"""

from __future__ import annotations

import codecs
import re
from typing import Any, Callable
from xml.etree.ElementTree import Element

from ..errors import InputError
from ._xml import (PARSE_ERRORS, Bad, TooBig, XmlRecords, count_element, guarded_events, local_name,
                   parse_error_line, parse_error_text, root_start)

_UTF16_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
               (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_QUOTE_OR_END = re.compile(rb"[\"'>]")
_EMPTY_TAG = re.compile(rb"<[^<>]*/>")
_NAME = re.compile(rb"[A-Za-z_][\w.:-]*")


class _NeverClosed(Exception):
    """A record start tag with no end tag before the next record."""


def _name_at(view: bytes, offset: int) -> str:
    return _NAME.match(view, offset + 1).group(0).decode("latin-1")


def ascii_view(data: bytes) -> tuple[bytes, str] | None:
    """The document as bytes in an ASCII-compatible encoding, and that encoding's name.

    Byte offsets then mean the same in regular expressions and in the parser. UTF-16/32
    documents are transcoded to UTF-8 (None when that fails); an unknown declared encoding is
    read as UTF-8, XML's default.
    """
    from ._xml import declared_encoding

    if data.startswith(codecs.BOM_UTF8):
        return data[3:], "utf-8"
    encoding = None
    for bom, name in _UTF16_BOMS:
        if data.startswith(bom):
            encoding = name
            break
    if encoding is None and data[:4] in (b"<\x00?\x00", b"\x00<\x00?"):
        encoding = "utf-16-le" if data[0] == 0x3C else "utf-16-be"
    if encoding is None:
        encoding = declared_encoding(data)
        try:
            if "<a b='c'/>".encode(encoding) == b"<a b='c'/>":
                return data, encoding
        except LookupError:
            return data, "utf-8"  # a declaration too damaged to name an encoding: the default
        except UnicodeError:
            return None
    try:
        return data.decode(encoding).encode("utf-8"), "utf-8"
    except (LookupError, UnicodeError):
        return None


def _tag_pattern(record_tags: set[str], *, end: bool) -> re.Pattern[bytes]:
    names = b"|".join(re.escape(t.encode("ascii")) for t in sorted(record_tags))
    if end:
        return re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?(?:" + names + rb")\s*>")
    # Comments and CDATA sections are matched too, so that tags inside them are skipped.
    return re.compile(rb"<!--|<!\[CDATA\[|<(?:[A-Za-z_][\w.-]*:)?(?:" + names + rb")(?=[\s/>])")


def record_starts(view: bytes, record_tags: set[str], start: int = 0) -> list[int]:
    """Offsets of the record start tags in ``view`` from ``start``."""
    pattern = _tag_pattern(record_tags, end=False)
    out, pos = [], start
    while True:
        m = pattern.search(view, pos)
        if m is None:
            return out
        token = m.group(0)
        if token in (b"<!--", b"<![CDATA["):
            close = view.find(b"-->" if token == b"<!--" else b"]]>", m.end())
            if close < 0:
                return out
            pos = close + 3
            continue
        out.append(m.start())
        pos = m.end()


def _lines_at(view: bytes, offsets: list[int]) -> list[int]:
    lines, last, line = [], 0, 1
    for offset in offsets:
        line += view.count(b"\n", last, offset)
        last = offset
        lines.append(line)
    return lines


def root_span(view: bytes) -> tuple[int, int, bytes] | None:
    """``(start, end, name)`` of the root element's start tag, or None when it cannot be found."""
    for limit in (1 << 16, len(view)):
        start = root_start(view[:limit].decode("latin-1"))  # latin-1 keeps byte offsets
        if start >= 0 or limit >= len(view):
            break
    if start < 0:
        return None
    name = _NAME.match(view, start + 1).group(0)
    pos = start + 1 + len(name)
    while True:  # the tag ends at the first '>' outside a quoted attribute value
        m = _QUOTE_OR_END.search(view, pos)
        if m is None:
            return None
        if m.group(0) == b">":
            return (start, m.end(), name) if view[m.start() - 1:m.start()] != b"/" else None
        close = view.find(m.group(0), m.end())
        if close < 0:
            return None
        pos = close + 1


def record_lines(data: bytes, record_tags: set[str]) -> list[int]:
    """Line of each record start tag after the root's start tag (empty when they cannot be found)."""
    view = ascii_view(data)
    if view is None:
        return []
    span = root_span(view[0])
    return _lines_at(view[0], record_starts(view[0], record_tags, span[1] if span else 0))


def parse_fragment(prefix: bytes, view: bytes, start: int, end: int, suffix: bytes) -> Element:
    """Parse ``prefix + view[start:end] + suffix`` with the same safe parser and caps as the streaming pass."""
    root: Element | None = None
    counts = [0]
    for event, elem, _ in guarded_events(prefix, memoryview(view)[start:end], suffix):
        if event == "start":
            count_element(counts)
            if root is None:
                root = elem
    assert root is not None  # a parse that succeeds has a root
    return root


def _lost(count: int) -> str:
    return f"; {count} record{'s' if count != 1 else ''} in it could not be read" if count else ""


def recover(data: bytes, name: str, cause: BaseException, found: XmlRecords, *, record_tags: set[str],
            on_root: Callable[[Element], None], on_record: Callable[[Element], Any],
            keep: Callable[[int, int | None, Any], None],
            drop: Callable[[int | None, int | None, str, BaseException | None], None]) -> None:
    """Read ``data`` record by record into ``found`` after the streaming pass failed with ``cause``.

    Raises
    ------
    InputError
        When not even the root element can be read, or no record start tag follows it; the
        message says how many record start tags the file holds.
    """
    from defusedxml import DefusedXmlException

    failures = (TooBig, DefusedXmlException, *PARSE_ERRORS)
    why = (f"not well-formed XML: {parse_error_text(cause)}" if not isinstance(cause, TooBig)
           else f"refused: {cause}")
    view_enc = ascii_view(data)
    if view_enc is None:
        raise InputError(why, file=name, line=parse_error_line(cause)) from cause
    view, encoding = view_enc
    span = root_span(view)
    starts = record_starts(view, record_tags, span[1] if span else 0)
    if span is None:
        raise InputError(f"{why}{_lost(len(starts))}", file=name,
                         line=parse_error_line(cause)) from cause
    start, tag_end, qname = span
    # One line, so that a line inside a piece counts from the line the piece starts on.
    prefix = (b'<?xml version="1.0" encoding="' + encoding.encode("ascii") + b'"?>'
              + re.sub(rb"[\r\n]", b" ", view[start:tag_end]))
    suffix = b"</" + qname + b">"
    try:
        bare_root = parse_fragment(prefix, b"", 0, 0, suffix)
    except failures as exc:
        raise InputError(f"{why} (the root element's start tag cannot be read)"
                         f"{_lost(len(starts))}", file=name, line=parse_error_line(cause)) from exc
    if not starts:
        raise InputError(why, file=name, line=parse_error_line(cause)) from cause
    lines = _lines_at(view, starts)
    try:
        header_root = parse_fragment(prefix, view, tag_end, starts[0], suffix)
    except failures as exc:
        header_root = None
        found.notes.append({"file": name, "record": None, "line": lines[0],
                            "note": f"malformed XML before the first record ({parse_error_text(exc)}); "
                                    "the records were read one by one"})
    if found.root is None or header_root is not None:
        if found.root is None:
            on_root(header_root if header_root is not None else bare_root)
        found.root = header_root if header_root is not None else bare_root

    end_tag = _tag_pattern(record_tags, end=True)
    root_end = view.rfind(b"</" + qname, starts[-1])
    closer = re.compile(rb"\s*>").match(view, root_end + 2 + len(qname)) if root_end >= 0 else None
    region_end = root_end if closer else len(view)
    for index, offset in enumerate(starts):
        number, line, last = index + 1, lines[index], index + 1 == len(starts)
        end = starts[index + 1] if not last else region_end
        try:
            if not end_tag.search(view, offset, end) and not _EMPTY_TAG.match(view, offset):
                raise _NeverClosed(f"<{_name_at(view, offset)}> is never closed")  # no parse needed to know
            elem = _record(parse_fragment(prefix, view, offset, end, suffix), record_tags)
            rest = None
        except _NeverClosed as exc:
            drop(number, line, f"malformed XML inside the record: {exc}", None)
            continue
        except failures as exc:
            elem, rest = None, exc
            close = None if isinstance(exc, TooBig) else end_tag.search(view, offset, end)
            if close is not None:
                try:  # the record may be whole, and the damage after its end tag
                    elem = _record(parse_fragment(prefix, view, offset, close.end(), suffix), record_tags)
                except failures:
                    elem = None
            if elem is None:
                reason = (f"{exc} inside the record; refused" if isinstance(exc, TooBig) else
                          f"malformed XML inside the record: {_at(exc, line)}")
                drop(number, line, reason, exc)
                continue
        keep(number, line, on_record(elem) if elem is not None else Bad("no record element"))
        if rest is not None:
            where = f"after record {number}" if last else f"between records {number} and {number + 1}"
            after = line + view.count(b"\n", offset, close.end())
            if end_tag.search(view, close.end(), end):  # another record's end: one whose start tag is broken
                drop(None, after, f"malformed XML {where}, where a record's start tag is broken: {_at(rest, line)}",
                     rest)
            else:
                found.notes.append({"file": name, "record": None, "line": after,
                                    "note": f"malformed XML {where} ignored: {_at(rest, line)}"})
        if last and not closer:
            drop(None, view.count(b"\n") + 1, f"malformed XML after record {number}: the file ends without "
                                              f"</{qname.decode('latin-1')}>; the rest of the file could not be read",
                 cause)
    if closer and view[closer.end():].strip():
        found.notes.append({"file": name, "record": None, "line": view.count(b"\n", 0, closer.end()) + 1,
                            "note": "text after the end of the document ignored"})


def _at(exc: BaseException, first_line: int) -> str:
    """An expat error with the file's line number (the piece parsed starts at ``first_line``)."""
    line = parse_error_line(exc)
    return parse_error_text(exc) + (f" at line {first_line + line - 1}" if line else "")


def _record(wrapper: Element, record_tags: set[str]) -> Element | None:
    return next((child for child in wrapper if local_name(child.tag) in record_tags), None)
