"""An extractive answer to the research question, every sentence cited.

The answer is made of sentences taken verbatim from the abstracts of the most
relevant papers (:func:`~litscope.screening.relevance.compute_relevance`): for
each of the ``n_papers`` most relevant papers with an abstract, its
``sentences_per_paper`` sentences closest to the question (embedding cosine),
kept in the abstract's order.  Each row carries the paper's id (the report maps
ids to its ``[n]`` references) and the sentence's character offsets in the
abstract, so ``abstract[start:end] == sentence`` always holds.  With topics, the
rows are grouped by topic, topics ordered by their best paper's relevance.
There is no generated text and no sentence without its source.

Examples
--------
>>> import pandas as pd
>>> from litscope.screening.answer import select_sentences
>>> select_sentences("Cats purr. Dogs bark loudly at night. Fish swim.", [0.1, 0.9, 0.5], 2)
[(11, 37), (38, 48)]
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..text import is_informative, sentence_spans
from .relevance import _unit, compute_relevance, embed_question

__all__ = ["ANSWER_COLUMNS", "select_sentences", "compute_answer"]

#: Columns of :func:`compute_answer`'s table.
ANSWER_COLUMNS = ["topic", "id", "rank", "relevance", "sentence", "start", "end", "similarity"]


def select_sentences(abstract: str, scores: Sequence[float], k: int) -> list[tuple[int, int]]:
    """Offsets of the ``k`` best-scored sentences of ``abstract``, in the abstract's order.

    ``scores`` are row-aligned with :func:`litscope.text.sentence_spans` of the abstract.
    """
    spans = sentence_spans(abstract)
    if len(scores) != len(spans):
        raise ParameterError(f"{len(scores)} scores for {len(spans)} sentences")
    best = sorted(np.argsort(-np.asarray(scores, dtype=np.float64), kind="stable")[:k])
    return [spans[i] for i in best]


def compute_answer(papers: pd.DataFrame, question: str, relevance: pd.DataFrame | None = None, *,
                   embeddings: np.ndarray | None = None, embedder: Any = "static",
                   topics: Sequence[Any] | None = None, n_papers: int = 8,
                   sentences_per_paper: int = 1) -> pd.DataFrame:
    """Sentences from the most relevant papers' abstracts, each with its paper id.

    Parameters
    ----------
    papers : pandas.DataFrame
        Canonical papers (``id``, ``abstract`` are used).
    question : str
        The research question.
    relevance : pandas.DataFrame, optional
        From :func:`~litscope.screening.relevance.compute_relevance` (computed when None).
    embeddings : numpy.ndarray, optional
        Row-aligned paper vectors, used when ``relevance`` is computed here.
    embedder : str or embedder
        Embeds the question and the candidate sentences.
    topics : sequence, optional
        Row-aligned topic of each paper: rows are grouped by topic.
    n_papers : int
        How many of the most relevant papers (with an abstract) are quoted.
    sentences_per_paper : int
        Sentences quoted per paper.

    Returns
    -------
    pandas.DataFrame
        :data:`ANSWER_COLUMNS`: ``topic`` (None without topics), ``id``, ``rank`` and
        ``relevance`` of the paper, the verbatim ``sentence``, its ``start``/``end`` in the
        abstract and its cosine ``similarity`` to the question.
    """
    if isinstance(embedder, str):
        from ..embedders import make_embedder

        embedder = make_embedder(embedder, progress=False)
    if relevance is None:
        relevance = compute_relevance(papers, question, embeddings, embedder, top_n=0)
    if topics is not None and len(topics) != len(papers):
        raise ParameterError(f"{len(topics)} topic labels for {len(papers)} papers")
    abstracts = [a if isinstance(a, str) else "" for a in (papers["abstract"] if "abstract" in papers
                                                           else [""] * len(papers))]
    order = np.argsort(relevance["rank"].to_numpy(), kind="stable")
    chosen = [i for i in order if sentence_spans(abstracts[i])][:max(0, int(n_papers))]
    if not chosen:
        return pd.DataFrame(columns=ANSWER_COLUMNS)
    q = embed_question(question, embedder)
    per_paper, flat = [], []
    for i in chosen:
        spans = sentence_spans(abstracts[i])
        per_paper.append(spans)
        flat.extend(abstracts[i][a:b] for a, b in spans)
    sims = _unit(np.asarray(embedder.encode(flat))) @ q
    rows, at = [], 0
    for i, spans in zip(chosen, per_paper):
        text = abstracts[i]
        scores = sims[at:at + len(spans)].astype(np.float64)
        at += len(spans)
        # prefer informative sentences: boilerplate ("(c) 2020 Elsevier") never answers anything
        scores = np.where([is_informative(text[a:b]) for a, b in spans], scores, scores - 2.0)
        for a, b in select_sentences(text, scores, max(1, int(sentences_per_paper))):
            rows.append({"topic": None if topics is None else list(topics)[i], "id": relevance["id"].iloc[i],
                         "rank": int(relevance["rank"].iloc[i]), "relevance": float(relevance["relevance"].iloc[i]),
                         "sentence": text[a:b], "start": a, "end": b,
                         "similarity": round(float(scores[[s for s in range(len(spans)) if spans[s] == (a, b)][0]]), 4)})
    out = pd.DataFrame(rows, columns=ANSWER_COLUMNS)
    if topics is not None:
        best = out.groupby("topic", sort=False)["rank"].transform("min")
        out = out.assign(_best=best).sort_values(["_best", "rank", "start"], kind="stable").drop(columns="_best")
    return out.reset_index(drop=True)
