"""Pseudo-relevance feedback: let the records that best match the question refine it.

A question is short and names the topic, not how the relevant records are written.
Two classic, label-free steps learn the rest from the corpus itself; both read only
the question and the records, never a reviewer's decision:

1. **RM3 query expansion** (Lavrenko & Croft, 2001; Abdul-Jaleel et al., 2004): the
   ``FEEDBACK_DOCS`` records with the highest BM25 for the question are taken as
   relevant; each of their terms gets ``sum_d P(term | d) * P(d)``, with ``P(term | d)``
   its share of the record's terms and ``P(d)`` the record's BM25 share among them;
   the ``EXPANSION_TERMS`` heaviest terms, normalised, are mixed with the question
   (each of its terms ``1 / |q|``) as ``ORIGINAL_WEIGHT * question + (1 -
   ORIGINAL_WEIGHT) * feedback``, and the corpus is scored again by BM25 with that
   weighted query (:func:`~litscope.screening.bm25.compute_weighted_bm25`).
2. **A pseudo-labelled classifier** (self-training, as in Rocchio's relevance feedback
   with a linear model): the ``FEEDBACK_DOCS`` best records of the expanded query are
   pseudo-positive, the lower half of that ranking pseudo-negative; a logistic
   regression on TF-IDF words (balanced classes, ``C = 1``) then scores every record.
   It learns what the best-matching records share beyond the question's words, so
   records written like them rise, and records that only mention the question's
   words in passing fall.

Both steps fall back to the previous score when the corpus is too small for them
(fewer than ``4 * MIN_FEEDBACK_DOCS`` records, or fewer than ``MIN_FEEDBACK_DOCS``
records matching the question): with ``N`` records, ``min(FEEDBACK_DOCS, N // 4)``
are used as feedback.

The settings were chosen on three labelled sets (Kitchenham 2010, Cohen 2006 ADHD and
Triptans) and checked on the five other Cohen 2006 sets, held out
(``bench/screening_bench.py --only question``, static embedder).  On the tuning sets the
mean ROC AUC of the included records stayed within 0.86-0.88 for RM3 alone over 20 to
100 feedback records and 50 to 300 terms, and within 0.90-0.91 with the classifier over
20 to 100 pseudo-positives, so no value is critical.  Measured with the whole relevance
(:func:`~litscope.screening.relevance.compute_relevance`, lexical weight 0.9): mean ROC
AUC 0.830 -> 0.895 on the tuning sets and 0.663 -> 0.759 on the held-out ones, without ->
with feedback.  It can also cost a little: ADHD went from 0.928 to 0.910.

Examples
--------
>>> from litscope.screening.bm25 import terms
>>> docs = [terms(t) for t in ["agile testing teams", "agile retrospectives", "pasta sauce"]]
>>> w = expand_query(docs, ["agile"], [1.0, 1.0, 0.0], docs_used=2, n_terms=3, original_weight=0.5)
>>> sorted(w, key=w.get, reverse=True)[:1], round(sum(w.values()), 6)
(['agile'], 1.0)
"""

from __future__ import annotations

from collections import Counter
from typing import Sequence

import numpy as np

from ..errors import ParameterError

__all__ = ["FEEDBACK_DOCS", "EXPANSION_TERMS", "ORIGINAL_WEIGHT", "MIN_FEEDBACK_DOCS", "feedback_size",
           "expand_query", "compute_pseudo_labelled_scores"]

#: Records taken as (pseudo-)relevant for both steps (at most a quarter of the corpus).
FEEDBACK_DOCS = 50
#: Terms kept from the feedback records in the expanded query.
EXPANSION_TERMS = 50
#: Weight of the question itself in the expanded query.
ORIGINAL_WEIGHT = 0.2
#: Fewest feedback records for feedback to run at all.
MIN_FEEDBACK_DOCS = 5


