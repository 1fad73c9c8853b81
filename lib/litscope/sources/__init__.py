"""Readers for literature exports, and :func:`load`, which detects the format from content.

Each format is one module in this package defining::

    FORMAT = "ris"                      # the reader's name
    EXTENSIONS = (".ris",)              # typical extensions (a hint, never required)
    def sniff(sample: Sample) -> float  # 0.0 (not mine) .. 1.0 (certainly mine)
    def read_ris(path, *, errors="skip", **options) -> FileRecords

Adding a format is adding such a module; the registry finds it by itself.

Readers return a :class:`~litscope.records.FileRecords`: a frame in the canonical schema
(:mod:`litscope.schema`, built by :func:`~litscope.schema.to_file_records`), the records
they could not read in ``skipped`` (``errors="skip"``, the default; ``errors="raise"`` raises
:class:`~litscope.errors.RecordError` instead), their ``notes``, the ``encoding`` used and
reader-specific ``details``. :func:`load` gathers them into a :class:`~litscope.corpus.Corpus`.
"""

from __future__ import annotations

import glob
import hashlib
import importlib
import os
import pkgutil
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Iterable, Sequence

import pandas as pd

from ..errors import FormatDetectionError, InputError, NoRecordsError, RecordError
from ..records import FileRecords, LoadEntry, Note, SkippedRecord, load_report_frame, skipped_frame
from ..corpus import Corpus, combine_frames
from ._io import PathOrBuffer, Sample, as_buffer, read_bytes, source_name

__all__ = ["Reader", "readers", "detect_format", "load", "read", "load_report", "skipped_records"]

#: Minimum sniff score for a reader to claim a file.
MIN_SCORE = 0.3
#: File names never read when a folder is given.
_IGNORED_NAMES = {"provenance.txt", "readme.md", "license", "licence", ".ds_store"}


@dataclass(frozen=True)
class Reader:
    """One registered format reader."""

    format: str
    extensions: tuple[str, ...]
    sniff: Callable[[Sample], float]
    read: Callable[..., FileRecords]
    module: ModuleType


_REGISTRY: dict[str, Reader] | None = None


def readers() -> dict[str, Reader]:
    """All readers, by format name, discovered from the modules of this package."""
    global _REGISTRY
    if _REGISTRY is None:
        found: dict[str, Reader] = {}
        for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
            if info.name.startswith("_"):
                continue
            module = importlib.import_module(f"{__name__}.{info.name}")
            fmt = getattr(module, "FORMAT", None)
            if not fmt:
                continue
            fn = getattr(module, f"read_{fmt}")
            found[fmt] = Reader(fmt, tuple(getattr(module, "EXTENSIONS", ())), module.sniff, fn, module)
        _REGISTRY = found
    return _REGISTRY


def detect_format(source: PathOrBuffer | Sample) -> str:
    """Name of the reader that recognises the content best.

    Parameters
    ----------
    source : path, file-like or Sample
        The input; only its first bytes (and name, as a tie-breaker) are looked at.

    Raises
    ------
    FormatDetectionError
        When no reader recognises the content.

    Examples
    --------
    >>> import io
    >>> detect_format(io.BytesIO(b"TY  - JOUR\\nTI  - A title\\nER  - \\n"))
    'ris'
    """
    sample = source if isinstance(source, Sample) else _sample(source)
    scores = []
    for reader in readers().values():
        try:
            score = float(reader.sniff(sample))
        except Exception:  # a sniffer must never break detection of other formats
            score = 0.0
        if sample.suffix and sample.suffix in reader.extensions:
            score += 0.05  # the extension only breaks ties
        scores.append((score, reader.format))
    scores.sort(reverse=True)
    if not scores or scores[0][0] < MIN_SCORE:
        known = ", ".join(sorted(readers()))
        raise FormatDetectionError(
            f"unrecognised format (readable formats: {known}); in Python, force one with "
            "litscope.load(..., format='ris') or litscope.read(..., format='ris'); 'litscope review' "
            "detects formats from the content only ('litscope formats' lists what each reader expects)",
            file=sample.name)
    return scores[0][1]


