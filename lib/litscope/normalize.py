"""How one field's raw value becomes its canonical form: the normalisers of the record schema.

:func:`litscope.schema.to_file_records` applies them to every record (the names are
importable from :mod:`litscope.schema` too); the de-duplication and the readers use some
directly (title keys, DOIs, authors).
"""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Any, Iterable, Mapping

from .missing import is_missing

__all__ = ["AUTHOR_PLACEHOLDERS", "clean_text", "is_author_placeholder", "normalize_arxiv", "normalize_author",
           "normalize_doi", "normalize_pmid", "normalize_title_key", "normalize_year", "split_list", "fold_accents"]

_TAG = re.compile(r"<[^>]{0,200}>")
# Inline formatting tags vanish without a space ("<i>in vivo</i>," stays "in vivo,");
# block tags (<p>, <jats:sec>, <br>) separate words.
_INLINE_TAG = re.compile(r"</?(?:[a-z]+:)?(?:i|b|u|em|strong|sup|sub|sc|span|italic|bold|underline|monospace|inline-formula|named-content)(?:\s[^>]{0,200})?/?>", re.I)
_SURROGATE = re.compile("[\ud800-\udfff]")
_WS = re.compile(r"\s+")


def clean_text(value: Any) -> str:
    """Plain text from a field: HTML/JATS tags and entities removed, whitespace collapsed.

    >>> clean_text("<jats:p>Heat &amp; <i>mass</i>, CO<sub>2</sub></jats:p>\\n transfer")
    'Heat & mass, CO2 transfer'
    """
    if is_missing(value):
        return ""
    text = str(value)
    if "<" in text:
        text = _TAG.sub(" ", _INLINE_TAG.sub("", text))
    if "&" in text:
        text = html.unescape(text)
    # Lone surrogates (from JSON '\\ud800' escapes) cannot be encoded: replace them.
    text = unicodedata.normalize("NFC", _SURROGATE.sub("\ufffd", text))
    return _WS.sub(" ", text).strip()


_DOI = re.compile(r"10\.\d{4,9}/\S+", re.I)


def normalize_doi(value: Any) -> str:
    """Lower-case DOI with any resolver prefix removed; '' when none found.

    >>> normalize_doi("https://dx.doi.org/10.1145/ABC.123.")
    '10.1145/abc.123'
    """
    # Not clean_text: SICI DOIs contain '<...>' that must not be taken for markup.
    if is_missing(value):
        return ""
    text = html.unescape(str(value))
    m = _DOI.search(text)
    if not m:
        return ""
    return m.group(0).rstrip(".,;)]}").lower()


_ARXIV_NEW = re.compile(r"(\d{4}\.\d{4,5})(v\d+)?")
_ARXIV_OLD = re.compile(r"([a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})(v\d+)?", re.I)


def normalize_arxiv(value: Any) -> str:
    """arXiv id without 'arXiv:' prefix, URL or version; '' when none found.

    >>> normalize_arxiv("http://arxiv.org/abs/2403.01234v2"), normalize_arxiv("arXiv:hep-th/9901001")
    ('2403.01234', 'hep-th/9901001')
    """
    text = clean_text(value)
    if not text:
        return ""
    m = _ARXIV_NEW.search(text)
    if m:
        return m.group(1)
    m = _ARXIV_OLD.search(text)
    return m.group(1) if m else ""


def normalize_pmid(value: Any) -> str:
    """Digits of a PubMed id; '' when none.

    >>> normalize_pmid("PMID: 12345678")
    '12345678'
    """
    m = re.search(r"\d{1,9}", clean_text(value))
    return m.group(0) if m else ""


_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d|21\d\d)(?!\d)")


def normalize_year(value: Any) -> int | None:
    """First plausible four-digit year in the value, or None.

    >>> normalize_year("2019/05/03"), normalize_year("n.d.")
    (2019, None)
    """
    if value is None:
        return None
    if isinstance(value, (int,)) and not isinstance(value, bool):
        return value if 1500 <= value <= 2199 else None
    if isinstance(value, float):
        return int(value) if value == value and 1500 <= value <= 2199 else None
    m = _YEAR.search(str(value))
    return int(m.group(1)) if m else None


