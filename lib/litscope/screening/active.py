"""Active learning: the unscreened records in the order a model trained on the decisions puts them.

Features (:func:`compute_features`): TF-IDF of words and word pairs of title,
abstract and keywords (sublinear tf, English stop words, terms in at least two
records, L2-normalised rows).  The paper's sentence embedding can be appended
(``embedding_weight``), but by default it is not: on four benchmark sets
(ADHD, Triptans, Urinary Incontinence, Antihistamines; static embedder) words
alone gave a mean WSS@95 of 0.509 against 0.490 with a half-weight embedding
and 0.441 with a full one.  The embeddings still steer the order through the
question's relevance (below).

Model (:class:`ActiveLearner`): a logistic regression (liblinear, ``C = 1``;
``C = 0.1`` and ``10`` did worse on those sets) with class weights balanced,
because included records are rare (2-13 % in the benchmark sets) and an
unweighted model ranks nearly all of them low.  Query strategy: most probable
first ("max", as ASReview's default).  The research question is a
pseudo-positive training row (its TF-IDF) before the first decision and after,
so the model never forgets what the review is about.

Before the model can be fitted (no excluded record yet) the order is the
question's relevance (:func:`litscope.screening.relevance.compute_relevance`);
without a question, a seeded random order.  Once fitted, the order is
``(1 - w) * percentile(probability) + w * percentile(relevance)`` with
``w = 0.3 * max(0, 2 AUC - 1)`` (:data:`PRIOR_WEIGHT`, :meth:`ActiveLearner.prior_trust`),
where AUC is that of the relevance on the records decided so far: the question
keeps a say as long as the reviewer's decisions agree with it, and none when it
ranks them no better than chance.  History, for honesty: a fixed ``w = 0.3`` was
chosen on the four sets above (mean WSS@95 0.521 against 0.509 with ``w = 0``) and
then lost to ASReview's default on the four other sets (0.411 against 0.458),
where the question alone ranks poorly (ROC AUC 0.56-0.61); the agreement-scaled
weight was made after seeing that (0.504 on the first four, 0.457 on the others),
so those four are no longer held out.  The model is refitted when a record
is included, and otherwise whenever the number of decisions has grown by 10 %
since the last fit (and at least by one), which keeps a 3,000-record replay to a
few dozen fits.

Stopping estimate (:func:`estimate_remaining`): the expected number of relevant
records among the unscreened, the sum of their probabilities after a prior
correction (the balanced weights train as if half the decisions were inclusions,
so each probability's odds are multiplied by ``included / excluded`` of the
decisions).  The decided records are an enriched sample (screened most-probable
first), so the correction overstates the base rate and the estimate errs on the
side of too many remaining.  It is a heuristic, not a confidence bound.
A second heuristic, :func:`estimate_remaining_recent`, needs the decisions in
screening order: the inclusion rate of the last 5 % (at least 20) decisions times
the records left.  The benchmark reports both at 95 % recall.

Examples
--------
>>> round(estimate_remaining([0.5, 0.5, 0.9], included=1, excluded=9), 3)
0.7
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..errors import ParameterError
from .bm25 import paper_text

__all__ = ["C", "EMBEDDING_WEIGHT", "PRIOR_WEIGHT", "REFIT_GROWTH", "Features", "compute_features", "ActiveLearner", "estimate_remaining",
           "estimate_remaining_recent", "recent_window", "Priority", "compute_priority"]

#: Regularisation of the logistic regression (inverse strength).
C = 1.0
#: Refit when the decisions grew by this share since the last fit (always on a new inclusion).
REFIT_GROWTH = 0.10
#: Norm of a row's embedding half (its TF-IDF half has norm 1); 0 leaves the embeddings out.
EMBEDDING_WEIGHT = 0.0
#: Weight of the question's relevance percentile in the order once a model is fitted, at full
#: agreement of the decisions with it (scaled by :meth:`ActiveLearner.prior_trust`).
PRIOR_WEIGHT = 0.3


@dataclass
class Features:
    """Rows of features: one per paper, then the question's row when there is a question."""

    matrix: sp.csr_matrix
    n_papers: int
    has_question: bool

    @property
    def question_row(self) -> int | None:
        return self.n_papers if self.has_question else None