def _sample(source: PathOrBuffer) -> Sample:
    name = source_name(source)
    if isinstance(source, (str, os.PathLike)):
        try:
            with open(source, "rb") as fh:
                head = fh.read(64 * 1024)
        except OSError as exc:
            raise InputError(f"cannot read file: {exc.strerror or exc}", file=source) from exc
        return Sample.from_bytes(name, head)
    pos = source.tell() if hasattr(source, "tell") else None
    head = source.read(64 * 1024)
    if pos is not None:
        source.seek(pos)
    if isinstance(head, str):
        head = head.encode("utf-8")
    return Sample.from_bytes(name, head)


def read(source: PathOrBuffer, *, format: str | None = None, errors: str = "skip",
         **options: Any) -> FileRecords:
    """Read one file (or file-like) with the reader for its detected (or given) format.

    Returns
    -------
    FileRecords
        The reader's result: ``frame``, ``skipped``, ``notes``, ``encoding``, ``details``.

    Examples
    --------
    >>> import io
    >>> result = read(io.BytesIO(b"TY  - JOUR\\nTI  - A title\\nER  - \\n"))
    >>> result.frame["title"].tolist(), result.encoding
    (['A title'], 'utf-8')
    """
    if format is None:
        if isinstance(source, (str, os.PathLike)):
            fmt = detect_format(source)
        else:
            data = read_bytes(source)
            source = as_buffer(data, source_name(source))
            fmt = detect_format(Sample.from_bytes(source_name(source), data))
    else:
        fmt = format
    try:
        reader = readers()[fmt]
    except KeyError:
        raise FormatDetectionError(f"unknown format {fmt!r}; known: {', '.join(sorted(readers()))}",
                                   file=source_name(source)) from None
    return reader.read(source, errors=errors, **options)


def expand_inputs(inputs: PathOrBuffer | Sequence[PathOrBuffer]) -> list[PathOrBuffer]:
    """Files named by paths, folders (read recursively) and glob patterns, sorted and de-duplicated.

    Raises
    ------
    InputError
        When a path or pattern matches nothing.
    """
    if isinstance(inputs, (str, os.PathLike)) or hasattr(inputs, "read"):
        inputs = [inputs]  # type: ignore[list-item]
    files: list[PathOrBuffer] = []
    for item in inputs:  # type: ignore[union-attr]
        if hasattr(item, "read"):
            files.append(item)  # type: ignore[arg-type]
            continue
        text = os.fspath(item)  # type: ignore[arg-type]
        path = Path(text).expanduser()
        if path.is_dir():
            found = [p for p in sorted(path.rglob("*")) if p.is_file()
                     and not any(part.startswith(".") for part in p.relative_to(path).parts)
                     and p.name.lower() not in _IGNORED_NAMES]
        elif path.is_file():
            found = [path]
        elif glob.has_magic(text):
            found = [Path(p) for p in sorted(glob.glob(os.path.expanduser(text), recursive=True))
                     if Path(p).is_file()]
        else:
            raise InputError("no such file or folder", file=text)
        if not found:
            raise InputError("matches no files", file=text)
        files.extend(str(p) for p in found)
    seen: set[str] = set()
    unique = []
    for f in files:
        key = f if not isinstance(f, str) else os.path.abspath(f)
        if key not in seen:  # type: ignore[comparison-overlap]
            seen.add(key)  # type: ignore[arg-type]
            unique.append(f)
    # Order-independent: the same set of files gives the same frame whatever order they were named in.
    return sorted(unique, key=lambda f: os.path.abspath(f) if isinstance(f, str) else source_name(f))


