"""Shared machinery of the tagged-text readers (RIS, MEDLINE, Web of Science, EndNote).

Each of those formats is a sequence of records made of ``tag value`` lines; the tag
grammar, the record boundaries, the field mapping and the sniffing stay in each
format's module. What they share lives here once: :class:`TaggedRecord` (the fields
of one record), :func:`run_reader` (the ``read_<format>`` wrapper: argument check,
decoding, the reader contract) and :func:`finish` (records to rows to a canonical frame,
listing records with neither title nor abstract).

Examples
--------
>>> rec = TaggedRecord(1, 1, list_tags={"AU"})
>>> rec.add("TI", "A long"); rec.continue_last("title")
>>> rec.add("AU", "Doe, J"); rec.continue_last("Roe, R")
>>> rec.first("TI"), rec.all("AU")
('A long title', ['Doe, J', 'Roe, R'])
>>> df = finish([rec], lambda r: {"title": r.first("TI"), "source_record": r.number},
...             name="x.txt", errors="skip", fmt="wos").frame
>>> df[["title", "source_record"]].values.tolist()
[['A long title', 1]]
"""

from __future__ import annotations

from typing import Any, Callable, Collection, Pattern, Sequence


from ..errors import InputError, LitscopeError, ParameterError, RecordError
from ..records import FileRecords, SkippedRecord
from ..schema import clean_text, normalize_record, to_file_records
from ._io import PathOrBuffer, read_text, source_name


class TaggedRecord:
    """Fields of one record in file order: tag -> list of values (one per tagged or list line).

    Parameters
    ----------
    number : int
        1-based record number in the file (``source_record``).
    line : int
        1-based line where the record starts.
    list_tags : collection of str, optional
        Tags whose untagged continuation lines are new items (one author per line)
        rather than more text of the value above.

    Examples
    --------
    >>> rec = TaggedRecord(1, 3)
    >>> rec.add("AB", " "); rec.add("AB", "Text"); rec.continue_last("more")
    >>> rec.first("AB"), rec.all("AB"), rec.first("TI")
    ('Text more', ['Text more'], '')
    """

    def __init__(self, number: int, line: int, *, list_tags: Collection[str] = ()) -> None:
        self.number = number
        self.line = line
        self.list_tags = list_tags
        self._fields: dict[str, list[str]] = {}
        self.last: str | None = None
        # Continuation text of the last value, joined when the fields are next read: joining at
        # each line copies the value each time (quadratic in an abstract of 200,000 lines).
        self._more: list[str] = []

    @property
    def fields(self) -> dict[str, list[str]]:
        """Tag -> values in file order."""
        if self._more:
            values = self._fields[self.last]  # type: ignore[index]
            values[-1] = " ".join([values[-1], *self._more]).strip()
            self._more = []
        return self._fields

    def add(self, tag: str, value: str) -> None:
        """Append ``value`` to ``tag``; continuation lines now go to it."""
        self.fields.setdefault(tag, []).append(value)
        self.last = tag

    def continue_last(self, text: str) -> None:
        """A continuation line: a new item of a list tag, else more text of the last value."""
        if self.last is None:
            return
        if self.last in self.list_tags:
            self._fields[self.last].append(text)
        elif text.strip():
            self._more.append(text.strip())

    def first(self, *tags: str) -> str:
        """The first value with text of the first of ``tags`` that has one, else ''."""
        for tag in tags:
            for value in self.fields.get(tag, ()):
                if clean_text(value):
                    return value
        return ""

    def all(self, *tags: str) -> list[str]:
        """Every non-blank value of ``tags``, tag by tag, in file order."""
        return [v for tag in tags for v in self.fields.get(tag, ()) if v.strip()]


def run_reader(path: PathOrBuffer, *, encoding: str | None, errors: str, fmt: str, format_label: str,
               parse: Callable[[str, str, str], FileRecords]) -> FileRecords:
    """Decode ``path`` and hand its text to ``parse(text, name, errors)``, keeping the reader contract.

    A file with nothing but white space is a valid, empty export: no records, ``parse``
    is not called.

    Parameters
    ----------
    path : str, path-like or file-like
        The file.
    encoding : str or None
        Text encoding; detected when None.
    errors : {'skip', 'raise'}
        Passed on to ``parse``.
    fmt : str
        ``source_format`` of the empty frame of a blank file.
    format_label : str
        The format as named in messages ("cannot parse as <format_label>: ...").
    parse : callable
        ``parse(text, name, errors) -> FileRecords``.

    Returns
    -------
    FileRecords
        What ``parse`` returned, with ``encoding`` set to the encoding used.

    Raises
    ------
    ParameterError
        When ``errors`` is neither 'skip' nor 'raise'.
    InputError
        For any failure that is not already a litscope error (the reader contract:
        only litscope errors leave a reader).

    Examples
    --------
    >>> import io
    >>> run_reader(io.BytesIO(b" \\n"), encoding=None, errors="skip", fmt="x", format_label="X",
    ...            parse=lambda text, name, errors: 1 / 0).frame.empty
    True
    >>> try:
    ...     run_reader(io.BytesIO(b"x"), encoding=None, errors="skip", fmt="x", format_label="X",
    ...                parse=lambda text, name, errors: 1 / 0)
    ... except InputError as exc:
    ...     print(exc.message)
    cannot parse as X: ZeroDivisionError: division by zero
    """
    if errors not in ("skip", "raise"):
        raise ParameterError(f"errors must be 'skip' or 'raise', not {errors!r}")
    name = source_name(path)
    try:
        text, used = read_text(path, encoding=encoding)
        if not text.strip():
            result = to_file_records([], source_format=fmt, source_file=name)
        else:
            result = parse(text, name, errors)
    except LitscopeError:
        raise
    except Exception as exc:  # the reader contract: only litscope errors leave a reader
        raise InputError(f"cannot parse as {format_label}: {type(exc).__name__}: {exc}", file=name) from exc
    return result.replace(encoding=used)


