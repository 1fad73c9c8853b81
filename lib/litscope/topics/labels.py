"""Text helpers of the label engine: display case, title spans, the corpus word index and word spread."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, Iterable, Sequence

from ..wordlists import word_pattern
from .vocabulary import VAGUE_LABEL_WORDS, _edge_words, english_stop_words

# Label words join runs with ASCII hyphens and apostrophes only (no curly apostrophe).
_WORD = word_pattern(joiners="-'")
_SEGMENT_SPLIT = re.compile(r"\s*(?:[:;,?!()\[\]{}\"“”|/]|\s[-–—]\s|\.\s)\s*")


_CASE_TOKEN = word_pattern(start="letter", joiners="-'", other="[.!?:;]")
_SENTENCE_END = frozenset(".!?:;")


def _case_map(texts: Iterable[str]) -> dict[str, str]:
    """Most common spelling of each word away from sentence starts (keeps 'LLM', 'English')."""
    forms: Counter = Counter()
    for text in texts:
        toks = _CASE_TOKEN.findall(text or "")
        # a word counts unless it starts the text or follows a sentence end
        forms.update(tok for prev, tok in zip(["."] + toks, toks)
                     if prev not in _SENTENCE_END and tok not in _SENTENCE_END)
    counts: dict[str, list[tuple[str, int]]] = {}
    for form, c in forms.items():  # first-seen order, so ties go to the earliest spelling
        counts.setdefault(form.lower(), []).append((form, c))
    out = {}
    for key, seen in counts.items():
        form = max(seen, key=lambda fc: fc[1])[0]
        # "Oxides" written in a capitalised heading somewhere is still "oxides"
        if form[:1].isupper() and form[1:] == form[1:].lower() and forms.get(key, 0) > 0:
            form = key
        out[key] = form
    return out


def _display_word(word: str, case: dict[str, str]) -> str:
    if word.lower() in case:
        return case[word.lower()]
    # Title-cased words from titles become lower case; acronyms and CamelCase stay.
    if word[:1].isupper() and word[1:] == word[1:].lower():
        return word.lower()
    return word


def tidy_label(words: Sequence[str], case: dict[str, str] | None = None) -> str:
    """A label from words: first letter upper case, no stop words at the ends, no repeats.

    >>> tidy_label(["the", "Vocabulary", "Expansion", "for", "Cross-lingual", "Transfer", "of"])
    'Vocabulary expansion for cross-lingual transfer'
    >>> tidy_label(["LLM", "agents", "agents"])
    'LLM agents'
    """
    case = case or {}
    stops = _edge_words()
    seen: set[str] = set()
    out: list[str] = []
    for w in words:
        if w.lower() in seen:
            continue
        seen.add(w.lower())
        out.append(_display_word(w, case))
    while out and out[0].lower() in stops:
        out.pop(0)
    while out and out[-1].lower() in stops:
        out.pop()
    if not out:
        return ""
    first = out[0]
    out[0] = first[:1].upper() + first[1:]
    return " ".join(out)


def _is_good_span(words: Sequence[str], edges: frozenset[str]) -> bool:
    """2-6 words, no edge word at either end, no repeated word, at least two content words."""
    if not 2 <= len(words) <= 6:
        return False
    low = [w.lower() for w in words]
    if low[0] in edges or low[-1] in edges or len(set(low)) != len(low):
        return False
    if not low[0][0].isalpha() or not low[-1][0].isalpha():  # "2 diabetes", "type 2"
        return False
    return sum(w not in edges and w[0].isalpha() for w in low) >= 2


def _title_spans(title: str, edges: frozenset[str]) -> list[tuple[tuple[str, ...], bool]]:
    """Word spans of 2-6 words inside title segments (split at colons, commas, dashes).

    Each span comes with whether it ends where a phrase ends (segment end or
    before a function word), so a label is not cut in the middle of a noun phrase.
    """
    english = english_stop_words()
    spans = []
    for segment in _SEGMENT_SPLIT.split(title or ""):
        words = _WORD.findall(segment)
        for i in range(len(words)):
            for j in range(i + 2, min(len(words), i + 6) + 1):
                if _is_good_span(words[i:j], edges):
                    clean_end = j == len(words) or words[j].lower() in english
                    clean_start = i == 0 or words[i - 1].lower() in english
                    spans.append((tuple(words[i:j]), clean_end and clean_start))
    return spans


_CORPUS_TOKEN = word_pattern(joiners="-'", other=r"[^\sA-Za-z0-9]")


class _Corpus:
    """Word-level view of the corpus for label scoring: token sequences and an inverted index."""

    def __init__(self, texts: Sequence[str]) -> None:
        # punctuation stays in the sequences as "|", so nothing "follows" across a bracket or comma
        find = _CORPUS_TOKEN.findall
        self.seqs = [[tok.lower() if tok[0].isalnum() else "|" for tok in find(t or "")] for t in texts]
        #: the distinct words of each text
        self.sets = [set(seq) for seq in self.seqs]
        self.index: dict[str, set[int]] = {}
        for i, words in enumerate(self.sets):
            for w in words:
                self.index.setdefault(w, set()).add(i)
        self.index.pop("|", None)
        self.n = len(texts)
        # " w1 w2 ... " per text: phrase occurrences are found by str.find, not a Python loop
        self._joined: list[str | None] = [None] * len(self.seqs)
        self._docs_memo: dict[tuple[str, ...], set[int]] = {}

    def docs_with(self, words: Sequence[str]) -> set[int]:
        """Texts holding every word (the returned set is shared: do not change it)."""
        key = tuple(words)
        out = self._docs_memo.get(key)
        if out is not None:
            return out
        sets = sorted((self.index.get(w, set()) for w in key), key=len)
        if not sets:
            out = set()
        else:
            out = set(sets[0])
            for other in sets[1:]:
                out &= other
        self._docs_memo[key] = out
        return out

    def member_rows(self, members: set[int]) -> Any:
        """``members`` in the form :meth:`count_in` and :meth:`next_word` read fastest (here the set)."""
        return members

    def count(self, words: Sequence[str]) -> int:
        """Number of texts holding every word."""
        return len(self.docs_with(words))

    def count_in(self, words: Sequence[str], members: Any) -> int:
        """Number of texts among ``members`` (from :meth:`member_rows`) holding every word."""
        return len(self.docs_with(words) & members)

    def _member_docs(self, words: Sequence[str], members: Any) -> list[int]:
        """The members' texts holding every word, in order."""
        return sorted(self.docs_with(words) & members)

    def _text(self, d: int) -> str:
        joined = self._joined[d]
        if joined is None:
            joined = self._joined[d] = " " + " ".join(self.seqs[d]) + " "
        return joined

    def next_word(self, words: Sequence[str], members: set[int], edges: frozenset[str]) -> str | None:
        """The word that nearly always follows ``words`` in the members' texts, if any."""
        m = len(words)
        follow: Counter = Counter()
        total = 0
        pattern = " " + " ".join(words) + " "
        for d in self._member_docs(words, members):
            text = self._text(d)
            at = text.find(pattern)
            while at >= 0:  # every occurrence, overlapping ones too
                total += 1
                end = at + len(pattern)
                follow[text[end:text.find(" ", end)] if end < len(text) else ""] += 1
                at = text.find(pattern, at + 1)
        if total < 2:
            if m > 1:  # too rare as a whole: judge by its last word
                return self.next_word(words[-1:], members, edges) if words[-1] not in edges else None
            return None
        word, count = follow.most_common(1)[0]
        if word and word[0].isalpha() and word not in edges and word not in words and count >= 0.6 * total:
            return word
        return None


