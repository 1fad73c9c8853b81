"""Safe value helpers for JSON records: text, lists of text, nested gets, years, people,
inline markup and OpenAlex inverted abstracts. Whatever the JSON holds, they return only
strings, lists of strings and author dicts of strings.

>>> text(["A", " b "]), year_of({"date-parts": [[2021, 5]]}), get({"a": [{"b": 1}]}, "a", 0, "b")
('A', 2021, 1)
"""

from __future__ import annotations

import re
from typing import Any

from ..missing import as_text

_SURROGATE = re.compile(r"[\ud800-\udfff]")
_ELLIPSIS = {"...", "…", "et al", "et al."}


def text(value: Any) -> str:
    """A string from a JSON value: strings and numbers as text, a list's first text, else ''.

    >>> text(["A title"]), text(3), text({"a": 1}), text(None), text(True)
    ('A title', '3', '', '', '')
    """
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value) if _SURROGATE.search(value) else value
    if isinstance(value, (int, float)):
        return as_text(value)  # NaN (json.loads accepts it) is no text
    if isinstance(value, list):
        for item in value:
            found = text(item) if not isinstance(item, list) else ""
            if found:
                return found
    return ""


def texts(value: Any) -> list[str]:
    """All texts in a list (or a single value), flattened one level; dict items give their name-ish field.

    >>> texts(["a", 2, None, {"name": "b"}, ["c"]]), texts("x; y")
    (['a', '2', 'b'], ['x; y'])
    """
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, dict):
            found = text(item.get("display_name") or item.get("name") or item.get("tag")
                         or item.get("term") or item.get("category") or item.get("value") or "")
        elif isinstance(item, list):
            found = ""
        else:
            found = text(item)
        if found:
            out.append(found)
    return out


def get(d: dict, *path: Any) -> Any:
    """Nested lookup that never fails: ``get(d, "a", 0, "b")`` or None.

    >>> get({"a": [{"b": 1}]}, "a", 0, "b"), get({"a": None}, "a", "b")
    (1, None)
    """
    cur: Any = d
    for key in path:
        if isinstance(key, int):
            if not isinstance(cur, list) or len(cur) <= key:
                return None
        elif not isinstance(cur, dict):
            return None
        cur = cur[key] if isinstance(key, int) else cur.get(key)
    return cur


def year_of(value: Any, _depth: int = 0) -> Any:
    """A year (int or text to search) from a number, a date string or a CSL/Crossref date object.

    >>> year_of({"date-parts": [["2014", 12, 31]]}), year_of({"date-parts": [[None]]}), year_of("-334")
    ('2014', None, None)
    """
    if _depth > 4:
        return None
    if isinstance(value, dict):
        first = get(value, "date-parts", 0, 0)
        if first is not None:
            return year_of(first, _depth + 1)
        return year_of(value.get("raw") or value.get("literal") or value.get("date-time") or value.get("year"),
                       _depth + 1)
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return int(value) if value == value and 0 < value < 10_000 else None
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.startswith("-"):
            return None  # BC dates
        return stripped[:64]
    if isinstance(value, list):
        return year_of(value[0], _depth + 1) if value else None
    return None


def _person(value: Any, literal_names: bool = False) -> Any:
    """One author as a string or a {'family', 'given'} dict of strings (organisations kept whole).

    ``literal_names``: a dict's bare ``name`` is an organisation (Crossref), not 'Given Family'.
    """
    if isinstance(value, str):
        value = text(value).strip()
        return None if not value or value in _ELLIPSIS else value
    if not isinstance(value, dict):
        return None
    family = text(value.get("family") or value.get("lastName") or value.get("last_name")
                  or value.get("last") or value.get("surname"))
    given = text(value.get("given") or value.get("firstName") or value.get("first_name")
                 or value.get("first") or value.get("given_names"))
    middle = value.get("middle")
    middle = " ".join(texts(middle)) if isinstance(middle, list) else text(middle)
    if middle:
        given = f"{given} {middle}".strip()
    if family:
        return {"family": family, "given": given}
    literal = text(value.get("literal"))
    if literal:
        return {"family": literal}  # CSL 'literal': a name not to be split
    name = text(value.get("name") or value.get("display_name") or value.get("fullName")
                or value.get("full_name") or value.get("raw_author_name"))
    if name and name not in _ELLIPSIS:
        return {"family": name} if literal_names else name
    return given or None


def people(value: Any, literal_names: bool = False) -> list[Any]:
    """Authors from a list of names/dicts, or a ';'-separated string.

    >>> people([{"family": "Doe", "given": "J"}, "Jane Roe", "...", 5])
    [{'family': 'Doe', 'given': 'J'}, 'Jane Roe']
    """
    if isinstance(value, str):
        value = [v for v in re.split(r"\s*;\s*|\s+and\s+", value)]
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        return []
    return [p for p in (_person(v, literal_names) for v in value) if p]


_INLINE_TAGS = re.compile(r"</?(?:(?:jats|mml):)?(?:i|b|u|em|strong|sup|sub|sc|tt|span|italic|bold|"
                          r"underline|monospace|inline-formula|nocase)(?:\s[^<>]{0,200})?/?>")


def inline_text(value: Any) -> str:
    """:func:`text` with inline formatting tags removed without leaving a space ('<b>X</b>,' -> 'X,').

    >>> inline_text('Eruption of <b>Huaynaputina</b>, Peru (g<sub>1</sub>)')
    'Eruption of Huaynaputina, Peru (g1)'
    """
    result = text(value)
    return _INLINE_TAGS.sub("", result) if "<" in result else result


def _jats_abstract(value: Any) -> str:
    """Crossref abstract: JATS section titles become 'Title:' so sections stay readable."""
    abstract = inline_text(value)
    if "<" not in abstract:
        return abstract
    return re.sub(r"<(?:jats:)?title>(.{0,200}?)</(?:jats:)?title>", r" \1: ", abstract)


def openalex_abstract(index: Any, limit: int = 100_000) -> str:
    """Rebuild an abstract from OpenAlex's ``abstract_inverted_index`` (word -> positions).

    >>> openalex_abstract({"world": [1, 3], "Hello": [0], "again,": [2]})
    'Hello world again, world'
    """
    if not isinstance(index, dict):
        return ""
    words: dict[int, str] = {}
    for word, positions in index.items():
        if not isinstance(positions, list):
            continue
        for pos in positions:
            if isinstance(pos, int) and not isinstance(pos, bool) and 0 <= pos < limit:
                words[pos] = text(word)
    return " ".join(words[p] for p in sorted(words))

