"""The review's screening steps: relevance to the question, screening, the cited answer.

Each takes the :class:`litscope.pipeline.Review` and fills in its part, as the other steps of
:func:`litscope.pipeline.run` do; each is timed as its own stage (timed even when it has
nothing to do, so the stages always read as :data:`litscope.pipeline.STEPS`).

* ``relevance`` (:func:`rank_by_relevance`): with a research question, every paper's
  relevance (BM25 with pseudo-relevance feedback + embedding,
  :func:`litscope.screening.compute_relevance`), cached.
* ``screening`` (:func:`screen_papers`): the criteria, the exports' labels and the decisions
  file give each paper its outcome (:func:`litscope.screen.compute_outcome`); ``scope =
  included`` restricts the topics and syntheses to the included papers.
* ``answer`` (:func:`answer_question`): sentences quoted verbatim from the most relevant
  papers, grouped by topic, and each topic's relevance.

Examples
--------
>>> criteria_from_settings({"years": [2000, None], "languages": [], "document_types": [],
...                         "include_terms": [], "exclude_terms": ["rat*"],
...                         "term_fields": ["title"], "min_relevance": 0.0}).years
(2000, None)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..screening import Criteria

__all__ = ["criteria_from_settings", "rank_by_relevance", "screen_papers", "answer_question",
           "write_decisions_back", "scoped_papers"]

#: Papers of the relevance table that get their closest sentence.
CLOSEST_SENTENCES = 50
#: Papers quoted in the answer.
ANSWER_PAPERS = 10


def criteria_from_settings(settings: Mapping[str, Any]) -> Criteria:
    """The screening criteria among a review's settings (empty ones are not applied)."""
    years = list(settings.get("years") or [])
    return Criteria(years=tuple(years) if years else None, languages=list(settings.get("languages") or []),
                    document_types=list(settings.get("document_types") or []),
                    include_terms=list(settings.get("include_terms") or []),
                    exclude_terms=list(settings.get("exclude_terms") or []),
                    fields=list(settings.get("term_fields") or []),
                    min_relevance=float(settings["min_relevance"]) if settings.get("min_relevance") else None)


def rank_by_relevance(review: Any) -> None:
    """``review.relevance``: each paper's relevance to the research question (None without one)."""
    from ..pipeline import _cached, _local, _paper_key
    from ..screening import compute_relevance

    question = (review.settings.get("research_question") or "").strip()
    if not question:
        with review.timer("relevance"):
            review.relevance = None
        return
    papers, embedder = review.corpus.papers, _local(review.embedder)
    parts = (_paper_key(papers), review.embeddings, embedder.model_name, question, CLOSEST_SENTENCES)
    review.relevance = _cached(review, "relevance", parts, lambda: compute_relevance(
        papers, question, review.embeddings, embedder, top_n=CLOSEST_SENTENCES))


def _decisions_path(review: Any) -> Path | None:
    from ..report import resolve_inputs

    given = (review.settings.get("decisions") or "").strip()
    return Path(resolve_inputs(given)[0]) if given else None  # relative: to the project root, as inputs


def screen_papers(review: Any) -> None:
    """Criteria, prior labels and the decisions file -> ``review.outcome``; the papers in scope."""
    from ..screening import apply_decisions, compute_screening
    from .outcome import compute_outcome
    from .priors import read_review_decisions

    s = review.settings
    papers = review.corpus.papers
    with review.timer("screening"):
        criteria = criteria_from_settings(s)
        if criteria.languages and review.languages is None:
            from ..language import detect_languages

            review.languages = detect_languages(papers)
        relevance = None if review.relevance is None else review.relevance["relevance"].to_numpy()
        review.screening = compute_screening(papers, criteria, relevance,
                                             None if review.languages is None else review.languages.tolist())
        review.decisions = read_review_decisions(review.corpus, _decisions_path(review))
        review.applied = apply_decisions(papers, review.decisions)
        review.decisions = _drop_unmatched_labels(review.decisions, review.applied.unmatched)
        review.outcome = compute_outcome(review.screening.table, review.applied.table)
        scope = s.get("scope", "all")
        if scope == "included":
            keep = (review.outcome.table["status"] == "included").to_numpy()
            if not keep.any():
                raise ParameterError("scope is 'included' but no paper is included: every paper is excluded "
                                     "or awaiting a decision; screen some papers or set scope: all")
            review.analysed = papers.loc[keep].reset_index(drop=True)
            review.analysed_embeddings = np.asarray(review.embeddings)[keep]
        elif scope != "all":
            raise ParameterError(f"scope must be 'all' or 'included', not {scope!r}")
        else:
            review.analysed, review.analysed_embeddings = papers, review.embeddings


