"""JSON and JSON Lines records from literature APIs and reference managers.

One reader for every JSON shape litscope knows; the shape is chosen per record
(:mod:`litscope.sources._json_shapes`):

* Semantic Scholar Graph API: a paper, a search page ``{"data": [...]}``, citation or
  reference entries (``citingPaper`` / ``citedPaper``), an author with ``papers``;
* OpenAlex works (single or ``{"results": [...]}``), abstracts rebuilt from
  ``abstract_inverted_index``;
* Crossref REST API (``message`` or ``message.items``), JATS abstracts;
* CSL-JSON (Zotero, Better BibTeX, citeproc), Zotero API items;
* Google Scholar result lists, and generic lists of flat dicts (title, abstract, authors, year, doi...).

A top-level list, the list of records in an API envelope, and JSON Lines are read record by
record when damaged (:mod:`litscope.sources._json_recover`): a record with a missing comma,
brace or quote is listed with its number, line and reason, and the records after it load.
An API error response raises :class:`~litscope.errors.FeedError`; JSON that holds no records (an author profile
without papers, a list of numbers) raises :class:`~litscope.errors.InputError`.

Examples
--------
>>> import io
>>> doc = b'{"data": [{"paperId": "p1", "title": "A study", "year": 2020,'
>>> doc += b' "authors": [{"name": "Jane Doe"}], "externalIds": {"DOI": "10.1000/X"}}]}'
>>> result = read_json(io.BytesIO(doc))
>>> df = result.frame
>>> df.loc[0, ["title", "doi"]].tolist(), df.loc[0, "authors"], result.details["shapes"]
(['A study', '10.1000/x'], ['Doe, Jane'], {'semantic_scholar': 1})
"""

from __future__ import annotations

import json as _json
import re
from collections import Counter
from typing import Any, Iterable, Sequence


from ..errors import FeedError, InputError, LitscopeError, RecordError
from ..records import FileRecords, Note, SkippedRecord
from ..schema import to_file_records
from ._io import PathOrBuffer, Sample, read_text, source_name
from ._json_recover import envelope_list, estimate_records, recover_list
from ._json_shapes import to_record, unwrap

FORMAT = "json"
EXTENSIONS = (".json", ".jsonl", ".ndjson", ".csl.json")

_KNOWN_SHAPE_KEYS = re.compile(r'"(?:paperId|externalIds|abstract_inverted_index|authorships|container-title|'
                               r'date-parts|citation-key|itemType|abstractNote|message-type|publication_year|'
                               r'citingPaper|citedPaper)"\s*:|"https://openalex\.org/W\d')
_TITLE_KEYS = re.compile(r'"(?:title|Title|TITLE|display_name|article_title|paper_title|abstract|Abstract)"\s*:')
_ERROR_DOC = re.compile(r'^\s*\{\s*"(?:error|message)"\s*:|"status"\s*:\s*"(?:failed|error)"')
_NOT_RECORDS = re.compile(r'"(?:nbformat|http_interactions|recorded_with|\$schema|compilerOptions|dependencies)"\s*:')


def sniff(sample: Sample) -> float:
    """JSON/JSONL whose keys are those of a known record shape, or title-like keys."""
    text = sample.text.lstrip()
    if not text or text[0] not in "{[":
        return 0.0
    if _NOT_RECORDS.search(text[:4096]):
        return 0.0
    if _KNOWN_SHAPE_KEYS.search(text):
        return 0.9
    if _TITLE_KEYS.search(text):
        return 0.8
    if _ERROR_DOC.search(text[:2048]):
        return 0.6  # an API error response: claim it so the error is reported, not "unrecognised"
    if '"authorId"' in text:
        return 0.5  # a Semantic Scholar author: the reader says why it holds no papers
    return 0.1


# ---------------------------------------------------------------- parsing

_DECODER = _json.JSONDecoder()
_WS = re.compile(r"\s*")


class _Parsed:
    """Parsed JSON values with their 1-based start lines, and the parts that failed."""

    def __init__(self, mode: str) -> None:
        self.mode = mode  # 'document', 'array' or 'lines'
        self.values: list[tuple[int | None, Any]] = []
        self.numbers: list[int] | None = None  # element numbers of the values, when some elements failed
        self.failures: list[tuple[int | None, int | None, str]] = []  # (element number, line, reason)
        self.notes: list[tuple[int | None, int | None, str]] = []
        self.envelope: Any = None  # a damaged envelope around a recovered list, when it parses without it


