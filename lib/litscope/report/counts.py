"""The corpus overview: records loaded, not loaded, merged, unique papers, abstracts and years."""

from __future__ import annotations

import pandas as pd

from ..corpus import Corpus
from ..counts import compute_record_counts


def _has_text(series: pd.Series) -> pd.Series:
    return series.fillna("").astype(str).str.strip() != ""


def compute_corpus_overview(corpus: Corpus) -> pd.DataFrame:
    """Counts describing a corpus, one row per measure (measure, value).

    The record counts come from :func:`litscope.counts.compute_record_counts`.

    Examples
    --------
    >>> from litscope.corpus import Corpus
    >>> from litscope.dedupe import deduplicate
    >>> from litscope.schema import to_frame
    >>> df = to_frame([{"title": "A", "doi": "10.1000/a", "year": 2019}, {"title": "A", "doi": "10.1000/a"},
    ...                {"title": "B", "abstract": "x", "year": 2021}], source_format="ris", source_file="a.ris")
    >>> ov = compute_corpus_overview(deduplicate(Corpus.from_frame(df)))
    >>> {k: v for k, v in zip(ov["measure"], ov["value"]) if k.startswith(("Unique", "Duplicate", "Publication"))}
    {'Duplicate records merged': 1, 'Unique papers': 2, 'Publication years': '2019–2021'}
    """
    counts = compute_record_counts(corpus)
    papers = corpus.papers
    years = pd.to_numeric(pd.Series(papers["year"], dtype="object"), errors="coerce").dropna().astype(int)
    with_abs = int(_has_text(papers["abstract"]).sum()) if "abstract" in papers else 0
    rows = [
        ("Input files", counts.input_files),
        ("Records loaded", counts.loaded),
        ("Records not loaded (see load report)", counts.not_loaded),
        ("Duplicate records merged", counts.duplicates),
        ("Unique papers", counts.papers),
        ("Papers with an abstract", with_abs),
        ("Papers without an abstract", counts.papers - with_abs),
        ("Papers with a known year", int(len(years))),
        ("Publication years", f"{years.min()}–{years.max()}" if len(years) else "not given in the inputs"),
    ]
    return pd.DataFrame(rows, columns=["measure", "value"])