def feedback_size(n_records: int, n_matching: int) -> int:
    """How many records feed back: ``min(FEEDBACK_DOCS, n_records // 4, n_matching)``, 0 if too few.

    >>> feedback_size(1000, 300), feedback_size(100, 300), feedback_size(1000, 3)
    (50, 25, 0)
    """
    k = min(FEEDBACK_DOCS, n_records // 4, n_matching)
    return k if k >= MIN_FEEDBACK_DOCS else 0


def expand_query(tokens: Sequence[Sequence[str]], question_terms: Sequence[str], scores: Sequence[float], *,
                 docs_used: int, n_terms: int = EXPANSION_TERMS,
                 original_weight: float = ORIGINAL_WEIGHT) -> dict[str, float]:
    """RM3: the question's terms mixed with the heaviest terms of its best-scoring records.

    Parameters
    ----------
    tokens : sequence of list of str
        Each record's terms (:func:`litscope.screening.bm25.terms`).
    question_terms : sequence of str
        The question's distinct terms.
    scores : sequence of float
        The records' first-pass scores (BM25 of the question); only positive ones feed back.
    docs_used : int
        How many of the best records feed back.
    n_terms : int
        Expansion terms kept.
    original_weight : float
        Weight of the question in the mix, in [0, 1].

    Returns
    -------
    dict
        Term -> weight, summing to 1 (the question alone when nothing feeds back).
    """
    if not 0.0 <= original_weight <= 1.0:
        raise ParameterError(f"the question's weight in the expanded query must be in [0, 1], not {original_weight!r}")
    q_terms = list(dict.fromkeys(question_terms))
    weights = {t: 1.0 / len(q_terms) for t in q_terms} if q_terms else {}
    s = np.asarray(scores, dtype=np.float64)
    order = np.argsort(-s, kind="stable")[:max(0, int(docs_used))]
    order = order[s[order] > 0]
    if not len(order) or original_weight == 1.0:
        return weights
    doc_weight = s[order] / s[order].sum()
    relevance_model: Counter[str] = Counter()
    for i, w in zip(order, doc_weight):
        toks = tokens[i]
        if not toks:
            continue
        for term, count in Counter(toks).items():
            relevance_model[term] += float(w) * count / len(toks)
    top = sorted(relevance_model.items(), key=lambda kv: (-kv[1], kv[0]))[:max(0, int(n_terms))]
    total = sum(v for _, v in top)
    if total <= 0:
        return weights
    mixed = {t: original_weight * w for t, w in weights.items()}
    for term, value in top:
        mixed[term] = mixed.get(term, 0.0) + (1 - original_weight) * value / total
    if not weights:  # no question term at all: the feedback alone (cannot happen with positive scores)
        mixed = {t: v / (1 - original_weight) for t, v in mixed.items()}
    return mixed


def compute_pseudo_labelled_scores(texts: Sequence[str], scores: Sequence[float], *, positives: int,
                                   c: float = 1.0) -> np.ndarray | None:
    """Scores of a logistic regression trained on the best records (1) against the lower half (0).

    Parameters
    ----------
    texts : sequence of str
        The records' texts (title, abstract, keywords).
    scores : sequence of float
        The ranking to learn from (e.g. the expanded query's BM25); its ``positives``
        best records with a positive score are pseudo-positive, the records ranked in
        its lower half pseudo-negative.
    positives : int
        How many best records are pseudo-positive.
    c : float
        Inverse regularisation of the logistic regression.

    Returns
    -------
    numpy.ndarray or None
        The decision function for every record (higher = more like the best ones), or
        None when there are too few records of either kind to learn from.

    Examples
    --------
    >>> texts = [f"agile team retrospective {i}" for i in range(6)] + [f"pasta sauce recipe {i}" for i in range(6)]
    >>> s = compute_pseudo_labelled_scores(texts, [5, 4, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0], positives=3)
    >>> bool(s[3] > s[9])  # an unscored agile record now scores above a pasta one
    True
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    s = np.asarray(scores, dtype=np.float64)
    n = len(s)
    if len(texts) != n:
        raise ParameterError(f"{len(texts)} texts for {n} scores")
    order = np.argsort(-s, kind="stable")
    pos = order[:max(0, int(positives))]
    pos = pos[s[pos] > 0]
    neg = np.setdiff1d(order[n - n // 2:], pos)
    if len(pos) < 2 or len(neg) < 2:
        return None
    vectorizer = TfidfVectorizer(sublinear_tf=True, min_df=2 if n >= 20 else 1, stop_words="english",
                                 dtype=np.float64)
    try:
        x = vectorizer.fit_transform(list(texts))
    except ValueError:  # no word at all
        return None
    rows = np.concatenate([pos, neg])
    y = np.concatenate([np.ones(len(pos)), np.zeros(len(neg))])
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=1000)
    model.fit(x[rows], y)
    return model.decision_function(x).astype(np.float64)