def finish(records: Sequence[TaggedRecord], to_row: Callable[[Any], dict[str, Any]], *, name: str,
           errors: str, fmt: str, skipped: Sequence[SkippedRecord] = ()) -> FileRecords:
    """Rows from ``records`` as canonical records; those with neither title nor abstract are listed.

    Parameters
    ----------
    records : sequence of TaggedRecord
        The parsed records, in file order.
    to_row : callable
        The format's field mapping: record -> raw row for :func:`litscope.schema.to_file_records`.
    name : str
        The source file's name.
    errors : {'skip', 'raise'}
        Skip (and list) or raise on a record with neither title nor abstract.
    fmt : str
        ``source_format`` of the rows.
    skipped : sequence of SkippedRecord, optional
        What the parser already passed over (stray lines); listed first.

    Returns
    -------
    FileRecords
        Canonical records and the ``skipped`` ones.

    Raises
    ------
    RecordError
        With ``errors='raise'``, for the first record with neither title nor abstract.

    Examples
    --------
    >>> empty = TaggedRecord(1, 1)
    >>> finish([empty], lambda r: {"title": r.first("TI")}, name="x", errors="skip",
    ...        fmt="ris").skipped[0].reason
    'record has neither title nor abstract'
    """
    skipped = list(skipped)
    rows: list[dict[str, Any]] = []
    for rec in records:
        row = to_row(rec)
        norm = normalize_record(row)
        if not norm["title"] and not norm["abstract"]:
            reason = "record has neither title nor abstract"
            if errors == "raise":
                raise RecordError(reason, file=name, record=rec.number, line=rec.line)
            skipped.append(SkippedRecord(name, rec.number, rec.line, reason))
            continue
        rows.append(row)
    return to_file_records(rows, source_format=fmt, source_file=name, skipped=skipped)


def split_blocks(text: str, field: Pattern[str], *, opener: str,
                 list_tags: Collection[str] = ()) -> tuple[list[TaggedRecord], list[int]]:
    """Records of formats whose records are blocks of field lines separated by blank lines.

    A line that ``field`` matches (group 1 the tag, group 2 the value or None) and that
    does not start with a space is a field; an ``opener`` field also starts a new record
    when the block already has one. Any other line continues the field above it, or,
    outside a record, is a stray line.

    Parameters
    ----------
    text : str
        The decoded file.
    field : compiled regular expression
        The format's field line.
    opener : str
        The tag that opens a record (MEDLINE ``PMID``, EndNote ``0``).
    list_tags : collection of str, optional
        Passed to each :class:`TaggedRecord`.

    Returns
    -------
    records : list of TaggedRecord
        In file order, numbered from 1.
    stray : list of int
        Line numbers of lines outside any record.

    Examples
    --------
    >>> import re
    >>> records, stray = split_blocks("junk\\nPMID- 1\\nTI  - A\\n  b\\nPMID- 2\\n\\nTI  - C",
    ...                               re.compile(r"^([A-Z]{2,4}) *- ?(.*)$"), opener="PMID")
    >>> [(r.number, r.line, r.fields) for r in records], stray
    ([(1, 2, {'PMID': ['1'], 'TI': ['A b']}), (2, 5, {'PMID': ['2']}), (3, 7, {'TI': ['C']})], [1])
    """
    records: list[TaggedRecord] = []
    current: TaggedRecord | None = None
    stray: list[int] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            current = None  # a blank line ends the record
            continue
        m = field.match(line)
        if m and not line.startswith(" "):
            tag, value = m.group(1), (m.group(2) or "").strip()
            if current is None or (tag == opener and opener in current.fields):
                current = TaggedRecord(len(records) + 1, number, list_tags=list_tags)
                records.append(current)
            current.add(tag, value)
        elif current is not None:
            current.continue_last(line.strip())
        else:
            stray.append(number)
    return records, stray


def stray_lines(name: str, lines: Sequence[int], fields: str) -> list[SkippedRecord]:
    """One skipped-record entry for lines outside any record (none when there are none).

    Examples
    --------
    >>> stray_lines("x.enw", [1, 4], "EndNote")[0].reason
    '2 line(s) outside any record are not EndNote fields'
    >>> stray_lines("x.enw", [], "EndNote")
    []
    """
    if not lines:
        return []
    return [SkippedRecord(name, None, lines[0], f"{len(lines)} line(s) outside any record are not {fields} fields")]
