"""What may merge: the threshold, blocking sizes, generic and notice titles, and the value helpers
every stage of de-duplication reads cells with."""

from __future__ import annotations

import numbers
import re
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ParameterError, SchemaError
from ..missing import as_text as _text  # the name keys.py and merge.py import from here
from ..missing import is_missing
from ..schema import normalize_title_key

#: Minimum adjusted title score (0-100) for a title link.
DEFAULT_THRESHOLD = 90
#: Window of the sorted-neighbourhood blocking (records compared with the next WINDOW ones).
WINDOW = 8
#: Largest rare-word block compared pairwise (larger ones are left to the sorted windows).
MAX_BLOCK = 40

#: Normalised titles that name a kind of item, not a work: never merged on the title.
GENERIC_TITLES = frozenset(p for line in """
editorial|guest editorial|editorials|editor s note|editors note|editor s introduction|from the editor
from the editors|letter from the editor|letter from the editors|editor s comments|editorial comment
introduction|introductions|preface|foreword|forward|prologue|epilogue|overview|summary|conclusion
conclusions|concluding remarks|abstract|abstracts|index|author index|subject index|contents
table of contents|front matter|back matter|frontmatter|backmatter|cover|masthead|issue information
in this issue|this issue|book review|book reviews|books|reviews|review|reviewers
reviewer acknowledgement|reviewer acknowledgements|acknowledgement|acknowledgements|acknowledgment
acknowledgments|thanks to reviewers|call for papers|announcement|announcements|news|obituary
in memoriam|correspondence|letter|letters|letter to the editor|letters to the editor|reply
response|author s reply|authors reply|comment|comments|commentary|discussion|erratum|errata
corrigendum|corrigenda|correction|corrections|retraction|retraction notice|expression of concern
notes on contributors|contributors|about the authors|keynote|keynote address|panel discussion
poster session|tutorial|workshop|proceedings|invited talk|miscellaneous|untitled|no title
""".strip().split("\n") for p in line.split("|"))

# Titles that open like this ("Introduction to the special issue on X") are generic unless long.
_GENERIC_PREFIX = re.compile(
    r"^(?:guest editorial|editorial|introduction to (?:the|this) (?:special|focus(?:ed)?|thematic) "
    r"(?:issue|section)|special issue introduction|preface to|foreword to|editor s introduction)\b")
# Notices about another work: kept apart from the work itself.
_NOTICE = re.compile(
    r"^(?:erratum|errata|corrigendum|corrigenda|correction|corrections|retraction|retracted|"
    r"expression of concern|reply|response to|author s reply|authors reply|comment on|comments on|"
    r"commentary on|addendum|notice of retraction|withdrawn)\b")
_NUMBER_TOKENS = re.compile(r"^(?:\d+|ii|iii|iv|vi|vii|viii|ix|xi|xii)$")
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$")

_PRIORITY = {"doi": 0, "arxiv_id": 1, "pmid": 2, "title": 3}
_DEDUPE_COLUMNS = ["id", "cluster_id", "matched_to", "reason", "score", "cluster_size", "kept",
                   "source_file", "source_record", "title"]


# ---------------------------------------------------------------- helpers

def _list(value: Any) -> list[str]:
    """A new list of the non-empty strings of a list cell (never the input's list object)."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return [v if type(v) is str else str(v) for v in value if _text(v)]
    text = _text(value)
    return [text] if text else []


def _year(value: Any) -> int:
    """Year as int, -1 when missing."""
    if is_missing(value):
        return -1
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _check(df: pd.DataFrame, threshold: float) -> None:
    if not isinstance(df, pd.DataFrame):
        raise SchemaError(f"expected a pandas DataFrame, got {type(df).__name__}")
    needed = ["id", "title", "authors", "year", "doi", "arxiv_id", "pmid", "source_file", "source_record"]
    missing = [c for c in needed if c not in df.columns]
    if missing:
        raise SchemaError(f"missing columns {missing}", column=missing[0])
    if isinstance(threshold, bool) or not (isinstance(threshold, numbers.Real) and 0 < threshold <= 100):
        raise ParameterError(f"threshold must be a number in (0, 100], not {threshold!r}")


_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def _title_key(title: str) -> str:
    """:func:`normalize_title_key`, with a fast path for ASCII titles (the same result)."""
    if title.isascii():
        return _NON_ALNUM.sub(" ", title.lower()).strip()
    return normalize_title_key(title)

