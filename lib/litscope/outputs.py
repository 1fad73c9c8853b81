"""The files a review writes: papers.csv, topics.csv, the corpus exports, the decisions written
back, the snapshot a later run compares with, and run_stats.json.

:func:`litscope.pipeline.run` calls :func:`write_outputs` as its last step; the notebook
calls :func:`write_run_stats` once the report's figures are timed too. Both are importable
from :mod:`litscope.pipeline` as well.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .pipeline import Review

__all__ = ["write_outputs", "write_run_stats"]


def write_outputs(review: Review) -> None:
    """``papers.csv``, ``topics.csv``, the corpus exports and the run's snapshot in ``review.output_dir``."""
    from . import living, report
    from .language import detect_languages
    from .screen.steps import write_decisions_back

    out = review.output_dir
    with review.timer("write"):
        out.mkdir(parents=True, exist_ok=True)
        papers = review.corpus.papers
        if review.languages is None:
            review.languages = detect_languages(papers)
        review.outputs["papers"] = _write_papers_csv(review, out / "papers.csv")
        review.outputs["topics"] = report.write_topics_csv(out / "topics.csv", review.topics.topics,
                                                           review.syntheses)
        review.outputs.update(report.write_corpus_exports(out, review.corpus))
        review.outputs.update(write_decisions_back(review))
        # What a later run of the same name compares with ("What's new since DATE").
        review.outputs["snapshot"] = living.write_review_snapshot(review, review.settings["name"])


def _write_papers_csv(review: Review, path: Path) -> Path:
    """papers.csv: the report's table, the language, how many papers of the corpus cite the
    paper, then relevance and screening columns."""
    from . import report
    from .bibliometrics import citation_counts
    from .screen.steps import screening_columns

    papers = review.corpus.papers
    extra = screening_columns(review)  # indexed by paper id
    languages = dict(zip(papers["id"].astype(str), review.languages))
    extra.insert(0, "language", [languages.get(i, "und") for i in extra.index])
    counts = citation_counts(review.citation_links, extra.index)
    extra.insert(1, "cited_in_corpus", "" if counts is None else counts)  # '': no input gives references
    return report.write_papers_csv(path, papers, review.topics.papers, review.summaries, review.refs,
                                   extra=extra)


def write_run_stats(review: Review, path: str | os.PathLike | None = None) -> Path:
    """Write ``run_stats.json``: stage seconds and memory, texts embedded, cache hits.

    Read by ``bench/scale_bench.py``; a reader sees the same numbers in the appendix.
    """
    path = Path(path) if path is not None else review.output_dir / "run_stats.json"
    frame = review.timer.frame()
    stats = {
        "stages": [{"stage": r.stage, "seconds": float(r.seconds), "peak_rss_mb": float(r.peak_rss_mb)}
                   for r in frame.itertuples()],
        "papers": 0 if review.corpus is None else int(len(review.corpus)),
        "embedder": getattr(review.embedder, "model_name", None),
        "papers_embedded": review.papers_embedded,
        "texts_embedded": int(getattr(review.embedder, "texts_embedded", 0)),
        "docs_per_second": review.papers_per_second,
        "cache": dict(review.cache_status),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(stats, indent=2), encoding="utf-8")
    return path
