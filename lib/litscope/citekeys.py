"""Citation keys for exported records: 'familyYEARword', unique within one export.

>>> from litscope.schema import to_frame
>>> citation_keys(to_frame([{"title": "On deep nets", "authors": ["Doe, Jane"], "year": 2020}],
...                        source_format="ris", source_file="a.ris"))
['doe2020deep']
"""

from __future__ import annotations

import re

import pandas as pd

from .exportrows import _items, _records, _text, _year
from .normalize import fold_accents

_KEY_STOPWORDS = {"a", "an", "the", "of", "on", "in", "for", "and", "to", "with", "from", "at", "by",
                  "is", "are", "towards", "toward", "via", "using", "into", "do", "does", "how", "what",
                  "why", "when", "le", "la", "les", "der", "die", "das", "el", "un", "une"}


_KEY_WORD_BREAK = re.compile(r"[\s\-–—/:]+")


def _ascii_word(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold_accents(text))


def citation_keys(df: pd.DataFrame) -> list[str]:
    """Unique citation keys 'familyYEARword' (e.g. 'doe2020deep'), with 'a', 'b'... on repeats.

    >>> from litscope.schema import to_frame
    >>> df = to_frame([{"title": "Deep nets", "authors": ["Doe, Jane"], "year": 2020},
    ...                {"title": "Deep trees", "authors": ["Doe, J."], "year": 2020},
    ...                {"title": "The Ünïcode way", "authors": ["Šimić, Ana"]}],
    ...               source_format="ris", source_file="a.ris")
    >>> citation_keys(df)
    ['doe2020deep', 'doe2020deepa', 'simicunicode']
    """
    keys: list[str] = []
    used: set[str] = set()
    for rec in _records(df):
        authors = _items(rec.get("authors"))
        family = _ascii_word(authors[0].split(",")[0]) if authors else ""
        # the first word that is not a stop word: words after it are never folded to ASCII
        words = map(_ascii_word, _KEY_WORD_BREAK.split(_text(rec.get("title"))))
        word = next((w for w in words if w and w not in _KEY_STOPWORDS), "")
        base = f"{family or 'anon'}{_year(rec.get('year'))}{word}" or "record"
        key, n = base, 0
        while key in used:
            key = base + _suffix(n)
            n += 1
        used.add(key)
        keys.append(key)
    return keys


def _suffix(n: int) -> str:
    """'a', 'b', ..., 'z', 'aa', 'ab', ..."""
    letters = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(ord("a") + r) + letters
    return letters


__all__ = ["citation_keys"]
