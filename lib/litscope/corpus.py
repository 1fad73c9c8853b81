"""The corpus of a review: its papers, the records they came from, and their provenance.

A :class:`Corpus` is what every stage of a review takes and returns (as litstudy's
``DocumentSet`` is): :func:`litscope.load` builds one from export files,
:func:`litscope.dedupe.deduplicate` returns one with a row per paper, and the report, the
PRISMA counts and the exports read from it. The load report, the records that could not be
read, the readers' notes and the duplicate clusters are typed fields, so no copy, merge or
``pandas.concat`` can lose them.

Examples
--------
>>> import io
>>> import litscope
>>> a = litscope.load([io.BytesIO(b"TY  - JOUR\\nTI  - On graphs\\nDO  - 10.1000/g\\nER  - \\n")])
>>> b = litscope.load([io.BytesIO(b"TY  - JOUR\\nTI  - On Graphs\\nDO  - 10.1000/G\\nER  - \\n")])
>>> both = concat([a, b])
>>> len(both), len(both.load_entries)
(2, 2)
>>> from litscope.dedupe import deduplicate
>>> merged = deduplicate(both)
>>> len(merged), len(merged.records), merged.deduplicated
(1, 2, True)
>>> merged.duplicate_clusters()["reason"].tolist()
['', 'doi']
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

import pandas as pd

from .errors import SchemaError
from .missing import is_missing
from .records import (LoadEntry, Note, SkippedRecord, load_report_frame, notes_frame, skipped_frame)
from .schema import COLUMNS, validate

__all__ = ["Corpus", "concat", "as_corpus", "combine_frames", "record_key", "split_record_key"]


@dataclass(frozen=True)
class Corpus:
    """Papers of a review with the records they came from and everything known about them.

    Attributes
    ----------
    papers : pandas.DataFrame
        One row per paper, in the canonical schema (:mod:`litscope.schema`). Before
        de-duplication these are the records; after it, one merged row per work with a
        ``merged_from`` column (the ``'file#record'`` keys of the records merged into it).
    records : pandas.DataFrame
        The records as loaded, one row per record of the inputs.
    load_entries : tuple of LoadEntry
        One entry per input file (format, records loaded and skipped, encoding, SHA-256, error).
    skipped : tuple of SkippedRecord
        The records that could not be read, with file, record number, line and reason.
    notes : tuple of Note
        Things read but worth knowing (a missing crossref parent, control characters removed).
    clusters : pandas.DataFrame or None
        After de-duplication, the :func:`litscope.dedupe.find_duplicates` table: one row per
        record with its cluster, what it matched and why. None before.
    deduplicated : bool
        Whether duplicates were merged.
    dedupe_note : str
        Why they were not, when they were not (empty when it was simply not asked for).
    """

    papers: pd.DataFrame
    records: pd.DataFrame
    load_entries: tuple[LoadEntry, ...] = ()
    skipped: tuple[SkippedRecord, ...] = ()
    notes: tuple[Note, ...] = ()
    clusters: pd.DataFrame | None = None
    deduplicated: bool = False
    dedupe_note: str = ""

    def __post_init__(self) -> None:
        for name in ("load_entries", "skipped", "notes"):
            object.__setattr__(self, name, tuple(getattr(self, name)))

    def __len__(self) -> int:
        """Number of papers."""
        return len(self.papers)

    def __repr__(self) -> str:
        return (f"Corpus({len(self.papers)} papers from {len(self.records)} records, "
                f"{len(self.load_entries)} files, {len(self.skipped)} skipped, "
                f"{'deduplicated' if self.deduplicated else 'not deduplicated'})")

    @classmethod
    def from_frame(cls, records: pd.DataFrame) -> "Corpus":
        """A corpus of records built in code (no files, so no load report): papers = records.

        >>> from litscope.schema import to_frame
        >>> Corpus.from_frame(to_frame([{"title": "T"}], source_format="ris", source_file="a.ris"))
        Corpus(1 papers from 1 records, 0 files, 0 skipped, not deduplicated)
        """
        if not isinstance(records, pd.DataFrame):
            raise SchemaError(f"expected a pandas DataFrame, got {type(records).__name__}")
        return cls(papers=records, records=records)

    def replace(self, **changes: Any) -> "Corpus":
        """A copy with some fields changed (the frames are shared, not copied)."""
        return dataclasses.replace(self, **changes)

    def load_report(self) -> pd.DataFrame:
        """One row per input file: file, format, records, skipped, encoding, sha256, error."""
        return load_report_frame(self.load_entries)

    def skipped_records(self) -> pd.DataFrame:
        """One row per record not loaded: file, record, line, reason."""
        return skipped_frame(self.skipped)

    def record_notes(self) -> pd.DataFrame:
        """One row per note: file, record, line, note."""
        return notes_frame(self.notes)

    def input_files(self) -> list[str]:
        """The input files: those of the load report, else the records' source files."""
        if self.load_entries:
            return [e.file for e in self.load_entries]
        if "source_file" in self.records:
            return sorted({str(f) for f in self.records["source_file"]})
        return []

    def duplicate_clusters(self) -> pd.DataFrame:
        """The :func:`litscope.dedupe.find_duplicates` table of the de-duplication (a copy).

        Raises
        ------
        SchemaError
            When the corpus was not de-duplicated.
        """
        if self.clusters is None:
            raise SchemaError("the corpus was not de-duplicated; run litscope.dedupe.deduplicate first")
        return self.clusters.copy()


