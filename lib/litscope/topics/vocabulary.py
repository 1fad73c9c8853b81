"""Word lists of the topic step: academic stop words, label edge words, generic and vague words."""

from __future__ import annotations

#: Words that carry no topic in scientific abstracts, removed with the English stop words.
ACADEMIC_STOP_WORDS = frozenset("""
paper papers propose proposed proposes proposing method methods methodology result results
study studies studied approach approaches show shows showed shown using use used uses based
present presents presented introduce introduces introduced novel new work works existing
demonstrate demonstrates demonstrated experiment experiments experimental
achieve achieves achieved sota
significant significantly various different however also well furthermore moreover
respectively including include includes included provide provides provided propose
effective effectively efficient efficiently improve improves improved improvement
improvements evaluate evaluated evaluation evaluations outperform outperforms
outperforming compared comparison comparisons extensive conducted conduct
investigate investigated investigation aim aims paper's finally first second
one two three et al abstract background objective objectives conclusion conclusions
methods purpose introduction lead leads leading make makes made way ways recent
recently able available furthermore thus therefore often may might can could
whether within without across among given via towards toward
""".split())

#: Words a label may not start or end with (besides English stop words).
LABEL_EDGE_WORDS = frozenset("""
using use based via towards toward novel new paper study approach propose proposed
method methods towards through beyond revisiting rethinking exploring improving enhancing
efficient effective simple generate learn unlock make build teach let
""".split())

#: Single words too generic to be a key phrase on their own (fine inside a longer one).
GENERIC_WORDS = frozenset("""
model models data dataset datasets task tasks performance framework frameworks system systems
learned learning network networks training trained analysis problem problems results accuracy
effect effects patients treatment group groups trial trials
""".split())

#: Words that say little about what a topic is about: a label made of them (or of words
#: common to most topics of the corpus) loses to a more specific one.
VAGUE_LABEL_WORDS = GENERIC_WORDS | frozenset("""
research ideas idea insights applications application techniques technique challenges
opportunities survey review overview tools issues aspects perspectives advances trends
""".split())

_ENGLISH_STOP_WORDS: frozenset[str] | None = None


def stop_words() -> frozenset[str]:
    """English (scikit-learn) plus academic stop words, lower case.

    >>> {"the", "paper", "propose"} <= stop_words()
    True
    """
    global _ENGLISH_STOP_WORDS
    if _ENGLISH_STOP_WORDS is None:
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        _ENGLISH_STOP_WORDS = frozenset(ENGLISH_STOP_WORDS)
    return _ENGLISH_STOP_WORDS | ACADEMIC_STOP_WORDS


def _edge_words() -> frozenset[str]:
    return english_stop_words() | LABEL_EDGE_WORDS


def english_stop_words() -> frozenset[str]:
    """scikit-learn's English stop words."""
    stop_words()
    assert _ENGLISH_STOP_WORDS is not None
    return _ENGLISH_STOP_WORDS
