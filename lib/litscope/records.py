"""Typed provenance of records: what a reader returns, and what it could not read.

A reader returns :class:`FileRecords`: the canonical frame of one file with the records it
could not read (:class:`SkippedRecord`), the things worth knowing about the ones it read
(:class:`Note`), the text encoding used and reader-specific details (a CSV's delimiter, a JSON
file's record shapes, ...). :func:`litscope.load` turns one :class:`LoadEntry` per file and
these lists into a :class:`litscope.corpus.Corpus`, so provenance is held in fields that
``pandas.concat`` or a copy cannot lose.

Examples
--------
>>> import pandas as pd
>>> result = FileRecords(pd.DataFrame({"title": ["A"]}), skipped=(SkippedRecord("x.ris", 2, 7, "no title"),),
...                      encoding="utf-8", details={"delimiter": ";"})
>>> len(result), result.skipped[0].reason, result.details["delimiter"]
(1, 'no title', ';')
>>> skipped_frame(result.skipped).values.tolist()
[['x.ris', 2, 7, 'no title']]
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Iterable, Mapping

import pandas as pd

__all__ = ["SkippedRecord", "Note", "LoadEntry", "FileRecords", "skipped_frame", "notes_frame",
           "load_report_frame", "SKIPPED_COLUMNS", "NOTE_COLUMNS", "LOAD_REPORT_COLUMNS"]

SKIPPED_COLUMNS = ["file", "record", "line", "reason"]
NOTE_COLUMNS = ["file", "record", "line", "note"]
LOAD_REPORT_COLUMNS = ["file", "format", "records", "skipped", "encoding", "sha256", "error"]


@dataclass(frozen=True)
class SkippedRecord:
    """A record a reader could not load, kept so nothing is dropped silently."""

    file: str
    record: int | None
    line: int | None
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "record": self.record, "line": self.line, "reason": self.reason}


@dataclass(frozen=True)
class Note:
    """Something worth knowing about a record that was read (a missing crossref parent,
    control characters removed, ...); ``record`` and ``line`` are None for a whole file."""

    file: str
    record: int | None
    line: int | None
    note: str

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "record": self.record, "line": self.line, "note": self.note}


@dataclass(frozen=True)
class LoadEntry:
    """One input file in the load report: its format, records loaded and skipped, checksum, error."""

    file: str
    format: str = ""
    records: int = 0
    skipped: int = 0
    encoding: str = ""
    sha256: str = ""
    error: str = ""

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class FileRecords:
    """What a reader returns: the records of one file and their provenance.

    Attributes
    ----------
    frame : pandas.DataFrame
        The records read, in the canonical schema (:mod:`litscope.schema`).
    skipped : tuple of SkippedRecord
        Records that could not be read, in record order.
    notes : tuple of Note
        Things worth knowing about records that were read.
    encoding : str
        Text encoding used ('' for binary formats).
    details : mapping
        Reader-specific facts: ``delimiter`` and ``columns`` (CSV), ``shapes`` (JSON, VCR),
        ``sheet`` (XLSX), ``total_results`` (arXiv), ``interactions`` (VCR).
    """

    frame: pd.DataFrame
    skipped: tuple[SkippedRecord, ...] = ()
    notes: tuple[Note, ...] = ()
    encoding: str = ""
    details: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "skipped", tuple(self.skipped))
        object.__setattr__(self, "notes", tuple(self.notes))
        object.__setattr__(self, "details", MappingProxyType(dict(self.details)))

    def __len__(self) -> int:
        return len(self.frame)

    def replace(self, **changes: Any) -> "FileRecords":
        """A copy with some fields changed (``details`` given here are added to the existing ones)."""
        if "details" in changes:
            changes["details"] = {**self.details, **changes["details"]}
        return dataclasses.replace(self, **changes)


def skipped_frame(skipped: Iterable[SkippedRecord]) -> pd.DataFrame:
    """Skipped records as a DataFrame (columns file, record, line, reason)."""
    return pd.DataFrame([s.as_dict() for s in skipped], columns=SKIPPED_COLUMNS)


def notes_frame(notes: Iterable[Note]) -> pd.DataFrame:
    """Notes as a DataFrame (columns file, record, line, note)."""
    return pd.DataFrame([n.as_dict() for n in notes], columns=NOTE_COLUMNS)


def load_report_frame(entries: Iterable[LoadEntry]) -> pd.DataFrame:
    """The load report as a DataFrame (columns file, format, records, skipped, encoding, sha256, error)."""
    return pd.DataFrame([e.as_dict() for e in entries], columns=LOAD_REPORT_COLUMNS)


def as_notes(items: Iterable[Note | Mapping[str, Any] | str], file: str) -> list[Note]:
    """Notes from :class:`Note` objects, dicts (file, record, line, note) or plain strings about ``file``."""
    out = []
    for item in items:
        if isinstance(item, Note):
            out.append(item)
        elif isinstance(item, Mapping):
            out.append(Note(str(item.get("file") or file), item.get("record"), item.get("line"),
                            str(item.get("note", ""))))
        else:
            out.append(Note(file, None, None, str(item)))
    return out
