"""The audit of de-duplication: which record matched which, and why."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..corpus import Corpus, as_corpus
from .clusters import _cluster
from .rules import DEFAULT_THRESHOLD, _DEDUPE_COLUMNS, _check

def _audit_frame(data: dict[str, list[Any]]) -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(data[c], dtype=object) for c in _DEDUPE_COLUMNS}, columns=_DEDUPE_COLUMNS)
    for col in ("score", "source_record"):
        frame[col] = pd.array([None if v is None or v is pd.NA else int(v) for v in data[col]], dtype="Int64")
    frame["cluster_size"] = frame["cluster_size"].astype("int64")
    frame["kept"] = frame["kept"].astype(bool)
    return frame


def find_duplicates(df: pd.DataFrame, *, threshold: float = DEFAULT_THRESHOLD,
                    progress: bool = False) -> pd.DataFrame:
    """Cluster the records of ``df`` that describe the same work.

    Parameters
    ----------
    df : pandas.DataFrame
        Records in the canonical schema (e.g. ``litscope.load(...).papers``). Not modified.
    threshold : float
        Minimum adjusted title score (0-100) for a title link; identifiers link regardless.
    progress : bool
        Show a progress bar while linking.

    Returns
    -------
    pandas.DataFrame
        One row per input record, grouped by cluster: ``id``, ``cluster_id`` (id of the record
        kept for the cluster), ``matched_to`` (id of the record this one was linked to, '' for
        the kept one), ``reason`` ('doi', 'arxiv_id', 'pmid' or 'title+year+author (score 97)'),
        ``score`` (Int64), ``cluster_size``, ``kept`` (bool), ``source_file``,
        ``source_record`` and ``title``.

    Raises
    ------
    SchemaError
        When a column needed for matching is missing.
    ParameterError
        When ``threshold`` is not in (0, 100].

    Examples
    --------
    >>> from litscope.schema import to_frame
    >>> df = to_frame([{"title": "Editorial", "year": 2020, "authors": ["Doe, J"]},
    ...                {"title": "Editorial", "year": 2020, "authors": ["Doe, J"]},
    ...                {"title": "A", "doi": "10.1000/a"}, {"title": "A (copy)", "doi": "10.1000/A"}],
    ...               source_format="ris", source_file="x.ris")
    >>> find_duplicates(df)["cluster_size"].tolist()  # generic titles stay apart
    [1, 1, 2, 2]
    """
    _check(df, threshold)
    return _audit_frame(_cluster(df, threshold, progress)[4])


# ---------------------------------------------------------------- audit and counts

def record_clusters(corpus: Corpus) -> pd.DataFrame:
    """The :func:`find_duplicates` table of a corpus returned by :func:`deduplicate` (a copy).

    Raises
    ------
    SchemaError
        When the corpus was not de-duplicated.
    """
    return as_corpus(corpus).duplicate_clusters()


def compute_dedupe_audit(corpus: Corpus) -> pd.DataFrame:
    """Every record that was merged with another, grouped by cluster, with who matched whom and why.

    Parameters
    ----------
    corpus : Corpus
        A corpus returned by :func:`deduplicate`.

    Returns
    -------
    pandas.DataFrame
        The rows of :func:`record_clusters` whose cluster has more than one record, the kept
        record first in each cluster. Write it with ``audit.to_csv(path, index=False)``.

    Examples
    --------
    >>> from litscope.schema import to_frame
    >>> df = to_frame([{"title": "On graphs", "doi": "10.1000/g"}, {"title": "Other", "doi": "10.1000/o"},
    ...                {"title": "On graphs", "pmid": "77", "doi": "10.1000/g"}],
    ...               source_format="ris", source_file="x.ris")
    >>> from litscope.dedupe import deduplicate
    >>> audit = compute_dedupe_audit(deduplicate(df))  # the record with a PMID too is kept
    >>> audit[["source_record", "kept", "matched_to", "reason"]].values.tolist()
    [[3, True, '', ''], [1, False, 'doi:10.1000/g-2', 'doi']]
    """
    table = record_clusters(corpus)
    out = table[table["cluster_size"] > 1]
    out = out.sort_values(["cluster_id", "kept"], ascending=[True, False], kind="stable")
    return out.reset_index(drop=True)

