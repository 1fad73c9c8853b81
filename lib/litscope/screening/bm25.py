"""Exact Okapi BM25 of a question against papers, in numpy and scipy.

Terms are the lower-case words of :func:`litscope.wordlists.words` without English
function words, with a light plural folding (``studies`` -> ``study``,
``reviews`` -> ``review``), so a question and an abstract meet on the same
forms.  A paper's text is its title, abstract and keywords.  The score is the
textbook BM25 (Robertson & Zaragoza, 2009) with the non-negative idf
``log(1 + (N - df + 0.5) / (df + 0.5))``; a question term counts once however often
the question repeats it.  ``k1 = 0.9`` and ``b = 0.4`` are Anserini's defaults for
abstract-length documents (Lin et al., 2016): a title-and-abstract record is short, so
term frequency saturates early and length matters less than for full text.

:func:`compute_weighted_bm25` scores a *weighted* query (term -> weight), as the
expanded query of :mod:`litscope.screening.feedback`.

Examples
--------
>>> terms("Systematic reviews of the studies in software engineering")
['systematic', 'review', 'study', 'software', 'engineering']
>>> scores = compute_bm25(["software engineering reviews", "cooking pasta", "software"],
...                       "systematic reviews in software engineering")
>>> [round(float(s), 3) for s in scores]
[2.221, 0.0, 0.519]
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..missing import joined_text
from ..wordlists import STOP_WORDS, words

__all__ = ["K1", "B", "terms", "paper_text", "compute_bm25", "compute_weighted_bm25", "matched_terms"]

#: Term-frequency saturation (Anserini's default).
K1 = 0.9
#: Length normalisation (Anserini's default).
B = 0.4


def _fold(word: str) -> str:
    """A light English plural folding (no stemmer dependency, predictable for a reader)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "'s")):
        return word[:-1]
    if word.endswith(("'s", "\u2019s")):
        return word[:-2]
    return word


def terms(text: Any) -> list[str]:
    """The indexed terms of ``text``, in order (function words dropped, plurals folded).

    >>> terms("The effects of NSAIDs on children's pain")
    ['effect', 'nsaid', 'children', 'pain']
    """
    return [_fold(w) for w in words(text) if w not in STOP_WORDS and len(w) > 1]


def _clean(value: Any) -> str:
    return joined_text(value, "; ")


def paper_text(papers: pd.DataFrame) -> list[str]:
    """Title, abstract and keywords of each paper as one text (missing parts left out).

    >>> paper_text(pd.DataFrame({"title": ["A"], "abstract": [None], "keywords": [["x", "y"]]}))
    ['A\\nx; y']
    """
    cols = [c for c in ("title", "abstract", "keywords") if c in papers]
    out = []
    for row in zip(*(papers[c] for c in cols)) if cols else [()] * len(papers):
        out.append("\n".join(t for t in (_clean(v) for v in row) if t))
    return out


def _counts(tokens: Sequence[Sequence[str]], vocab: dict[str, int]) -> sp.csr_matrix:
    """Term counts of tokenised texts restricted to ``vocab`` (documents x vocab)."""
    rows, cols = [], []
    for i, toks in enumerate(tokens):
        for t in toks:
            j = vocab.get(t)
            if j is not None:
                rows.append(i)
                cols.append(j)
    data = np.ones(len(rows), dtype=np.float64)
    m = sp.csr_matrix((data, (rows, cols)), shape=(len(tokens), len(vocab)))
    m.sum_duplicates()
    return m


def compute_weighted_bm25(tokens: Sequence[Sequence[str]], weights: dict[str, float], *, k1: float = K1,
                          b: float = B) -> np.ndarray:
    """BM25 of a weighted query: ``sum_t weight_t * idf_t * saturated tf_t`` for each document.

    Parameters
    ----------
    tokens : sequence of list of str
        Each document's :func:`terms` (tokenised once by the caller).
    weights : dict
        Query term -> weight (1 for each term of a plain query).
    k1, b : float
        BM25 parameters.

    Returns
    -------
    numpy.ndarray
        ``float64`` scores, one per document (0 where no query term occurs).

    Examples
    --------
    >>> docs = [terms("agile agile testing"), terms("testing"), terms("pasta")]
    >>> [round(float(s), 3) for s in compute_weighted_bm25(docs, {"agile": 1.0, "testing": 0.5})]
    [1.373, 0.254, 0.0]
    """
    n = len(tokens)
    q_terms = [t for t, w in weights.items() if w > 0]
    if not q_terms or n == 0:
        return np.zeros(n)
    vocab = {t: j for j, t in enumerate(q_terms)}
    w = np.array([weights[t] for t in q_terms], dtype=np.float64)
    tf = _counts(tokens, vocab).toarray()
    lengths = np.array([len(t) for t in tokens], dtype=np.float64)
    avg = lengths.mean() if lengths.mean() > 0 else 1.0
    df = (tf > 0).sum(axis=0)
    idf = np.log1p((n - df + 0.5) / (df + 0.5))
    denom = tf + k1 * (1 - b + b * lengths[:, None] / avg)
    return (tf * (k1 + 1) / np.where(denom > 0, denom, 1.0)) @ (idf * w)


def compute_bm25(texts: Sequence[str], question: str, *, k1: float = K1, b: float = B) -> np.ndarray:
    """BM25 score of every text for the question (0 where no question term occurs).

    Parameters
    ----------
    texts : sequence of str
        The documents (e.g. :func:`paper_text`).
    question : str
        The query.
    k1, b : float
        BM25 parameters.

    Returns
    -------
    numpy.ndarray
        ``float64`` scores, one per text.
    """
    weights = dict.fromkeys(terms(question), 1.0)
    return compute_weighted_bm25([terms(t) for t in texts], weights, k1=k1, b=b)


def matched_terms(texts: Sequence[str], question: str) -> list[list[str]]:
    """The question's terms that occur in each text, in the question's order.

    >>> matched_terms(["Software reviews", "Pasta"], "systematic reviews of software")
    [['review', 'software'], []]
    """
    q_terms = list(dict.fromkeys(terms(question)))
    out = []
    for text in texts:
        present = set(terms(text))
        out.append([t for t in q_terms if t in present])
    return out
