"""Word lists and word counts shared by the splitter, summaries and topic labels.

Split out of :mod:`litscope.text` (which re-exports every name here).

Examples
--------
>>> words("Large Language Models (LLMs) and GPT-4 in 2024.")
['large', 'language', 'models', 'llms', 'and', 'gpt-4', 'in']
>>> "the" in STOP_WORDS and "propose" in ACADEMIC_STOP_WORDS
True
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["STOP_WORDS", "ACADEMIC_STOP_WORDS", "words", "word_count"]

_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*")


#: English function words.
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

#: Words frequent in any abstract that say nothing about its topic.
ACADEMIC_STOP_WORDS = frozenset("""
abstract paper papers article study studies work works propose proposed proposes proposing present
presents presented presenting introduce introduces introduced show shows showed shown showing
demonstrate demonstrates demonstrated result results resulting finding findings conclusion
conclusions conclude concluded background objective objectives aim aims purpose methods method
approach approaches novel new based using use used uses usage various different significant
significantly respectively furthermore moreover finally specifically existing recent recently
previous previously first second third achieve achieves achieved achieving effective effectively
including include includes included well investigate investigated investigates evaluate evaluated
evaluation compared compare comparing comparison potential provide provides provided large high
higher low lower number numbers important including able allow allows enable enables enabled
however overall key main total similar across current currently given via toward paper's also
available experiments experimental experiment extensive outperforms outperform state art
demonstrating addition additionally particular particularly respectively whether two three four
five six seven eight nine ten many much since among within without may might could would should
further better best improve improves improved improving significantly study's e.g i.e al et vs
""".split())


def words(text: Any) -> list[str]:
    """Lower-case word tokens (letters, inner hyphens/apostrophes, digits inside words).

    Examples
    --------
    >>> words("Large Language Models (LLMs) and GPT-4 in 2024.")
    ['large', 'language', 'models', 'llms', 'and', 'gpt-4', 'in']
    """
    if not isinstance(text, str):
        return []
    return [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z0-9]*(?:[-'\u2019][A-Za-z0-9]+)*", text)]


def word_count(text: Any) -> int:
    """Number of words in ``text``.

    >>> word_count("Two words.")
    2
    """
    return len(_WORD.findall(text)) if isinstance(text, str) else 0
