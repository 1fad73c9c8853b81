"""litscope: a Jupyter-based literature review kit.

Load exports from bibliographic databases into one :class:`Corpus`, merge duplicates, find
topics, summarise and synthesise them, and render reproducible review reports.

Examples
--------
>>> import io, litscope
>>> corpus = litscope.load([io.BytesIO(b"TY  - JOUR\\nTI  - A title\\nER  - \\n")])
>>> len(corpus), corpus.papers.loc[0, "title"], corpus.load_report().loc[0, "format"]
(1, 'A title', 'ris')
"""

from __future__ import annotations

from .corpus import Corpus, concat
from .errors import LitscopeError
from .records import FileRecords, LoadEntry, Note, SkippedRecord
from .schema import COLUMNS, validate
from .sources import detect_format, load, load_report, read, skipped_records

__version__ = "0.1.0"

__all__ = ["LitscopeError", "COLUMNS", "validate", "load", "read", "detect_format", "Corpus", "concat",
           "FileRecords", "LoadEntry", "Note", "SkippedRecord", "load_report", "skipped_records",
           "__version__"]
