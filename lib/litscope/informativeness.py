"""Whether a sentence is worth quoting: long enough, mostly words, not boilerplate.

One rule, used by the summaries, the syntheses and the screening answers alike.
"""

from __future__ import annotations

import re
from typing import Any

from .wordlists import COUNTED_WORD

__all__ = ["is_informative", "informative_facts"]

_BOILERPLATE = re.compile(
    r"\u00a9|\(c\)\s*(?:19|20)\d\d|copyright|all rights reserved|published by (?-i:[A-Z])|licensee|"
    r"creative commons|open access article|distributed under the terms|"
    r"protected by copyright|accepted manuscript|"
    r"^(?:keywords?|key words|trial registration|funding|contact|supplementary information)\b|"
    r"clinicaltrials\.gov|\bNCT\d{6,}|prospero|"
    r"(?:code|data|models?|implementation|datasets?)(?:,? and (?:code|data|models?))?"
    r" (?:is|are|will be) (?:publicly |freely |made )?(?:available|released)|"
    r"^(?:https?://|www\.)\S+$",
    re.I)
#: Lower-case text that every match of :data:`_BOILERPLATE` contains (one cue per branch): ASCII
#: text with none of them cannot be boilerplate, so the slow case-insensitive search runs only on
#: the few sentences that hold a cue.
_BOILERPLATE_CUES = ("\u00a9", "(c)", "copyright", "all rights reserved", "published by ", "licensee",
                     "creative commons", "open access article", "distributed under the terms",
                     "accepted manuscript", "keyword", "key words", "trial registration", "funding", "contact",
                     "supplementary information", "clinicaltrials.gov", "prospero", "available", "released",
                     "http", "www.")
_REGISTRATION_CUE = re.compile(r"nct\d")  # "\bNCT\d{6,}": a bare "nct" is in every "function"


def _is_boilerplate(text: str) -> bool:
    """``_BOILERPLATE.search(text) is not None``, skipping the search for ASCII text with no cue
    (case-insensitive matching of non-ASCII text is subtler than ``str.lower``: searched)."""
    if text.isascii():
        lower = text.lower()
        if not any(cue in lower for cue in _BOILERPLATE_CUES) and not _REGISTRATION_CUE.search(lower):
            return False
    return _BOILERPLATE.search(text) is not None


def informative_facts(sentence: Any, *, min_words: int = 4, max_words: int = 120) -> tuple[bool, int]:
    """``(is_informative(sentence), number of counted words)``, reading the sentence once.

    The summaries need both for every sentence of every abstract; this is the one place the
    informativeness rule is written.

    Examples
    --------
    >>> informative_facts("We propose a method that halves the error on three benchmarks.")
    (True, 11)
    >>> informative_facts("This article is protected by copyright.")
    (False, 6)
    >>> informative_facts(None)
    (False, 0)
    """
    if not isinstance(sentence, str):
        return False, 0
    text = sentence.strip()
    n_words = len(COUNTED_WORD.findall(text))  # whitespace is never part of a word: same count as unstripped
    if n_words < min_words or len(text.split()) > max_words or len(text) < 20:
        return False, n_words
    # letters among the non-space characters (a space is never a letter)
    if sum(map(str.isalpha, text)) < 0.5 * (len(text) - sum(map(str.isspace, text))):
        return False, n_words
    return not _is_boilerplate(text), n_words


def is_informative(sentence: Any, *, min_words: int = 4, max_words: int = 120) -> bool:
    """Whether a sentence carries content worth quoting in a summary.

    False for very short or very long sentences, for sentences that are mostly numbers or
    symbols, and for boilerplate (copyright lines, licences, registration numbers, "code is
    available at ...").

    Examples
    --------
    >>> is_informative("We propose a method that halves the error on three benchmarks.")
    True
    >>> is_informative("This article is protected by copyright.")
    False
    >>> is_informative("12.5 (3.2) vs 11.0 (2.9).")
    False
    >>> is_informative("Randomized trial.")
    False
    """
    return informative_facts(sentence, min_words=min_words, max_words=max_words)[0]