def _line_at(text: str, pos: int, cache: list[int]) -> int:
    """Line of ``pos``; ``cache`` = [last_pos, last_line] makes forward scans linear."""
    last_pos, last_line = cache
    if pos < last_pos:
        last_pos, last_line = 0, 1
    line = last_line + text.count("\n", last_pos, pos)
    cache[:] = [pos, line]
    return line


def _describe(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "JSON nested too deeply"
    if isinstance(exc, _json.JSONDecodeError):
        return f"{exc.msg} (line {exc.lineno} column {exc.colno})"
    return str(exc)


def _parse_array(text: str) -> _Parsed:
    """A top-level list: parsed in one pass, or element by element when any of it is damaged."""
    parsed = _Parsed("array")
    cache = [0, 1]
    pos = _WS.match(text, 1).end()
    if text.startswith("]", pos) and _WS.match(text, pos + 1).end() == len(text):
        return parsed
    while True:
        line = _line_at(text, pos, cache)
        try:
            value, end = _DECODER.raw_decode(text, pos)
        except (ValueError, RecursionError):
            return _recovered(text, 0)
        parsed.values.append((line, value))
        pos = _WS.match(text, end).end()
        if text.startswith(",", pos):
            pos = _WS.match(text, pos + 1).end()
            continue
        if text.startswith("]", pos) and _WS.match(text, pos + 1).end() == len(text):
            return parsed
        return _recovered(text, 0)


def _recovered(text: str, at: int, *, top_level: bool = True) -> _Parsed:
    """The list opening at ``at``, read element by element (:mod:`._json_recover`)."""
    found = recover_list(text, at, top_level=top_level)
    parsed = _Parsed("array")
    parsed.values = [(line, value) for _, line, value in found.values]
    parsed.numbers = [number for number, _, _ in found.values]
    parsed.failures = list(found.failures)
    parsed.notes = list(found.notes)
    if not top_level:
        envelope = None
        if found.end is not None:
            try:
                envelope = _json.loads(text[:at] + "[]" + text[found.end + 1:])
            except (ValueError, RecursionError):
                envelope = None
        if envelope is None:
            parsed.notes.append((None, 1, "malformed JSON around the list of records; the records were read "
                                          "one by one"))
        parsed.envelope = envelope
    return parsed


def _parse_sequence(text: str) -> _Parsed:
    """JSON Lines (or concatenated JSON values); a bad value is listed and the next line tried."""
    parsed = _Parsed("lines")
    cache = [0, 1]
    pos = _WS.match(text, 0).end()
    while pos < len(text):
        line = _line_at(text, pos, cache)
        try:
            value, end = _DECODER.raw_decode(text, pos)
        except (ValueError, RecursionError) as exc:
            parsed.failures.append((None, line, f"malformed JSON: {_describe(exc)}"))
            nxt = re.compile(r"\n[ \t]*[{\[]").search(text, pos + 1)
            if not nxt:
                break
            pos = nxt.start() + 1
            pos = _WS.match(text, pos).end()
            continue
        parsed.values.append((line, value))
        pos = _WS.match(text, end).end()
    return parsed


def parse(text: str, name: str) -> _Parsed:
    """Parse a JSON document, a top-level list element by element, or JSON Lines.

    Raises
    ------
    InputError
        The text is not JSON at all, or a single document is malformed.
    """
    stripped = text.strip()
    if not stripped:
        return _Parsed("lines")
    if stripped[0] == "[":
        return _parse_array(stripped)
    if stripped[0] != "{":
        raise InputError(f"not JSON (starts with {stripped[:20]!r})", file=name)
    try:
        value = _json.loads(stripped)
    except RecursionError as exc:
        raise InputError("JSON nested too deeply", file=name) from exc
    except ValueError as exc:
        msg = getattr(exc, "msg", "")
        lines = [ln for ln in stripped.split("\n") if ln.strip()]
        first_ok = False
        if len(lines) > 1:
            try:
                first_ok = isinstance(_json.loads(lines[1] if lines[0].strip() else lines[0]), dict)
            except (ValueError, RecursionError):
                first_ok = False
        if msg == "Extra data" or first_ok:
            return _parse_sequence(stripped)
        at = envelope_list(stripped)
        if at is not None:  # an API envelope ({"data": [...]}) whose list can be read element by element
            return _recovered(stripped, at, top_level=False)
        lost = estimate_records(stripped)
        raise InputError(f"not valid JSON: {_describe(exc)}" + (f"; about {lost} record{'s' if lost != 1 else ''}"
                                                               " in it could not be read" if lost else ""),
                         file=name, line=getattr(exc, "lineno", None)) from exc
    parsed = _Parsed("document")
    parsed.values.append((None, value))
    return parsed


# ---------------------------------------------------------------- records

def candidates(parsed: _Parsed, name: str, *, errors: str = "skip") -> tuple[
        list[tuple[int | None, Any]], list[tuple[int | None, str]], list[int] | None]:
    """Record candidates with their lines, the documents that held none (JSON Lines only), and
    the candidates' record numbers when they are not 1, 2, 3... (elements of a damaged list).

    Raises
    ------
    FeedError, InputError
        For a single document that is an API error or holds no records.
    """
    if parsed.mode == "document":
        _, value = parsed.values[0]
        return [(None, item) for item in unwrap(value, file=name)], [], None
    if parsed.mode == "array":
        if isinstance(parsed.envelope, dict):
            try:
                unwrap(parsed.envelope, file=name)  # an API error response raises here
            except FeedError:
                raise
            except InputError:
                pass  # its list was taken out to be read element by element
        values = [v for _, v in parsed.values]
        items = unwrap(values, file=name) if values else []
        if items is values:
            return list(parsed.values), [], parsed.numbers
        return [(None, item) for item in items], [], None
    out: list[tuple[int | None, Any]] = []
    problems: list[tuple[int | None, str]] = []
    for line, value in parsed.values:
        try:
            items = unwrap(value, file=name)
        except LitscopeError as exc:
            if len(parsed.values) == 1 and not parsed.failures:
                raise
            if errors == "raise":
                raise RecordError(getattr(exc, "message", str(exc)), file=name, record=len(out) + 1,
                                  line=line) from exc
            problems.append((line, getattr(exc, "message", str(exc))))
            continue
        out.extend((line, item) for item in items)
    return out, problems, None


def records_from(items: Iterable[tuple[int | None, Any]], name: str, *, errors: str, first: int = 1,
                 numbers: Sequence[int] | None = None) -> tuple[list[dict[str, Any]], list[SkippedRecord], Counter]:
    """Map candidates to raw records, numbering them from ``first`` (or by ``numbers``); bad ones skipped or raised."""
    records: list[dict[str, Any]] = []
    skipped: list[SkippedRecord] = []
    shapes: Counter = Counter()
    for index, (line, item) in enumerate(items):
        number = numbers[index] if numbers is not None else first + index
        rec, shape = to_record(item)
        if rec is None:
            if errors == "raise":
                raise RecordError(shape, file=name, record=number, line=line)
            skipped.append(SkippedRecord(name, number, line, shape))
            continue
        rec["source_record"] = number
        records.append(rec)
        shapes[shape] += 1
    return records, skipped, shapes


def read_json(path: PathOrBuffer, *, encoding: str | None = None, errors: str = "skip") -> FileRecords:
    """Read JSON or JSON Lines records (Semantic Scholar, OpenAlex, Crossref, CSL-JSON, Google Scholar, generic).

    Parameters
    ----------
    path : str, path-like or file-like
        The JSON file.
    encoding : str, optional
        Text encoding; detected when omitted (a UTF-8 byte-order mark is accepted).
    errors : {'skip', 'raise'}
        A record with neither title nor abstract, an element that is not an object, or a
        malformed part of a list / JSON Lines file: list it in ``skipped`` or raise.

    Returns
    -------
    FileRecords
        Canonical records (``frame``); ``details["shapes"]`` counts the records read per shape.

    Raises
    ------
    FeedError
        The file is an API error response.
    InputError
        The file is not JSON, or is JSON that holds no literature records.
    RecordError
        With ``errors='raise'``, for the first bad record.
    """
    name = source_name(path)
    text, used = read_text(path, encoding=encoding)
    parsed = parse(text, name)
    items, problems, numbers = candidates(parsed, name, errors=errors)
    # With damage, bad records are gathered first so that 'raise' names the first in the file.
    records, skipped, shapes = records_from(items, name, errors="skip" if parsed.failures else errors,
                                            numbers=numbers)
    for line, reason in problems:
        skipped.append(SkippedRecord(name, None, line, reason))
    for number, line, reason in parsed.failures:
        skipped.append(SkippedRecord(name, number, line, reason))
    skipped.sort(key=lambda s: (s.line is None, s.line or 0, s.record or 0))
    if errors == "raise" and parsed.failures:
        first = skipped[0]
        raise RecordError(first.reason, file=name, record=first.record, line=first.line)
    return to_file_records(records, source_format=FORMAT, source_file=name, skipped=skipped,
                           notes=[Note(name, number, line, note) for number, line, note in parsed.notes],
                           encoding=used, details={"shapes": dict(shapes)})
