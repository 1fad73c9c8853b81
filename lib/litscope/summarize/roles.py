"""The rhetorical role of a sentence (background, aim/method, result, conclusion), from cue words."""

from __future__ import annotations

import re

_ROLE_CUES = [  # checked in this order; the first match wins
    (3, re.compile(r"\b(?:in conclusion|we conclude|conclud\w*|in summary|overall,|these (?:findings|results|data)"
                   r" (?:suggest|indicate|show|support|highlight|demonstrate)|suggest(?:s|ed)? that|"
                   r"implications?|future (?:work|research|studies)|should be considered|promis\w+)", re.I)),
    (2, re.compile(r"\b(?:(?:results?|experiments?|evaluations?|analys[ie]s|data|trials?)\b[^.;]{0,60}?\b"
                   r"(?:show|shows|showed|indicate[sd]?|demonstrate[sd]?|reveal(?:s|ed)?|confirm(?:s|ed)?)\b|"
                   r"we (?:find|found|show|"
                   r"observe|observed|demonstrate)|experiments? (?:show|reveal|demonstrate|indicate)|"
                   r"outperform\w*|significant(?:ly)?|improve[sd]?|improvements?|achiev\w+|reduc\w+|"
                   r"p\s*[<=>]|\d+(?:\.\d+)?\s*%|percent|per cent|odds ratio|confidence interval|"
                   r"(?:was|were) (?:significantly |slightly |much )?(?:higher|lower|better|worse|greater|"
                   r"smaller|similar))", re.I)),
    (1, re.compile(r"\b(?:we (?:propose|present|introduce|develop|design|describe|conduct|conducted|perform|"
                   r"performed|used?|evaluate|investigate|analy[sz]ed?|study|examine|compare)|this (?:paper|study|"
                   r"work|article|trial)|in this (?:paper|study|work)|here,? we|to (?:assess|evaluate|compare|"
                   r"determine|investigate|examine)|randomi[sz]ed|double[- ]blind|placebo)", re.I)),
]
ROLE_NAMES = {0: "background", 1: "aim/method", 2: "result", 3: "conclusion"}


def sentence_role(sentence: str) -> int:
    """Rhetorical role of a sentence from cue words: 0 background, 1 aim/method, 2 result, 3 conclusion.

    Examples
    --------
    >>> [sentence_role(s) for s in ["Sepsis is a leading cause of death.",
    ...  "We propose a new score.", "It reduced mortality by 12%.", "These findings suggest a benefit."]]
    [0, 1, 2, 3]
    """
    for role, pattern in _ROLE_CUES:
        if pattern.search(sentence):
            return role
    return 0
