"""How relevant each paper is to the reviewer's research question.

The score is a hybrid of a lexical and a semantic signal, fused by ranks:

* **lexical, with pseudo-relevance feedback** (:mod:`litscope.screening.feedback`):
  BM25 (:mod:`litscope.screening.bm25`) of the question against title, abstract and
  keywords; then RM3 query expansion from the best-matching records, and a logistic
  regression trained on the expanded query's best records against its lower half.
  The classifier's score is the lexical signal (the question's BM25 when the corpus
  is too small for feedback, or with ``feedback=False``).  Exact words are good at
  names of drugs, methods and populations; the feedback learns how the records that
  match them are written.  No label is used: only the question and the records.
* **cosine** of the paper's embedding to the question's, embedded by the *same*
  embedder (a paper's text is :func:`litscope.embed.paper_texts`): meaning, good
  at paraphrase.

Fusion: each signal is turned into its percentile rank among the papers (ties
share their mean rank, so a score of 0 for half the corpus stays at the bottom
half's middle), and ``relevance = w * lexical_percentile + (1 - w) * cosine_percentile``
with ``w = LEXICAL_WEIGHT``.  The relevance is in [0, 1]; ``rank`` 1 is the most
relevant paper (ties broken by the embedding cosine, then by row order).  Percentile
fusion keeps the two scales (BM25 unbounded, cosine in a narrow band) from
dominating each other, much like reciprocal-rank fusion but bounded.

Measured (``bench/screening_bench.py --only question``, static embedder, ROC AUC of
the included records): the lexical signal with feedback is what carries the ranking;
the static embedder's cosine lowers it on every labelled set, so its weight is small
(see :data:`LEXICAL_WEIGHT`).  The ``bm25`` column stays the plain BM25 of the
question, the easiest to read.

Each paper also gets its **matched terms** (the question's terms in its text) and,
for the ``top_n`` most relevant papers, its **closest sentence**: the sentence of
its abstract (verbatim, from :func:`litscope.text.split_sentences`) whose embedding
is nearest the question's.

Examples
--------
>>> import pandas as pd
>>> from litscope.screening.relevance import fuse_percentiles
>>> fuse_percentiles([0.0, 2.0, 1.0], [0.1, 0.2, 0.9], weight=0.5).round(3).tolist()
[0.0, 0.75, 0.75]
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..text import is_informative, split_sentences
from .bm25 import compute_weighted_bm25, matched_terms, paper_text, terms
from .feedback import compute_pseudo_labelled_scores, expand_query, feedback_size

__all__ = ["LEXICAL_WEIGHT", "fuse_percentiles", "embed_question", "compute_lexical_scores",
           "compute_relevance", "compute_topic_relevance", "closest_sentences"]

#: Weight of the lexical percentile in the fused relevance (the cosine has ``1 - w``).
#: On the three tuning sets (static embedder) 1.0 ranked best (mean ROC AUC 0.901, 0.895 at
#: 0.9, 0.830 at 0.5); 0.9 keeps the cosine as a signal where the question's words are
#: missing from relevant records (paraphrase), a case those sets do not measure.
LEXICAL_WEIGHT = 0.9


def _percentile(values: Sequence[float]) -> np.ndarray:
    """Mid-rank percentile in [0, 1]: ties share their mean rank; one value -> 1.0."""
    v = np.asarray(values, dtype=np.float64)
    n = len(v)
    if n <= 1:
        return np.ones(n)
    ranks = pd.Series(v).rank(method="average").to_numpy()
    return (ranks - 1) / (n - 1)


def fuse_percentiles(lexical: Sequence[float], semantic: Sequence[float], *,
                     weight: float = LEXICAL_WEIGHT) -> np.ndarray:
    """``weight * percentile(lexical) + (1 - weight) * percentile(semantic)``, in [0, 1].

    >>> fuse_percentiles([1, 1], [0, 1], weight=0.5).tolist()
    [0.25, 0.75]
    """
    if not 0.0 <= weight <= 1.0:
        raise ParameterError(f"the lexical weight must be in [0, 1], not {weight!r}")
    return weight * _percentile(lexical) + (1 - weight) * _percentile(semantic)


def _unit(m: np.ndarray) -> np.ndarray:
    m = np.asarray(m, dtype=np.float32)
    norms = np.linalg.norm(m, axis=-1, keepdims=True)
    return m / np.where(norms > 0, norms, 1.0)


def embed_question(question: str, embedder: Any) -> np.ndarray:
    """The question's unit vector from ``embedder`` (the papers' embedder).

    ``fast`` encodes a single text with its MiniLM teacher, so the question lies in the
    papers' space whichever embedder made them.
    """
    return _unit(np.asarray(embedder.encode([question]))[0])


def _check(papers: pd.DataFrame, question: str, embeddings: Any) -> None:
    if not isinstance(question, str) or not question.strip():
        raise ParameterError("the research question is empty; relevance needs a question")
    if embeddings is not None and len(embeddings) != len(papers):
        raise ParameterError(f"embeddings have {len(embeddings)} rows but there are {len(papers)} papers")


def closest_sentences(abstracts: Sequence[Any], question_vector: np.ndarray, embedder: Any, *,
                      min_words: int = 4) -> list[str]:
    """For each abstract, its sentence nearest the question (verbatim; '' when none).

    Informative sentences (:func:`litscope.text.is_informative`) are preferred; an
    abstract with none offers all its sentences.
    """
    per_paper: list[list[str]] = []
    for abstract in abstracts:
        sentences = split_sentences(abstract) if isinstance(abstract, str) else []
        good = [s for s in sentences if is_informative(s, min_words=min_words)]
        per_paper.append(good or sentences)
    flat = [s for group in per_paper for s in group]
    if not flat:
        return ["" for _ in per_paper]
    sims = _unit(np.asarray(embedder.encode(flat))) @ question_vector
    out, at = [], 0
    for group in per_paper:
        if not group:
            out.append("")
            continue
        scores = sims[at:at + len(group)]
        out.append(group[int(np.argmax(scores))])
        at += len(group)
    return out


def compute_lexical_scores(texts: Sequence[str], question: str, *,
                           feedback: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """The question's plain BM25 and the lexical score after pseudo-relevance feedback.

    Parameters
    ----------
    texts : sequence of str
        The papers' texts (:func:`litscope.screening.bm25.paper_text`).
    question : str
        The research question.
    feedback : bool
        Run the feedback (:mod:`litscope.screening.feedback`); when False, or when the
        corpus is too small for it, the second array is the plain BM25.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        ``bm25`` and ``lexical``, one value per text.

    Examples
    --------
    >>> bm25, lexical = compute_lexical_scores(["software reviews", "pasta"], "software reviews")
    >>> bool(bm25[0] > bm25[1]), bool((lexical == bm25).all())  # two records: too few for feedback
    (True, True)
    """
    tokens = [terms(t) for t in texts]
    q_terms = list(dict.fromkeys(terms(question)))
    bm25 = compute_weighted_bm25(tokens, dict.fromkeys(q_terms, 1.0))
    k = feedback_size(len(texts), int((bm25 > 0).sum())) if feedback else 0
    if not k:
        return bm25, bm25
    expanded = compute_weighted_bm25(tokens, expand_query(tokens, q_terms, bm25, docs_used=k))
    learned = compute_pseudo_labelled_scores(texts, expanded, positives=k)
    return bm25, (expanded if learned is None else learned)


def compute_relevance(papers: pd.DataFrame, question: str, embeddings: np.ndarray | None = None,
                      embedder: Any = "static", *, top_n: int = 50,
                      lexical_weight: float = LEXICAL_WEIGHT, feedback: bool = True) -> pd.DataFrame:
    """Relevance of every paper to the question, with its rank, matched terms and closest sentence.

    Parameters
    ----------
    papers : pandas.DataFrame
        One row per paper in the canonical schema (``id``, ``title``, ``abstract``,
        ``keywords`` are used).
    question : str
        The research question.
    embeddings : numpy.ndarray, optional
        The papers' vectors, row-aligned with ``papers`` (as the review computed them);
        embedded here with ``embedder`` when None.
    embedder : str or embedder
        An embedder object (the one that made ``embeddings``) or a name for
        :func:`litscope.embedders.make_embedder`.
    top_n : int
        How many of the most relevant papers get their closest sentence (the others get '').
    lexical_weight : float
        Weight of the lexical score in the fusion (see the module notes).
    feedback : bool
        Refine the lexical score by pseudo-relevance feedback (see the module notes);
        False ranks by the question's plain BM25 and the cosine.

    Returns
    -------
    pandas.DataFrame
        Row-aligned with ``papers`` (same index): ``id``, ``relevance`` (in [0, 1]),
        ``rank`` (1 = most relevant), ``bm25``, ``cosine``, ``matched_terms`` (list of
        str) and ``closest_sentence`` (verbatim from the abstract, or '').

    Raises
    ------
    ParameterError
        For an empty question or embeddings of the wrong length.
    """
    _check(papers, question, embeddings)
    if isinstance(embedder, str):
        from ..embedders import make_embedder

        embedder = make_embedder(embedder, progress=False)
    if embeddings is None:
        from ..embed import paper_texts

        embeddings = np.asarray(embedder.encode(paper_texts(papers))) if len(papers) else np.zeros((0, 1))
    texts = paper_text(papers)
    q = embed_question(question, embedder)
    cosine = (_unit(embeddings) @ q).astype(np.float64) if len(papers) else np.zeros(0)
    bm25, lexical = compute_lexical_scores(texts, question, feedback=feedback)
    relevance = fuse_percentiles(lexical, cosine, weight=lexical_weight)
    empty = np.array([not t.strip() for t in texts], dtype=bool)
    relevance[empty] = 0.0  # a record without text cannot be judged relevant
    order = np.lexsort((np.arange(len(papers)), -cosine, -relevance))
    rank = np.empty(len(papers), dtype=np.int64)
    rank[order] = np.arange(1, len(papers) + 1)
    out = pd.DataFrame({
        "id": papers["id"].to_numpy() if "id" in papers else np.arange(len(papers)).astype(str),
        "relevance": relevance, "rank": rank, "bm25": bm25, "cosine": cosine,
        "matched_terms": matched_terms(texts, question),
        "closest_sentence": [""] * len(papers)}, index=papers.index)
    top = order[:max(0, int(top_n))]
    if len(top):
        abstracts = papers["abstract"].to_numpy()[top] if "abstract" in papers else [""] * len(top)
        found = closest_sentences(list(abstracts), q, embedder)
        out.iloc[top, out.columns.get_loc("closest_sentence")] = found
    return out


def compute_topic_relevance(relevance: pd.DataFrame, topics: Sequence[Any]) -> pd.DataFrame:
    """How relevant each topic is: the mean relevance of its papers, with counts.

    Parameters
    ----------
    relevance : pandas.DataFrame
        From :func:`compute_relevance`.
    topics : sequence
        The topic of each paper, row-aligned with ``relevance`` (e.g. ``papers["topic"]``).

    Returns
    -------
    pandas.DataFrame
        One row per topic, most relevant first: ``topic``, ``papers``, ``mean_relevance``,
        ``max_relevance``, ``in_top_decile`` (papers ranked in the top 10 %) and
        ``top_paper`` (id of its most relevant paper).

    Examples
    --------
    >>> rel = pd.DataFrame({"id": list("abcd"), "relevance": [0.9, 0.1, 0.8, 0.2],
    ...                     "rank": [1, 4, 2, 3]})
    >>> compute_topic_relevance(rel, [0, 1, 0, 1])[["topic", "papers", "mean_relevance", "top_paper"]]
       topic  papers  mean_relevance top_paper
    0      0       2            0.85         a
    1      1       2            0.15         d
    """
    topics = list(topics)
    if len(topics) != len(relevance):
        raise ParameterError(f"{len(topics)} topic labels for {len(relevance)} papers")
    frame = relevance[["id", "relevance", "rank"]].reset_index(drop=True).copy()
    frame["topic"] = topics
    cutoff = max(1, int(np.ceil(0.1 * len(frame))))
    rows = []
    for topic, group in frame.groupby("topic", sort=True):
        best = group.sort_values(["relevance", "rank"], ascending=[False, True]).iloc[0]
        rows.append({"topic": topic, "papers": len(group),
                     "mean_relevance": round(float(group["relevance"].mean()), 4),
                     "max_relevance": round(float(group["relevance"].max()), 4),
                     "in_top_decile": int((group["rank"] <= cutoff).sum()),
                     "top_paper": best["id"]})
    out = pd.DataFrame(rows, columns=["topic", "papers", "mean_relevance", "max_relevance",
                                      "in_top_decile", "top_paper"])
    return out.sort_values(["mean_relevance", "topic"], ascending=[False, True], kind="stable").reset_index(drop=True)
