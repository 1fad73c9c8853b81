"""What counts as a missing cell, decided once.

A cell of a corpus frame may be missing as ``None``, a float ``NaN`` (what
``read_csv`` and ``reindex`` leave), ``pd.NA`` (nullable and string dtypes) or
``pd.NaT`` (dates).  :func:`is_missing` says which cells those are and
:func:`as_text` turns a cell into text with a missing one as ``""``.  A
*present* cell is never judged by its content here: an empty string, ``0`` or
the text ``"nan"`` are values; a step that treats them as missing too says so
where it does.

Examples
--------
>>> import numpy as np, pandas as pd
>>> [is_missing(v) for v in (None, float("nan"), np.float32("nan"), pd.NA, pd.NaT, "", 0, "nan")]
[True, True, True, True, True, False, False, False]
>>> as_text(None), as_text(pd.NA), as_text(" x "), as_text(3)
('', '', ' x ', '3')
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["is_missing", "as_text"]

_NA = pd.NA
_NAT = pd.NaT


def is_missing(value: Any) -> bool:
    """Whether a single cell is missing: ``None``, a float NaN, ``pd.NA`` or ``pd.NaT``.

    Lists and arrays (list cells) are never missing themselves, whatever they hold.

    >>> is_missing([None]), is_missing(float("nan"))
    (False, True)
    """
    if value is None or value is _NA or value is _NAT:
        return True
    return isinstance(value, (float, np.floating)) and bool(value != value)


def as_text(value: Any) -> str:
    """The cell as text, ``""`` when missing; a string comes back as it is (not stripped).

    >>> as_text(float("nan")), as_text("A b")
    ('', 'A b')
    """
    if type(value) is str:  # the common case first
        return value
    return "" if is_missing(value) else str(value)


def joined_text(value: Any, sep: str = "; ") -> str:
    """Like :func:`as_text`, but a list cell (authors, keywords) is its items joined by ``sep``.

    >>> joined_text(["graphs", "trees"]), joined_text(None), joined_text(["a", "b"], sep=" ; ")
    ('graphs; trees', '', 'a ; b')
    """
    if isinstance(value, (list, tuple, np.ndarray)):
        return sep.join(str(v) for v in value)
    return as_text(value)