#: Author cells that name nobody (Scopus, WoS, PubMed, citation styles), compared without
#: brackets, case or a final period.
AUTHOR_PLACEHOLDERS = frozenset({"no author name available", "no authors listed", "no author listed", "no author",
                                 "no authors", "anonymous", "anon", "et al", "author unknown", "unknown author", "n/a"})


def is_author_placeholder(text: str) -> bool:
    """Whether an author string is a placeholder for 'no author'.

    >>> is_author_placeholder("[No author name available]"), is_author_placeholder("Anon, Ann")
    (True, False)
    """
    return text.strip(" [](){}.,;").lower() in AUTHOR_PLACEHOLDERS  # text from clean_text: spaces collapsed


def normalize_author(value: Any) -> str:
    """One author as 'Family, Given'; '' for a placeholder such as '[No author name available]'.

    Accepts 'Family, Given', 'Given Family', 'Family G' (PubMed) and dicts with
    family/given keys.

    >>> normalize_author("Jane Q. Doe"), normalize_author("Doe JQ"), normalize_author({"family": "Doe", "given": "Jane"})
    ('Doe, Jane Q.', 'Doe, JQ', 'Doe, Jane')
    >>> normalize_author("[Anonymous]"), normalize_author("et al.")
    ('', '')
    """
    if isinstance(value, Mapping):
        family = clean_text(value.get("family") or value.get("last") or value.get("lastName") or "")
        given = clean_text(value.get("given") or value.get("first") or value.get("firstName") or "")
        if not family:
            name = clean_text(value.get("name") or value.get("literal") or value.get("display_name") or "")
            return normalize_author(name) if name else given
        if is_author_placeholder(family) and not given:
            return ""
        return f"{family}, {given}" if given else family
    text = clean_text(value).strip(" ,;")
    if not text or is_author_placeholder(text):
        return ""
    if "," in text:
        family, _, given = text.partition(",")
        family, given = family.strip(), given.strip()
        return f"{family}, {given}" if given else family
    parts = text.split()
    if len(parts) == 1:
        return parts[0]
    # PubMed/MEDLINE style 'Doe JQ': a trailing all-caps initials block.
    if re.fullmatch(r"[A-Z]{1,4}", parts[-1]) and len(parts) >= 2:
        return f"{' '.join(parts[:-1])}, {parts[-1]}"
    # Keep particles ('van der', 'de') with the family name.
    particles = {"van", "von", "der", "de", "den", "del", "della", "da", "di", "du", "la", "le", "dos", "das", "ter", "ten", "bin", "al"}
    i = len(parts) - 1
    while i > 1 and parts[i - 1].lower() in particles:
        i -= 1
    return f"{' '.join(parts[i:])}, {' '.join(parts[:i])}"


def split_list(value: Any, seps: str = ";") -> list[str]:
    """A list of cleaned, non-empty, de-duplicated strings from a list or a separated string.

    >>> split_list("deep learning; NLP;; nlp")
    ['deep learning', 'NLP']
    """
    if is_missing(value):
        return []
    if isinstance(value, str):
        items: Iterable[Any] = re.split("[" + re.escape(seps) + "]", value)
    elif isinstance(value, Iterable) and not isinstance(value, (bytes, Mapping)):
        items = value
    else:
        items = [value]
    seen: set[str] = set()
    out = []
    for item in items:
        text = clean_text(item)
        if text and text.lower() not in seen:
            seen.add(text.lower())
            out.append(text)
    return out


def fold_accents(text: str) -> str:
    """Lower case without accents (NFKD, combining marks dropped); punctuation is kept.

    >>> fold_accents("Évaluer l’IA: Étude")
    'evaluer l’ia: etude'
    """
    if text.isascii():  # nothing to decompose
        return text.lower()
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()


def normalize_title_key(title: str) -> str:
    """Lower-case alphanumerics of a title, for matching and ids.

    >>> normalize_title_key("Deep   Learning: A Review!")
    'deep learning a review'
    """
    return _WS.sub(" ", re.sub(r"[^0-9a-z]+", " ", fold_accents(title or ""))).strip()