def word_spread(corpus: "_Corpus", topic_members: Sequence[set[int]], share: float = 0.25) -> dict[str, float]:
    """Share of topics in which a word occurs in at least ``share`` of the topic's papers.

    A word frequent in every topic ("model", "language") names none of them.

    Examples
    --------
    >>> c = _Corpus(["deep learning of proteins", "deep learning of galaxies", "galaxies"])
    >>> s = word_spread(c, [{0}, {1, 2}])
    >>> s["deep"], s["galaxies"], s["proteins"]
    (1.0, 0.5, 0.5)
    """
    counts: Counter = Counter()
    for members in topic_members:
        words: Counter = Counter()
        for d in members:
            words.update(corpus.sets[d])
        counts.update(w for w, c in words.items() if c >= share * len(members))
    k = max(1, len(topic_members))
    return {w: c / k for w, c in counts.items() if w != "|"}


def _vagueness(key: str, spread: dict[str, float], edges: frozenset[str]) -> float:
    """0 (specific) .. 1 (every content word is vague or frequent in all topics)."""
    words = [w for w in key.split() if w not in edges] or key.split()
    vals = [1.0 if w in VAGUE_LABEL_WORDS else spread.get(w, 0.0) for w in words]
    # the most specific word carries a label; the others dilute it a little
    return 0.7 * min(vals) + 0.3 * sum(vals) / len(vals)
