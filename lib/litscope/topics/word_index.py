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
from array import array
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
        # 4-byte machine ints while collecting: a list of Python ints took ~9x that at 100k papers
        postings: dict[str, array] = {}
        for i, text in enumerate(texts):
            seq = [intern(tok.lower()) if tok[0].isalnum() else "|" for tok in find(text or "")]
            joined.append(" " + " ".join(seq) + " ")
            for w in set(seq):
                ids = postings.get(w)
                if ids is None:
                    ids = postings[w] = array("i")
                ids.append(i)
        postings.pop("|", None)
        # texts are numbered in order, so every posting list is already sorted
        self.index = {w: np.frombuffer(ids, dtype=np.int32) if len(ids) else _NONE  # type: ignore[assignment]
                      for w, ids in postings.items()}
        del postings
        self.n = len(joined)
        self._joined = joined  # type: ignore[assignment]
        self.sets = _WordSets(joined)  # type: ignore[assignment]
        #: word tuple -> sorted int32 rows (a Python set of ints is ~16x larger; queries repeat)
        self._rows_memo: dict[tuple[str, ...], np.ndarray] = {}

    @property
    def seqs(self) -> list[list[str]]:  # type: ignore[override]
        """Token lists, rebuilt on demand (kept only as one string per text)."""
        return [j.split() for j in self._joined]

    def rows_with(self, words: Sequence[str]) -> np.ndarray:
        """Texts holding every word, as a sorted ``int32`` array (shared: do not change it)."""
        key = tuple(words)
        out = self._rows_memo.get(key)
        if out is not None:
            return out
        arrays = sorted((self.index.get(w, _NONE) for w in key), key=len)
        if not arrays:
            out = _NONE
        else:
            common = arrays[0]
            for other in arrays[1:]:
                if not len(common):
                    break
                common = np.intersect1d(common, other, assume_unique=True)
            out = common
        self._rows_memo[key] = out
        return out

    def docs_with(self, words: Sequence[str]) -> set[int]:
        """Texts holding every word (a new set each call; :meth:`rows_with` is the compact form)."""
        return set(self.rows_with(words).tolist())

    def member_rows(self, members: set[int]) -> np.ndarray:
        """``members`` as a boolean row mask, what :meth:`count_in` and :meth:`next_word` read.

        >>> WordIndex(["a b", "b", "c"]).member_rows({0, 2}).tolist()
        [True, False, True]
        """
        mask = np.zeros(self.n, dtype=bool)
        mask[np.fromiter(members, dtype=np.int64, count=len(members))] = True
        return mask

    def count(self, words: Sequence[str]) -> int:
        """Number of texts holding every word."""
        return len(self.rows_with(words))

    def count_in(self, words: Sequence[str], members) -> int:
        """Number of texts among ``members`` (a row mask from :meth:`member_rows`, or a set) holding every word.

        >>> c = WordIndex(["deep learning", "deep sea", "learning"])
        >>> c.count_in(["deep"], c.member_rows({1, 2})), c.count_in(["learning"], {0, 2}), c.count(["deep"])
        (1, 2, 2)
        """
        rows = self.rows_with(words)
        if not isinstance(members, np.ndarray):
            members = self.member_rows(members)
        return int(np.count_nonzero(members[rows]))

    def _member_docs(self, words: Sequence[str], members) -> list[int]:
        rows = self.rows_with(words)
        if not isinstance(members, np.ndarray):
            members = self.member_rows(members)
        return rows[members[rows]].tolist()

    def _text(self, d: int) -> str:
        return self._joined[d]  # type: ignore[return-value]


__all__ = ["WordIndex"]