def _unit(m: np.ndarray) -> np.ndarray:
    m = np.asarray(m, dtype=np.float64)
    norms = np.linalg.norm(m, axis=-1, keepdims=True)
    return m / np.where(norms > 0, norms, 1.0)


def compute_features(papers: pd.DataFrame, embeddings: np.ndarray | None = None, question: str | None = None,
                     question_vector: np.ndarray | None = None, *,
                     embedding_weight: float | None = None) -> Features:
    """TF-IDF (words and pairs) beside the unit embedding, for each paper and the question.

    Parameters
    ----------
    papers : pandas.DataFrame
        Canonical papers.
    embeddings : numpy.ndarray, optional
        Row-aligned paper vectors; TF-IDF alone when None.
    question : str, optional
        The research question: adds a last row.
    question_vector : numpy.ndarray, optional
        The question's embedding (same embedder as ``embeddings``); zeros when None.
    embedding_weight : float, optional
        Norm of the embedding half of a row (:data:`EMBEDDING_WEIGHT` when None).
    """
    weight = EMBEDDING_WEIGHT if embedding_weight is None else float(embedding_weight)
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = paper_text(papers)
    min_df = 2 if len(texts) >= 20 else 1
    vec = TfidfVectorizer(sublinear_tf=True, min_df=min_df, ngram_range=(1, 2), stop_words="english",
                          dtype=np.float64)
    try:
        words = vec.fit_transform(texts)
    except ValueError:  # no term at all (empty texts)
        words = sp.csr_matrix((len(texts), 1))
        vec = None
    blocks = [words]
    if question:
        blocks = [sp.vstack([words, vec.transform([question]) if vec is not None else sp.csr_matrix((1, words.shape[1]))])]
    if embeddings is not None and weight > 0:
        if len(embeddings) != len(papers):
            raise ParameterError(f"embeddings have {len(embeddings)} rows but there are {len(papers)} papers")
        dense = _unit(embeddings)
        if question:
            q = np.zeros((1, dense.shape[1])) if question_vector is None else _unit(question_vector).reshape(1, -1)
            dense = np.vstack([dense, q])
        blocks.append(sp.csr_matrix(weight * dense))
    return Features(sp.hstack(blocks, format="csr"), len(papers), bool(question))


def estimate_remaining(probabilities: Sequence[float], *, included: int, excluded: int) -> float:
    """Expected relevant records among the unscreened (see the module notes for the method).

    >>> estimate_remaining([0.5] * 10, included=5, excluded=5)
    5.0
    """
    p = np.clip(np.asarray(probabilities, dtype=np.float64), 1e-12, 1 - 1e-12)
    if included == 0 or excluded == 0 or len(p) == 0:
        return float(p.sum()) if len(p) else 0.0
    odds = p / (1 - p) * (included / excluded)
    return float((odds / (1 + odds)).sum())


def estimate_remaining_recent(recent_labels: Sequence[int], unscreened: int) -> float:
    """Relevant records left, from the inclusion rate of the most recent decisions.

    ``rate * unscreened``, where ``rate`` is the share of inclusions among ``recent_labels``
    (the last decisions, in screening order; :func:`recent_window` says how many). Since
    screening goes most-probable first, the recent rate bounds the rate of what is left from
    above while the ranking is good: a stated heuristic, not a confidence bound.

    >>> estimate_remaining_recent([0] * 19 + [1], 100)
    5.0
    """
    labels = np.asarray(recent_labels, dtype=np.float64)
    return float(labels.mean() * unscreened) if len(labels) else float(unscreened)


def recent_window(screened: int) -> int:
    """How many of the last decisions :func:`estimate_remaining_recent` looks at: 5 %, at least 20.

    >>> recent_window(100), recent_window(1000)
    (20, 50)
    """
    return max(20, math.ceil(0.05 * screened))