def as_corpus(value: Corpus | pd.DataFrame) -> Corpus:
    """``value`` if it is a :class:`Corpus`, else a corpus of the records in the frame."""
    return value if isinstance(value, Corpus) else Corpus.from_frame(value)


def combine_frames(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Records of several files as one canonical frame: sorted by source file then record number,
    ids made unique (repeats get '-2', '-3', ... in that order)."""
    out = pd.concat(list(frames), ignore_index=True)[COLUMNS]
    out = out.sort_values(["source_file", "source_record"], kind="stable").reset_index(drop=True)
    out["id"] = _unique_ids(out["id"])
    return validate(out)


def concat(corpora: Iterable[Corpus]) -> Corpus:
    """One corpus of the records of several, as if their files had been loaded together.

    The load reports, skipped records and notes are joined. Papers are the joined records:
    de-duplicate the result again (a duplicate may well lie across two of the corpora).

    Raises
    ------
    ValueError
        When no corpus is given.
    """
    corpora = [as_corpus(c) for c in corpora]
    if not corpora:
        raise ValueError("concat needs at least one corpus")
    records = combine_frames([c.records for c in corpora])
    return Corpus(papers=records, records=records,
                  load_entries=tuple(e for c in corpora for e in c.load_entries),
                  skipped=tuple(s for c in corpora for s in c.skipped),
                  notes=tuple(n for c in corpora for n in c.notes))


def _unique_ids(ids: pd.Series) -> pd.Series:
    """Suffix repeated ids ('-2', '-3', ...) in row order, so every record stays addressable.

    A suffixed id that another record already has is skipped, so the result is unique
    even when the input held both 'x' and 'x-2'.

    >>> _unique_ids(pd.Series(["x", "x-2", "x", "y"])).tolist()
    ['x', 'x-2', 'x-3', 'y']
    """
    taken = set(ids)
    counts: dict[str, int] = {}
    emitted: set[str] = set()
    out = []
    for value in ids:
        n = counts.get(value, 0) + 1
        candidate = value if n == 1 else f"{value}-{n}"
        while n > 1 and (candidate in emitted or candidate in taken):
            n += 1
            candidate = f"{value}-{n}"
        counts[value] = n
        emitted.add(candidate)
        out.append(candidate)
    return pd.Series(out, index=ids.index, dtype=object)


def record_key(file: Any, record: Any) -> str:
    """The ``'file#record'`` key of a record, as listed in ``merged_from``.

    >>> record_key("a.ris", 3), record_key("a.ris", None)
    ('a.ris#3', 'a.ris#')
    """
    number = _int_or_none(record)
    return f"{'' if file is None else file}#{'' if number is None else number}"


def split_record_key(key: str) -> tuple[str, str]:
    """``(file, record)`` of a ``'file#record'`` key (the file may itself hold '#').

    >>> split_record_key("exports/a#1.ris#3")
    ('exports/a#1.ris', '3')
    """
    file, _, record = str(key).rpartition("#")
    return file, record


def _int_or_none(value: Any) -> int | None:
    if is_missing(value):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None