def load(inputs: PathOrBuffer | Sequence[PathOrBuffer], *, format: str | None = None,
         errors: str = "skip", progress: bool = False) -> Corpus:
    """Load literature records from files, folders or glob patterns into one :class:`Corpus`.

    The format of each file is detected from its content. Files in a folder that no reader
    recognises are listed in the load report rather than failing the load; a file named
    explicitly that cannot be recognised raises.

    Parameters
    ----------
    inputs : path, file-like, or a list of them
        Files, folders (searched recursively) or glob patterns.
    format : str, optional
        Force one reader for every file instead of detecting it.
    errors : {'skip', 'raise'}
        'skip' loads the good records of a partly broken file and lists the bad ones;
        'raise' stops at the first bad record.
    progress : bool
        Show a progress bar over files.

    Returns
    -------
    Corpus
        ``records`` (and, before de-duplication, ``papers``): canonical columns, sorted by
        source file then record number, ids unique. ``load_entries``: one
        :class:`~litscope.records.LoadEntry` per file (file, format, records, skipped, encoding,
        sha256, error). ``skipped``: one :class:`~litscope.records.SkippedRecord` per record
        not loaded. ``notes``: things read but worth knowing, e.g. a missing crossref parent.

    Raises
    ------
    InputError
        A named file is missing, unreadable, an API error feed, or every record of it is bad.
        (Such a file found while scanning a folder is listed in the load report instead.)
    NoRecordsError
        Nothing at all could be loaded.

    Examples
    --------
    >>> import io
    >>> corpus = load([io.BytesIO(b"TY  - JOUR\\nTI  - A title\\nPY  - 2020\\nER  - \\n")])
    >>> corpus.papers[["title", "year", "source_format"]].values.tolist()
    [['A title', 2020, 'ris']]
    >>> corpus.load_report()[["format", "records", "skipped"]].values.tolist()
    [['ris', 1, 0]]
    """
    if errors not in ("skip", "raise"):
        raise ValueError(f"errors must be 'skip' or 'raise', not {errors!r}")
    explicit = {os.path.abspath(os.fspath(p)) for p in _as_list(inputs)
                if isinstance(p, (str, os.PathLike)) and Path(p).is_file()}
    files = expand_inputs(inputs)
    frames: list[pd.DataFrame] = []
    report: list[LoadEntry] = []
    skipped: list[SkippedRecord] = []
    notes: list[Note] = []
    iterator: Iterable[PathOrBuffer] = files
    if progress:
        from ..progress import bar
        iterator = bar(files, desc="Loading", unit="file")
    for source in iterator:
        name = source_name(source)
        data = read_bytes(source)
        sha256 = hashlib.sha256(data).hexdigest()
        try:
            fmt = format or detect_format(Sample.from_bytes(name, data))
        except FormatDetectionError as exc:
            if isinstance(source, str) and os.path.abspath(source) in explicit:
                raise
            report.append(LoadEntry(name, sha256=sha256, error=exc.message))
            continue
        named = not isinstance(source, str) or os.path.abspath(source) in explicit
        try:
            result = read(as_buffer(data, name), format=fmt, errors=errors)
            if len(result) == 0 and result.skipped:
                first = result.skipped[0]
                raise RecordError(f"no record could be read; first problem: {first.reason}",
                                  file=name, record=first.record, line=first.line)
        except InputError as exc:
            # A file the user named fails loudly; one found while scanning a folder (an API
            # error feed, a file of unusable records) is listed in the report and the load goes on.
            if named or errors == "raise":
                raise
            report.append(LoadEntry(name, fmt, sha256=sha256, error=exc.message))
            skipped.append(SkippedRecord(name, exc.record, exc.line, exc.message))
            continue
        report.append(LoadEntry(name, fmt, len(result), len(result.skipped), result.encoding, sha256))
        skipped.extend(result.skipped)
        notes.extend(result.notes)
        frames.append(result.frame)
    frames = [f for f in frames if len(f)]
    if not frames:
        raise NoRecordsError("no records could be loaded", file=", ".join(r.file for r in report) or None)
    records = combine_frames(frames)
    return Corpus(papers=records, records=records, load_entries=tuple(report), skipped=tuple(skipped),
                  notes=tuple(notes))


def _as_list(inputs: Any) -> list[Any]:
    if isinstance(inputs, (str, os.PathLike)) or hasattr(inputs, "read"):
        return [inputs]
    return list(inputs)


def load_report(corpus: Corpus) -> pd.DataFrame:
    """The per-file load report of a corpus returned by :func:`load`, as a DataFrame."""
    return load_report_frame(corpus.load_entries)


def skipped_records(source: Corpus | FileRecords) -> pd.DataFrame:
    """The records :func:`load` (or a reader) could not read, as a DataFrame."""
    return skipped_frame(source.skipped)
