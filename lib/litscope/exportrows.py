"""Rows of a frame as exporters read them: one-line text cells, item lists, years.

>>> _items(["a ", "", " b  c"]), _year(2020.0), _text("  two\\n lines ")
(['a', 'b c'], '2020', 'two lines')
"""

from __future__ import annotations

from typing import Any, Iterator

import pandas as pd

from .missing import as_text
from .schema import COLUMNS


def _text(value: Any) -> str:
    """The cell as one line of text: whitespace runs become one space, '' when missing."""
    return " ".join(as_text(value).split())


def _items(value: Any) -> list[str]:
    if isinstance(value, (list, tuple)) or type(value).__name__ == "ndarray":
        return [t for t in (_text(v) for v in value) if t]
    text = _text(value)
    return [text] if text else []


def _year(value: Any) -> str:
    text = _text(value)
    return text[:-2] if text.endswith(".0") else text


_RECORD_BLOCK = 2_000  # rows whose cells _records reads at once: a few MB of text


def _cells(column: pd.Series) -> list[Any]:
    """The cells of a column as iterating it yields them: a text column in one ``tolist`` call (the
    same values, without an Arrow ``as_py`` per cell), others (``Int64``, lists) by iterating."""
    if isinstance(column.dtype, pd.StringDtype):
        return column.tolist()
    return list(column)


def _records(df: pd.DataFrame) -> Iterator[dict[str, Any]]:
    """Each row as a dict of its cells (the schema's missing columns as ''), a block of rows at a time."""
    cols = list(df.columns)
    for start in range(0, len(df), _RECORD_BLOCK):
        block = df.iloc[start:start + _RECORD_BLOCK]
        for values in zip(*(_cells(block.iloc[:, k]) for k in range(len(cols)))):
            rec = dict(zip(cols, values))
            for c in COLUMNS:
                rec.setdefault(c, "")
            yield rec