def _is_export_label(reviewers: pd.Series) -> pd.Series:
    return reviewers.astype(str).str.startswith(("export:", "Rayyan:"))


def _drop_unmatched_labels(decisions: pd.DataFrame, unmatched: pd.DataFrame) -> pd.DataFrame:
    """Without the exports' labels that match no paper: records merged into a paper that has its own.

    Rows of the reviewer's file that match no paper stay (they are written back).
    """
    if not len(unmatched):
        return decisions
    gone = unmatched[_is_export_label(unmatched["reviewer"])]
    drop = set(zip(gone["id"].astype(str), gone["line"].astype(str)))
    keep = [(str(i), str(l)) not in drop or not e for i, l, e in
            zip(decisions["id"], decisions["line"], _is_export_label(decisions["reviewer"]))]
    return decisions.loc[keep].reset_index(drop=True)


def scoped_papers(review: Any) -> pd.DataFrame:
    """The papers the topics and syntheses are about (all, or the included ones)."""
    return review.analysed if review.analysed is not None else review.corpus.papers


def answer_question(review: Any) -> None:
    """``review.answer`` (cited verbatim sentences, grouped by topic) and ``review.topic_relevance``."""
    from ..pipeline import _local
    from ..screening import compute_answer, compute_topic_relevance

    with review.timer("answer"):
        if review.relevance is None:
            review.answer = review.topic_relevance = None
            return
        question = review.settings["research_question"].strip()
        topic_of = dict(zip(review.topics.papers["id"].astype(str), review.topics.papers["topic"]))
        scoped = scoped_papers(review)
        ids = scoped["id"].astype(str)
        relevance = review.relevance.set_index(review.relevance["id"].astype(str))
        rel = relevance.loc[ids.tolist()].reset_index(drop=True)
        review.topic_relevance = compute_topic_relevance(rel, [topic_of.get(i, -1) for i in ids])
        # an excluded paper does not answer the question: quote the others
        status = dict(zip(review.outcome.table["id"], review.outcome.table["status"]))
        keep = [status.get(i) != "excluded" for i in ids]
        quoted = scoped.loc[keep].reset_index(drop=True)
        review.answer = compute_answer(quoted, question, rel.loc[keep].reset_index(drop=True),
                                       embedder=_local(review.embedder),
                                       topics=[topic_of.get(i, -1) for i in ids[keep]],
                                       n_papers=ANSWER_PAPERS)


def write_decisions_back(review: Any) -> dict[str, Path]:
    """``decisions.csv`` beside the report and, when given, the reviewer's file: new papers undecided."""
    from ..screening import write_decisions

    papers = review.corpus.papers
    written = {"decisions": write_decisions(review.output_dir / "decisions.csv", papers, review.decisions)}
    path = _decisions_path(review)
    if path is not None:
        written["decisions_file"] = write_decisions(path, papers, review.decisions)
    return written


def screening_columns(review: Any) -> pd.DataFrame:
    """Extra columns of ``papers.csv``, indexed by paper id: relevance, its rank, the screening outcome."""
    ids = review.corpus.papers["id"].astype(str).to_numpy()
    out = pd.DataFrame(index=ids)
    if review.relevance is not None:
        out["relevance"] = review.relevance["relevance"].round(4).to_numpy()
        out["relevance_rank"] = review.relevance["rank"].to_numpy()
    if review.outcome is not None:
        out["screening"] = review.outcome.table["status"].to_numpy()
        out["screening_reason"] = review.outcome.table["reason"].to_numpy()
    return out