class ActiveLearner:
    """Ranks unscreened records from the decisions made so far (see the module notes).

    Parameters
    ----------
    features : Features
        From :func:`compute_features`.
    prior : sequence of float, optional
        A score per paper used before the model can be fitted (the question's relevance).
    seed : int
        Seeds the random order (no question) and breaks ties.
    c : float
        Inverse regularisation of the logistic regression.
    prior_weight : float
        Weight of the prior's percentile in the order once the model is fitted.
    """

    def __init__(self, features: Features, prior: Sequence[float] | None = None, *, seed: int = 0,
                 c: float = C, prior_weight: float = PRIOR_WEIGHT) -> None:
        self.features = features
        self.n = features.n_papers
        rng = np.random.default_rng(seed)
        self._tiebreak = rng.permutation(self.n)  # lower wins among equal scores
        self.prior = None if prior is None else np.asarray(prior, dtype=np.float64)
        self.c = c
        self.prior_weight = prior_weight
        self.fits = 0
        self.model: Any = None

    def _order(self, scores: np.ndarray, candidates: np.ndarray) -> np.ndarray:
        return candidates[np.lexsort((self._tiebreak[candidates], -scores[candidates]))]

    def scores(self, labelled: Sequence[int], labels: Sequence[int]) -> tuple[np.ndarray, bool]:
        """A probability of inclusion per paper (the prior's score before a fit) and whether a model made it.

        ``labelled`` are paper rows decided so far, ``labels`` their 1 (include) / 0 (exclude).
        """
        idx = np.asarray(labelled, dtype=np.int64)
        y = np.asarray(labels, dtype=np.int64)
        rows, targets = idx, y
        q = self.features.question_row
        if q is not None:
            rows, targets = np.append(idx, q), np.append(y, 1)
        if len(set(targets.tolist())) < 2:
            if self.prior is not None:
                return self.prior.copy(), False
            positives = idx[y == 1]
            if len(positives):  # no question, no exclusion yet: nearest to the inclusions
                centre = np.asarray(self.features.matrix[positives].mean(axis=0)).ravel()
                return np.asarray(self.features.matrix[: self.n] @ centre).ravel(), False
            return -self._tiebreak.astype(np.float64), False
        from sklearn.linear_model import LogisticRegression

        model = LogisticRegression(C=self.c, class_weight="balanced", solver="liblinear", max_iter=1000)
        model.fit(self.features.matrix[rows], targets)
        self.model = model
        self.fits += 1
        return model.predict_proba(self.features.matrix[: self.n])[:, 1], True

    def prior_trust(self, labelled: Sequence[int], labels: Sequence[int]) -> float:
        """How far the decisions so far agree with the prior: ``max(0, 2 AUC - 1)`` of its scores.

        1 before both decisions exist (nothing contradicts the prior yet); 0 without a prior or
        when the prior ranks the decided records no better than chance.
        """
        if self.prior is None:
            return 0.0
        y = np.asarray(labels, dtype=np.int64)
        if len(set(y.tolist())) < 2:
            return 1.0
        from sklearn.metrics import roc_auc_score

        auc = roc_auc_score(y, self.prior[np.asarray(labelled, dtype=np.int64)])
        return float(max(0.0, 2 * auc - 1))

    def rank(self, labelled: Sequence[int], labels: Sequence[int]) -> tuple[np.ndarray, np.ndarray, bool]:
        """Unlabelled rows, first to screen first, with their scores and whether a model made them.

        The scores are the model's probabilities when it was fitted (the order then also weighs
        the prior, see the module notes), else the prior's scores.
        """
        scores, fitted = self.scores(labelled, labels)
        mask = np.ones(self.n, dtype=bool)
        mask[np.asarray(labelled, dtype=np.int64)] = False
        candidates = np.flatnonzero(mask)
        key = scores
        weight = self.prior_trust(labelled, labels) * self.prior_weight if fitted else 0.0
        if weight > 0:
            from .relevance import _percentile

            key = (1 - weight) * _percentile(scores) + weight * _percentile(self.prior)
        order = self._order(key, candidates)
        return order, scores[order], fitted


