"""CSV cells that a spreadsheet cannot run: one helper for every CSV litscope writes.

A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) is taken for
a formula by Excel, LibreOffice and Google Sheets, so a record titled ``=HYPERLINK(...)`` in
``papers.csv`` would run when a reviewer opens the file ("CSV injection"). Following OWASP, such
text cells get a leading single quote, which spreadsheets show as text. Numbers (``-1``,
``-0.25``, ``+3``) and non-text values are left alone: a spreadsheet reads them as numbers,
never as formulas. The full-width forms (``＝`` ...) are treated the same, as some spreadsheet
locales accept them.

:func:`unescape_cell` undoes the quote; litscope's CSV reader applies it to tables that
litscope wrote, so ``corpus.csv`` reads back with the exact titles. BibTeX and RIS exports are
not spreadsheets and keep the text unchanged.

Examples
--------
>>> escape_cell("=1+1"), escape_cell("-1"), escape_cell("a-b"), escape_cell(-3)
("'=1+1", '-1', 'a-b', -3)
>>> unescape_cell("'=1+1"), unescape_cell("'quoted'")
('=1+1', "'quoted'")
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import IO, Any, Iterable, Union

import pandas as pd

__all__ = ["FORMULA_STARTS", "escape_cell", "unescape_cell", "escape_row", "escape_frame", "write_frame"]

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")

# A plain number (what a spreadsheet parses as a number, not a formula).
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?%?")


def escape_cell(value: Any) -> Any:
    """``value`` with a leading ``'`` when it is text a spreadsheet would run as a formula.

    >>> escape_cell("@SUM(A1)"), escape_cell("\\tx"), escape_cell("+3"), escape_cell(None)
    ("'@SUM(A1)", "'\\tx", '+3', None)
    """
    if isinstance(value, str) and value and value[0] in FORMULA_STARTS and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def unescape_cell(value: Any) -> Any:
    """Undo :func:`escape_cell`: drop a ``'`` that stands before a formula character.

    >>> unescape_cell("'-omics"), unescape_cell("'-1"), unescape_cell("plain")
    ('-omics', "'-1", 'plain')
    """
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and escape_cell(value[1:]) != value[1:]:
        return value[1:]
    return value


def escape_row(row: Iterable[Any]) -> list[Any]:
    """Every cell of one row through :func:`escape_cell` (for :func:`csv.writer` users).

    >>> escape_row(["=x", 1, "-1", "ok"])
    ["'=x", 1, '-1', 'ok']
    """
    return [escape_cell(v) for v in row]


def escape_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells are escaped; numeric columns are untouched.

    >>> escape_frame(pd.DataFrame({"t": ["=x", "y"], "n": [-1, 2]})).values.tolist()
    [["'=x", -1], ['y', 2]]
    """
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col].dtype):
            out[col] = [escape_cell(v) for v in out[col]]
    header = [escape_cell(str(c)) for c in out.columns]
    out.columns = header
    return out


def write_frame(df: pd.DataFrame, path: Union[str, "os.PathLike[str]", IO[str]], **to_csv: Any) -> Path | None:
    """``df.to_csv(path, index=False, encoding='utf-8')`` with every text cell escaped.

    Returns the path written (None for a buffer). Extra keyword arguments go to
    :meth:`pandas.DataFrame.to_csv`.

    >>> import io
    >>> buf = io.StringIO(); _ = write_frame(pd.DataFrame({"title": ["=1+1"], "topic": [-1]}), buf)
    >>> buf.getvalue().splitlines()
    ['title,topic', "'=1+1,-1"]
    """
    options = {"index": False, "encoding": "utf-8", **to_csv}
    escape_frame(df).to_csv(path, **options)
    return None if hasattr(path, "write") else Path(os.fspath(path))  # type: ignore[arg-type]
