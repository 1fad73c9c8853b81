"""A memory-light word index of the corpus for the label engine (same answers as ``labels._Corpus``).

``labels._Corpus`` keeps, per text, its token list, its set of distinct words and, per word,
a Python set of the texts holding it.  At 100,000 abstracts that is about 2.5 GB (every
lower-cased token a separate string, one hash set per text and per word), more than the
rest of the topic step together.  :class:`WordIndex` answers the same questions from

* one string per text, ``" w1 w2 | w3 "`` (what ``_Corpus._text`` builds lazily anyway),
* per word, a sorted ``int32`` array of the texts holding it,

about a tenth of the memory, and builds the per-text word sets only when asked.
"""

from __future__ import annotations

import sys
from typing import Sequence

import numpy as np

from .labels import _CORPUS_TOKEN, _Corpus

_NONE = np.zeros(0, dtype=np.int32)


class _WordSets(Sequence):
    """``sets[d]``: the distinct tokens of text ``d`` (``"|"`` included, as ``_Corpus.sets``)."""

    def __init__(self, joined: list[str]) -> None:
        self._joined = joined

    def __len__(self) -> int:
        return len(self._joined)

    def __getitem__(self, d):  # type: ignore[override]
        if isinstance(d, slice):
            return [set(j.split()) for j in self._joined[d]]
        return set(self._joined[d].split())


class WordIndex(_Corpus):
    """Word-level view of the corpus for label scoring, with compact storage.

    Tokens and lower-casing are ``labels._Corpus``'s (its token pattern, punctuation
    as ``"|"``); :meth:`docs_with`, :meth:`next_word`, ``sets`` and ``n`` give the same
    results.

    Examples
    --------
    >>> c = WordIndex(["Deep learning of proteins.", "deep learning, galaxies", "Galaxies"])
    >>> sorted(c.docs_with(["deep", "learning"])), sorted(c.docs_with(["galaxies"]))
    ([0, 1], [1, 2])
    >>> sorted(c.sets[1]), c.n
    (['deep', 'galaxies', 'learning', '|'], 3)
    """

    def __init__(self, texts: Sequence[str]) -> None:  # noqa: D107 - the class says it
        find = _CORPUS_TOKEN.findall
        intern = sys.intern
        joined: list[str] = []
        postings: dict[str, list[int]] = {}
        for i, text in enumerate(texts):
            seq = [intern(tok.lower()) if tok[0].isalnum() else "|" for tok in find(text or "")]
            joined.append(" " + " ".join(seq) + " ")
            for w in set(seq):
                postings.setdefault(w, []).append(i)
        postings.pop("|", None)
        # texts are numbered in order, so every posting list is already sorted
        self.index = {w: np.asarray(ids, dtype=np.int32) for w, ids in postings.items()}  # type: ignore[assignment]
        del postings
        self.n = len(joined)
        self._joined = joined  # type: ignore[assignment]
        self.sets = _WordSets(joined)  # type: ignore[assignment]
        self._docs_memo = {}

    @property
    def seqs(self) -> list[list[str]]:  # type: ignore[override]
        """Token lists, rebuilt on demand (kept only as one string per text)."""
        return [j.split() for j in self._joined]

    def docs_with(self, words: Sequence[str]) -> set[int]:
        """Texts holding every word (the returned set is shared: do not change it)."""
        key = tuple(words)
        out = self._docs_memo.get(key)
        if out is not None:
            return out
        arrays = sorted((self.index.get(w, _NONE) for w in key), key=len)
        if not arrays:
            out = set()
        else:
            common = arrays[0]
            for other in arrays[1:]:
                if not len(common):
                    break
                common = np.intersect1d(common, other, assume_unique=True)
            out = set(common.tolist())
        self._docs_memo[key] = out
        return out

    def _text(self, d: int) -> str:
        return self._joined[d]  # type: ignore[return-value]


__all__ = ["WordIndex"]
