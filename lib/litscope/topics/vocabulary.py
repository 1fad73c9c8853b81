"""Word lists of the topic labels: edge words, generic and vague words.

The stop words come from :mod:`litscope.wordlists` (the one vocabulary); ``stop_words``
is :func:`litscope.wordlists.topic_stop_words`, kept under the name the topic step uses.
"""

from __future__ import annotations

from ..wordlists import ACADEMIC_STOP_WORDS, english_stop_words, topic_stop_words

#: The topic step's stop words: English (scikit-learn) plus academic, lower case.
stop_words = topic_stop_words

__all__ = ["ACADEMIC_STOP_WORDS", "LABEL_EDGE_WORDS", "GENERIC_WORDS", "VAGUE_LABEL_WORDS",
           "stop_words", "english_stop_words"]

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


def _edge_words() -> frozenset[str]:
    return english_stop_words() | LABEL_EDGE_WORDS
