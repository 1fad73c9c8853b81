"""How a sentence's shape counts against it in a summary: boilerplate, fragments, run-ons, openings
that lean on a sentence not shown; and the cue that a sentence states the paper's contribution."""

from __future__ import annotations

import re

from ..informativeness import informative_facts, is_informative
from ..wordlists import word_count

# scores: how much sentence shape matters next to cosine similarity (both on a 0..1 scale)
_UNINFORMATIVE_PENALTY = 1.0   # boilerplate is chosen only when nothing else is there
_SHORT_WORDS, _SHORT_PENALTY = 8, 0.02    # per missing word below 8 words
_LONG_WORDS, _LONG_PENALTY = 60, 0.002    # per word beyond 60 words
_CONNECTIVE_PENALTY = 0.05  # "Additionally, ...", "This ...": leans on a sentence we do not show
_SYNTHESIS_CONNECTIVE_PENALTY = 0.3  # in a synthesis the missing antecedent is never shown
_CONTRIBUTION_BONUS = 0.05  # per-paper summaries should say what the paper does
_CONNECTIVE = re.compile(
    r"(?:additionally|in addition|moreover|furthermore|further|also|finally|subsequently|then|thus|"
    r"therefore|hence|however|in particular|specifically|similarly|likewise|meanwhile|nevertheless|"
    r"instead|consequently|accordingly|besides|otherwise|on the other hand|in contrast|by contrast|"
    r"to this end|to (?:address|tackle|solve|overcome|bridge) (?:this|these|the)\b[^,]{0,40}|"
    r"for (?:example|instance))\b,?|(?:this|these|those|they|it|its|such)\b(?! (?:paper|study|work|"
    r"article|review|trial|survey|thesis|report|chapter)\b)",
    re.I)
_CONTRIBUTION = re.compile(
    r"\b(?:we (?:propose|present|introduce|develop|design|describe|formulate|investigate|study|examine|"
    r"report|evaluate|assess|compare)|(?:this|the present|our) (?:paper|study|work|article|review|trial|survey)|"
    r"in this (?:paper|study|work|article)|here,? we|the (?:aim|objective|purpose|goal) of)\b", re.I)
_TIE_DECIMALS = 6  # scores are rounded before comparing, so ties break the same way everywhere


def _sentence_facts(sentence: str) -> tuple[bool, int]:
    """``(litscope.text.is_informative(sentence), word_count(sentence))``: the one rule, in
    :func:`litscope.text.informative_facts`, with its defaults.

    >>> _sentence_facts("This article is protected by copyright.")
    (False, 6)
    """
    return informative_facts(sentence)


def _penalty_from_facts(sentence: str, informative: bool, n_words: int, connective: float) -> float:
    """:func:`_shape_penalty` from the sentence's :func:`_sentence_facts`."""
    if not informative:
        return _UNINFORMATIVE_PENALTY
    return (max(0, _SHORT_WORDS - n_words) * _SHORT_PENALTY
            + max(0, n_words - _LONG_WORDS) * _LONG_PENALTY
            + (connective if _CONNECTIVE.match(sentence) else 0.0))


def _shape_penalty(sentence: str, *, connective: float = _CONNECTIVE_PENALTY) -> float:
    """Penalty for sentences that make poor summaries: boilerplate, fragments, run-ons."""
    return _penalty_from_facts(sentence, *_sentence_facts(sentence), connective)


def _reference_shape_penalty(sentence: str, *, connective: float = _CONNECTIVE_PENALTY) -> float:
    """:func:`_shape_penalty` as first written (``is_informative`` then ``word_count``): the
    reference the tests hold the faster one to."""
    if not is_informative(sentence):
        return _UNINFORMATIVE_PENALTY
    n = word_count(sentence)
    return (max(0, _SHORT_WORDS - n) * _SHORT_PENALTY
            + max(0, n - _LONG_WORDS) * _LONG_PENALTY
            + (connective if _CONNECTIVE.match(sentence) else 0.0))
