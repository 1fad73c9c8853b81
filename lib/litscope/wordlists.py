"""litscope's one vocabulary: the word grammar and the stop-word lists.

Every step that cuts text into words (summaries, key phrases, topic labels, the
topic vectoriser) takes its pattern from :func:`word_pattern`, and every stop-word
list is built here from one base set, :data:`ACADEMIC_STOP_WORDS`:

=====================  ==============================================================
step                   stop words
=====================  ==============================================================
summary key phrases    :func:`key_phrase_stop_words`: :data:`STOP_WORDS` |
                       :data:`ACADEMIC_STOP_WORDS` | :data:`KEY_PHRASE_STOP_WORDS_EXTRA`
topic words, labels    :func:`topic_stop_words`: scikit-learn's English list |
                       :data:`ACADEMIC_STOP_WORDS` | :data:`TOPIC_STOP_WORDS_EXTRA`
=====================  ==============================================================

The two extensions differ because the two steps differ: a topic label may be
"Large language models", while a key phrase is better without "large".  (They
reproduce the lists the two steps used before they shared a base, so reports did
not change; merging them would.)  :mod:`litscope.text` re-exports the names.

Examples
--------
>>> words("Large Language Models (LLMs) and GPT-4 in 2024.")
['large', 'language', 'models', 'llms', 'and', 'gpt-4', 'in']
>>> "the" in STOP_WORDS and "propose" in ACADEMIC_STOP_WORDS
True
>>> "large" in key_phrase_stop_words(), "large" in topic_stop_words()
(True, False)
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

__all__ = ["STOP_WORDS", "ACADEMIC_STOP_WORDS", "KEY_PHRASE_STOP_WORDS_EXTRA", "TOPIC_STOP_WORDS_EXTRA",
           "key_phrase_stop_words", "topic_stop_words", "english_stop_words", "word_pattern",
           "WORD", "words", "word_count"]


# ------------------------------------------------------------------ word grammar

@lru_cache(maxsize=None)
def word_pattern(*, start: str = "alnum", joiners: str = "-'\u2019", numbers: bool = False,
                 other: str = "") -> re.Pattern:
    """The compiled word pattern, in one of the variants the steps use.

    A word is a run of ASCII letters and digits, joined to more such runs by single
    inner ``joiners`` ("gpt-4", "model's", "covid-19").

    Parameters
    ----------
    start : {"alnum", "letter"}
        Whether a word may start with a digit ("3d") or must start with a letter
        (then "2024" is no word and "4x" yields "x").
    joiners : str
        Characters that join two runs inside one word: ``"-'\u2019"`` (the default;
        summaries), ``"-'"`` (topic labels, which leave curly apostrophes out) or
        ``"-"`` (the topic vectoriser).
    numbers : bool
        Also match a number token, a digit and what follows it up to a space
        (``"0.67"``, ``"3-fold"``), so that a number breaks a phrase as one token.
    other : str
        A regex character class matched as a one-character token after the word
        (and number) alternatives: ``"[.!?:;]"`` (sentence ends), ``r"[^\\sA-Za-z0-9]"``
        (any other visible character, e.g. punctuation that breaks a phrase).

    Examples
    --------
    >>> word_pattern().findall("GPT-4's 3-fold gain, 0.67")
    ["GPT-4's", '3-fold', 'gain', '0', '67']
    >>> word_pattern(start="letter", joiners="-", numbers=True, other=r"[^\\sA-Za-z0-9]").findall("gpt-4, 0.67 gain")
    ['gpt-4', ',', '0.67', 'gain']
    """
    if start not in ("alnum", "letter"):
        raise ValueError(f"start must be 'alnum' or 'letter', not {start!r}")
    head = "[A-Za-z0-9]+" if start == "alnum" else "[A-Za-z][A-Za-z0-9]*"
    pattern = head + (f"(?:[{re.escape(joiners)}][A-Za-z0-9]+)*" if joiners else "")
    if numbers:
        pattern += "|[0-9][A-Za-z0-9.,-]*"
    if other:
        pattern += "|" + other
    return re.compile(pattern)


#: The default word: letters and digits with inner hyphens and apostrophes.
WORD = word_pattern()

#: What :func:`word_count` counts: runs of letters that may hold hyphens and apostrophes
#: anywhere after the first letter ("H2O" is two, "x--y" one). Not :data:`WORD`: sentence
#: scores of the summaries and :func:`litscope.text.is_informative` were tuned on this count.
COUNTED_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*")


def words(text: Any) -> list[str]:
    """Lower-case word tokens (letters, inner hyphens/apostrophes, digits inside words).

    Examples
    --------
    >>> words("Large Language Models (LLMs) and GPT-4 in 2024.")
    ['large', 'language', 'models', 'llms', 'and', 'gpt-4', 'in']
    """
    if not isinstance(text, str):
        return []
    return [w.lower() for w in word_pattern(start="letter").findall(text)]


def word_count(text: Any) -> int:
    """Number of words in ``text`` (see :data:`COUNTED_WORD`).

    >>> word_count("Two words.")
    2
    """
    return len(COUNTED_WORD.findall(text)) if isinstance(text, str) else 0


# ------------------------------------------------------------------ stop words

#: English function words (litscope's own list, used by the summaries).
STOP_WORDS = frozenset("""
a about above after again against all almost along also although always am among an and another
any are aren around as at be because been before being below between both but by can cannot could
did do does doing done down during each either else enough etc even ever every few for from
further had has have having he her here hers herself him himself his how however i if in into is
it its itself just least less like made make many may me might more most much must my myself
neither no nor not now of off often on once one only onto or other others otherwise our ours
ourselves out over own per perhaps quite rather same several she should since so some such than
that the their theirs them themselves then there therefore these they this those though through
thus to too toward towards under until up upon us very via was we were what whatever when where
whereas whether which while who whom whose why will with within without would yet you your yours
""".split())

#: Words any abstract uses whatever its topic: the academic stop words every step removes.
ACADEMIC_STOP_WORDS = frozenset("""
abstract paper papers study studies work works propose proposed proposes proposing present presents
presented introduce introduces introduced show shows showed shown demonstrate demonstrates
demonstrated result results conclusion conclusions background objective objectives aim aims purpose
methods method approach approaches novel new based using use used uses various different significant
significantly respectively furthermore moreover finally existing recent recently first second
achieve achieves achieved effective effectively including include includes included well investigate
investigated evaluate evaluated evaluation compared comparison provide provides provided able
however across given via toward paper's also available experiments experimental experiment extensive
outperforms outperform whether two three among within without may might could improve improves
improved al et
""".split())

#: Added for summary key phrases: size, rank and count words and more reporting words, which
#: may name a topic ("Large language models") but are noise in a key phrase; units and trial
#: bookkeeping, frequent in a topic, yet no one's idea of a key phrase.
KEY_PHRASE_STOP_WORDS_EXTRA = frozenset("""
article presenting showing resulting finding findings conclude concluded usage specifically previous
previously third achieving investigates compare comparing potential large high higher low lower
number numbers important allow allows enable enables enabled overall key main total similar current
currently state art demonstrating addition additionally particular particularly four five six seven
eight nine ten better best improving study's e.g i.e vs
group groups mg kg ml mcg ug g mmol l dl h hr hrs min day days week weeks month months year years
time times dose doses daily once twice vs versus type
""".split())

#: Added for the topic words (key phrases and labels of topics): reporting words that the
#: topic model's c-TF-IDF would otherwise rank high in many topics.
TOPIC_STOP_WORDS_EXTRA = frozenset("""
methodology studied sota efficient efficiently improvement improvements evaluations outperforming
comparisons conducted conduct investigation introduction lead leads leading make makes way ways
""".split())


def key_phrase_stop_words() -> frozenset[str]:
    """Stop words of the summaries' key phrases.

    >>> {"the", "propose", "large", "mg"} <= key_phrase_stop_words()
    True
    """
    return _KEY_PHRASE_STOP_WORDS


_KEY_PHRASE_STOP_WORDS = STOP_WORDS | ACADEMIC_STOP_WORDS | KEY_PHRASE_STOP_WORDS_EXTRA


@lru_cache(maxsize=1)
def english_stop_words() -> frozenset[str]:
    """scikit-learn's English stop words (imported on first use).

    >>> "the" in english_stop_words()
    True
    """
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


@lru_cache(maxsize=1)
def topic_stop_words() -> frozenset[str]:
    """Stop words of the topic step: English (scikit-learn) and academic, lower case.

    >>> {"the", "paper", "propose", "sota"} <= topic_stop_words()
    True
    """
    return english_stop_words() | ACADEMIC_STOP_WORDS | TOPIC_STOP_WORDS_EXTRA
