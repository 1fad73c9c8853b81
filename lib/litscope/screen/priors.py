"""The decisions a review starts from: labels the exports carry, then the reviewer's decisions file.

Examples
--------
>>> import pandas as pd
>>> from litscope.screening.decisions import empty_decisions
>>> combine_decisions(empty_decisions(), empty_decisions()).empty
True
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from ..corpus import Corpus
from ..screening import read_decisions, read_prior_decisions
from ..screening.decisions import DECISION_COLUMNS, empty_decisions

__all__ = ["TABLE_FORMATS", "read_export_decisions", "combine_decisions", "read_review_decisions"]

#: Formats whose files can carry labels: a label column (ASReview, Rayyan tables), or ASReview's
#: RIS notes (ASReview_relevant / ASReview_irrelevant).
TABLE_FORMATS = ("csv", "xlsx", "wos_tab", "ris")


def read_export_decisions(corpus: Corpus) -> pd.DataFrame:
    """Prior labels of every table export of the corpus (one decisions row per labelled record).

    Records are matched to the file's rows by their ``source_record``; a decision row carries the
    record's id, DOI and title, so it finds the paper the record was merged into.
    """
    records = corpus.records
    if records is None or records.empty or "source_file" not in records:
        return empty_decisions()
    frames = []
    for file, group in records.groupby("source_file", sort=False):
        formats = set(group.get("source_format", pd.Series(dtype=str)).astype(str))
        if not formats & set(TABLE_FORMATS) or not file or not Path(str(file)).is_file():
            continue
        found = read_prior_decisions(str(file), group)
        if len(found):
            frames.append(found)
    return combine_decisions(*frames) if frames else empty_decisions()


def combine_decisions(*tables: pd.DataFrame) -> pd.DataFrame:
    """Decision tables one after the other (later rows win when matched to a paper)."""
    kept = [t for t in tables if t is not None and len(t)]
    if not kept:
        return empty_decisions()
    out = pd.concat([t.reindex(columns=DECISION_COLUMNS + ["line"]) for t in kept], ignore_index=True)
    for col in DECISION_COLUMNS:
        out[col] = out[col].fillna("").astype(str)
    return out


def read_review_decisions(corpus: Corpus, decisions_file: str | os.PathLike | None) -> pd.DataFrame:
    """The exports' prior labels, then the decisions file's rows (which win)."""
    prior = read_export_decisions(corpus)
    given = read_decisions(decisions_file) if decisions_file else empty_decisions()
    return combine_decisions(prior, given)