@dataclass
class Priority:
    """Unscreened records in priority order, and how many relevant ones probably remain.

    Attributes
    ----------
    queue : pandas.DataFrame
        ``id``, ``priority`` (1 = screen first), ``score`` (probability of inclusion when a
        model was fitted, else the prior score) for every undecided paper.
    remaining : float or None
        The stopping estimate (None before a model could be fitted).
    method : str
        How the order and the estimate were made, in words.
    """

    queue: pd.DataFrame
    remaining: float | None
    method: str


def compute_priority(papers: pd.DataFrame, decisions: Sequence[str], *, question: str | None = None,
                     embeddings: np.ndarray | None = None, embedder: Any = "static",
                     relevance: Sequence[float] | None = None, seed: int = 0) -> Priority:
    """Order the undecided papers for screening, from the decisions made so far.

    Parameters
    ----------
    papers : pandas.DataFrame
        Canonical papers.
    decisions : sequence of str
        Row-aligned ``include``/``exclude``/``maybe``/'' (e.g. ``apply_decisions(...).table["decision"]``);
        ``maybe`` trains as an inclusion (a maybe goes on to full-text screening) and is not queued.
    question : str, optional
        The research question (relevance before the first exclusion; a pseudo-positive after).
    embeddings : numpy.ndarray, optional
        Row-aligned paper vectors (embedded with ``embedder`` when None and a question is set).
    embedder : str or embedder
        Embeds the question (and the papers when ``embeddings`` is None).
    relevance : sequence of float, optional
        Precomputed relevance to the question (computed when None and a question is set; then
        ties are broken as :func:`~litscope.screening.relevance.compute_relevance` ranks them).
    seed : int
        Random order without a question; tie-breaks.
    """
    decisions = ["" if d is None or (isinstance(d, float) and d != d) else str(d) for d in decisions]
    if len(decisions) != len(papers):
        raise ParameterError(f"{len(decisions)} decisions for {len(papers)} papers")
    qvec = None
    if question:
        from .relevance import compute_relevance, embed_question

        if isinstance(embedder, str):
            from ..embedders import make_embedder

            embedder = make_embedder(embedder, progress=False)
        if embeddings is None:
            from ..embed import paper_texts

            embeddings = np.asarray(embedder.encode(paper_texts(papers)))
        qvec = embed_question(question, embedder)
        if relevance is None:
            rel = compute_relevance(papers, question, embeddings, embedder, top_n=0)
            relevance = (len(papers) - rel["rank"].to_numpy()).astype(np.float64)  # ties as ranked
    features = compute_features(papers, embeddings, question, qvec)
    learner = ActiveLearner(features, relevance, seed=seed)
    labelled = [i for i, d in enumerate(decisions) if d in ("include", "exclude", "maybe")]
    labels = [0 if decisions[i] == "exclude" else 1 for i in labelled]
    order, scores, fitted = learner.rank(labelled, labels)
    ids = papers["id"].to_numpy() if "id" in papers else np.arange(len(papers)).astype(str)
    queue = pd.DataFrame({"id": ids[order], "priority": np.arange(1, len(order) + 1), "score": scores})
    if fitted:
        inc, exc = sum(labels), len(labels) - sum(labels)
        remaining = estimate_remaining(scores, included=inc, excluded=exc)
        method = ("logistic regression on TF-IDF, balanced classes, trained on "
                  f"{inc} included and {exc} excluded records" + (" and the question" if question else "")
                  + "; remaining = sum of prior-corrected probabilities of the unscreened")
    else:
        remaining = None
        method = ("relevance to the question (no exclusion yet to train on)" if relevance is not None
                  else "random order (seeded; no question and not both decisions yet)")
    return Priority(queue, remaining, method)
