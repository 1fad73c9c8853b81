"""The exceptions litscope raises.

Every error derives from :class:`LitscopeError` and also from the builtin it
most resembles, so ``except ValueError`` keeps working for callers who do not
know litscope.  Errors about input carry the file and the record (1-based) or
line (1-based) they concern, and are raised ``from`` the low-level cause.

Examples
--------
>>> from litscope.errors import RecordError
>>> err = RecordError("no title", file="refs.ris", record=3, line=41)
>>> str(err)
'refs.ris: record 3 (line 41): no title'
>>> isinstance(err, ValueError)
True
"""

from __future__ import annotations

import os
from typing import Any


class LitscopeError(Exception):
    """Root of every exception litscope raises."""


def _location(file: Any = None, record: int | None = None, line: int | None = None) -> str:
    parts = []
    if file is not None:
        parts.append(os.fspath(file) if isinstance(file, os.PathLike) else str(file))
    where = []
    if record is not None:
        where.append(f"record {record}")
    if line is not None:
        where.append(f"line {line}" if not where else f"(line {line})")
    if where:
        parts.append(" ".join(where))
    return ": ".join(parts)


class InputError(LitscopeError, ValueError):
    """An input file cannot be read as literature records.

    Parameters
    ----------
    message : str
        What is wrong, for a person.
    file : str or path-like, optional
        The file concerned.
    record : int, optional
        1-based number of the record within the file.
    line : int, optional
        1-based line number where the problem is (or where the record starts).
    """

    def __init__(self, message: str, *, file: Any = None, record: int | None = None,
                 line: int | None = None) -> None:
        self.message = message
        self.file = None if file is None else str(file)
        self.record = record
        self.line = line
        where = _location(file, record, line)
        super().__init__(f"{where}: {message}" if where else message)

    def __reduce__(self):  # keep pickling (multiprocessing, papermill) working
        return (_rebuild, (type(self), self.message, self.file, self.record, self.line))


def _rebuild(cls, message, file, record, line):
    return cls(message, file=file, record=record, line=line)


class FormatDetectionError(InputError):
    """No reader recognises the file's content."""


class RecordError(InputError):
    """One record of a file cannot be parsed; the other records may still load."""


class FeedError(InputError):
    """The file is a well-formed API response that reports an error instead of records."""


class NoRecordsError(InputError):
    """Nothing usable could be read from the input(s)."""


class SchemaError(LitscopeError, ValueError):
    """A DataFrame does not follow the canonical record schema.

    Parameters
    ----------
    message : str
        What is wrong.
    column : str, optional
        The offending column.
    record : str or int, optional
        The id or position of the offending record.
    """

    def __init__(self, message: str, *, column: str | None = None,
                 record: Any = None) -> None:
        self.message = message
        self.column = column
        self.record = record
        where = []
        if column is not None:
            where.append(f"column {column!r}")
        if record is not None:
            where.append(f"record {record!r}")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)

    def __reduce__(self):
        return (_rebuild_schema, (self.message, self.column, self.record))


def _rebuild_schema(message, column, record):
    return SchemaError(message, column=column, record=record)


class ParameterError(LitscopeError, ValueError):
    """A review parameter is missing, unknown or of the wrong type."""


class MissingDependencyError(LitscopeError, ImportError):
    """An optional dependency is needed for this step; the message says how to install it."""

    def __init__(self, package: str, *, purpose: str, install: str | None = None) -> None:
        from ._optional import install_hint  # _optional raises this error: imported here, not at the top

        self.package = package
        # No hint given: the package is one of litscope's own dependencies, which reinstalling brings back.
        self.install = install or install_hint(None)
        super().__init__(f"{purpose} needs the package {package!r}; install it with: {self.install}")


class RenderError(LitscopeError, RuntimeError):
    """An executed notebook cannot be rendered to HTML or PDF."""


class ChromiumNotFoundError(RenderError, FileNotFoundError):
    """No Chromium/Chrome executable is available to print the PDF."""


class ExecutionError(LitscopeError, RuntimeError):
    """The review notebook failed while running.

    Parameters
    ----------
    message : str
        The error raised inside the notebook.
    notebook : str
        Path of the executed (failed) notebook, kept for debugging.
    cell : int, optional
        1-based index of the failing code cell.
    ename : str, optional
        Name of the exception raised inside the notebook.
    """

    def __init__(self, message: str, *, notebook: str | None = None, cell: int | None = None,
                 ename: str | None = None) -> None:
        self.message = message
        self.notebook = notebook
        self.cell = cell
        self.ename = ename
        where = []
        if cell is not None:
            where.append(f"cell {cell}")
        if notebook:
            where.append(f"of {notebook}")
        head = "review notebook failed" + (f" in {' '.join(where)}" if where else "")
        super().__init__(f"{head}: {ename + ': ' if ename else ''}{message}")

    def __reduce__(self):
        return (_rebuild_exec, (self.message, self.notebook, self.cell, self.ename))


def _rebuild_exec(message, notebook, cell, ename):
    return ExecutionError(message, notebook=notebook, cell=cell, ename=ename)


class DecisionsError(InputError):
    """A row of a screening decisions file (or of an export's labels) cannot be used."""
