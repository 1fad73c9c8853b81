"""litscope: a Jupyter-based literature review kit.

Load exports from bibliographic databases into one canonical frame, find topics,
summarise and synthesise them, and render reproducible review reports.

Examples
--------
>>> import io, litscope
>>> df = litscope.load([io.BytesIO(b"TY  - JOUR\\nTI  - A title\\nER  - \\n")])
>>> len(df)
1
"""

from __future__ import annotations

from .errors import LitscopeError
from .schema import COLUMNS, validate
from .sources import detect_format, load, load_report, read, skipped_records

__version__ = "0.1.0"

__all__ = ["LitscopeError", "COLUMNS", "validate", "load", "read", "detect_format",
           "load_report", "skipped_records", "__version__"]
