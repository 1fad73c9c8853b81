"""The report's CSV artifacts: papers.csv, topics.csv and the corpus exports."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping

import numpy as np
import pandas as pd

from .. import csvsafe
from ..corpus import Corpus
from ..missing import is_missing
from .inputs import _display_path
from .references import _ref_map, _year_text

PAPERS_CSV_COLUMNS = ["ref", "id", "title", "year", "topic", "topic_label", "confidence", "summary",
                      "authors", "venue", "doi", "arxiv_id", "source_file", "source_record", "merged_from",
                      "cited_by", "cited_by_source", "cited_by_date", "n_references", "document_type", "countries"]

#: The exports' metadata papers.csv keeps (empty when no input gives it). The cited references
#: themselves (often a hundred per paper) are counted here and listed in corpus.csv; affiliations
#: and funding are in corpus.csv too.
METADATA_COLUMNS = PAPERS_CSV_COLUMNS[PAPERS_CSV_COLUMNS.index("cited_by"):]


def _count_or_empty(value: object) -> object:
    """A citation count as an integer, '' when unknown (not 0: unknown is not uncited)."""
    return "" if is_missing(value) else int(value)


def _joined(value: object) -> str:
    if isinstance(value, (list, tuple, np.ndarray)):
        return "; ".join(str(v) for v in value if not is_missing(v))
    return "" if is_missing(value) else str(value)


def compute_papers_table(df: pd.DataFrame, papers: pd.DataFrame | None, summaries: Mapping[str, str] | pd.Series | None,
                         refs: pd.DataFrame | Mapping[str, int]) -> pd.DataFrame:
    """One row per paper with its reference number, topic and summary (the content of papers.csv).

    ``papers`` is the topic assignment (id, topic, topic_label, confidence), matched by id.
    Rows are in reference order; year is '' when unknown. Then the exports' metadata
    (:data:`METADATA_COLUMNS`): the citation count with its source and date, the number of
    cited references, the document type and the countries ('' when no input gives them).

    >>> df = pd.DataFrame({"id": ["a", "b"], "title": ["A", "B"], "year": [2020, None],
    ...                    "cited_by": pd.array([7, None], dtype="Int64"), "references": [["x", "y"], []]})
    >>> t = compute_papers_table(df, None, None, {"a": 1, "b": 2})
    >>> t[["id", "cited_by", "n_references"]].values.tolist()
    [['a', 7, 2], ['b', '', '']]
    """
    numbers = _ref_map(refs)
    out = pd.DataFrame({
        "ref": [numbers.get(str(i)) for i in df["id"]],
        "id": df["id"].astype(str).to_numpy(),
        "title": df["title"].astype(str).to_numpy(),
        "year": [_year_text(y) for y in df["year"]],
    })
    if papers is not None and len(papers):
        p = papers.drop_duplicates("id")
        # one dict per column, read once, rather than a .at lookup per paper and column
        pids = p["id"].tolist()
        topic_of = dict(zip(pids, p["topic"].tolist()))
        out["topic"] = [int(topic_of[i]) if i in topic_of else -1 for i in out["id"]]
        if "topic_label" in p:
            label_of = dict(zip(pids, p["topic_label"].tolist()))
            out["topic_label"] = [str(label_of[i]) if i in label_of else "" for i in out["id"]]
        else:
            out["topic_label"] = ""
        if "confidence" in p:
            confidence_of = dict(zip(pids, p["confidence"].tolist()))
            out["confidence"] = [round(float(confidence_of[i]), 3) if i in confidence_of
                                 and not is_missing(confidence_of[i]) else np.nan for i in out["id"]]
        else:
            out["confidence"] = np.nan
    else:
        out["topic"], out["topic_label"], out["confidence"] = -1, "", np.nan
    summ = summaries if summaries is not None else {}
    out["summary"] = [str(summ.get(i, "") or "") if hasattr(summ, "get") else "" for i in out["id"]]
    out["authors"] = ["; ".join(a) if isinstance(a, (list, tuple, np.ndarray)) else "" for a in df["authors"]] \
        if "authors" in df else ""
    for col in ("venue", "doi", "arxiv_id", "source_file"):
        out[col] = df[col].astype(str).to_numpy() if col in df else ""
    shown = {f: _display_path(f) if f else "" for f in set(out["source_file"])}  # a few files, many papers
    out["source_file"] = [shown[f] for f in out["source_file"]]
    out["source_record"] = [_year_text(r) for r in df["source_record"]] if "source_record" in df else ""
    if "merged_from" in df:
        out["merged_from"] = ["; ".join(map(str, m)) if isinstance(m, (list, tuple, np.ndarray)) else str(m)
                              for m in df["merged_from"]]
    else:
        out["merged_from"] = ""
    n = len(df)
    out["cited_by"] = [_count_or_empty(v) for v in df["cited_by"]] if "cited_by" in df else [""] * n
    for col in ("cited_by_source", "cited_by_date", "document_type", "countries"):
        out[col] = [_joined(v) for v in df[col]] if col in df else [""] * n
    out["n_references"] = ([len(v) if isinstance(v, (list, tuple, np.ndarray)) and len(v) else ""
                            for v in df["references"]] if "references" in df else [""] * n)
    out = out.sort_values("ref", kind="stable", na_position="last").reset_index(drop=True)
    return out[PAPERS_CSV_COLUMNS]


def write_papers_csv(path: str | os.PathLike, df: pd.DataFrame, papers: pd.DataFrame | None,
                     summaries: Mapping[str, str] | pd.Series | None,
                     refs: pd.DataFrame | Mapping[str, int],
                     extra: pd.DataFrame | Mapping[str, pd.Series] | None = None) -> Path:
    """Write papers.csv (UTF-8): one row per paper, columns :data:`PAPERS_CSV_COLUMNS`.

    ``path`` may be a folder (``papers.csv`` is written inside it). ``extra`` columns (a
    frame indexed by paper id, or column name -> Series indexed by paper id) follow in their
    order, matched by id (empty for a paper they lack), neutralised like the rest; a review
    passes its ``language`` column first (see :func:`litscope.outputs.write_outputs`).
    Returns the file written.

    >>> import tempfile
    >>> df = pd.DataFrame({"id": ["a", "b"], "title": ["A", "B"], "year": [2020, 2021]})
    >>> rank = pd.Series([2, 1], index=["b", "a"])
    >>> with tempfile.TemporaryDirectory() as d:
    ...     t = pd.read_csv(write_papers_csv(d, df, None, None, {"a": 1, "b": 2}, extra={"rank": rank}))
    >>> t[["id", "rank"]].values.tolist()
    [['a', 1], ['b', 2]]
    """
    path = Path(path)
    if path.is_dir():
        path = path / "papers.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    table = compute_papers_table(df, papers, summaries, refs)
    if extra is not None:
        extra = extra if isinstance(extra, pd.DataFrame) else pd.DataFrame(dict(extra))
        extra = extra.set_axis(extra.index.astype(str))  # a copy: the caller's frame keeps its index
        for column in extra.columns:
            table[column] = extra[column].reindex(table["id"].astype(str)).to_numpy()
    csvsafe.write_frame(table, path)  # formulas neutralised
    return path


def write_topics_csv(path: str | os.PathLike, topics: pd.DataFrame,
                     syntheses: pd.DataFrame | None = None) -> Path:
    """Write topics.csv (UTF-8): topic, label, size, share, key phrases, parent theme, and
    (when ``syntheses`` is given) the synthesis paragraph with its ``[n]`` citations."""
    path = Path(path)
    if path.is_dir():
        path = path / "topics.csv"
    t = topics.copy()
    if syntheses is not None and len(syntheses):
        t = t.merge(syntheses[["topic", "synthesis", "cited_ids"]], on="topic", how="left")
    for col in t.columns:
        t[col] = [", ".join(map(str, v)) if isinstance(v, (list, tuple, np.ndarray)) else v for v in t[col]]
    csvsafe.write_frame(t, path)
    return path


def write_corpus_exports(out_dir: str | os.PathLike, corpus: Corpus) -> dict[str, Path]:
    """Write the reviewed corpus for reference managers and screening tools, and the audit trail.

    ``corpus.bib``, ``corpus.ris`` and ``corpus.csv`` hold one record per paper after
    de-duplication (each with the source records it was merged from); ``duplicates.csv``
    lists every duplicate cluster with the reason it was merged (empty when none, or when
    duplicates were not merged).

    Returns
    -------
    dict
        Name -> path of each file written.
    """
    from .. import dedupe, export

    merged = corpus.papers
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = {
        "bibtex": export.write_bibtex(merged, out / "corpus.bib"),
        "ris": export.write_ris(merged, out / "corpus.ris"),
        "csv": export.write_csv(merged, out / "corpus.csv"),
    }
    audit = dedupe.compute_dedupe_audit(corpus) if corpus.deduplicated else pd.DataFrame()
    csvsafe.write_frame(audit, out / "duplicates.csv")
    written["duplicates"] = out / "duplicates.csv"
    return written
