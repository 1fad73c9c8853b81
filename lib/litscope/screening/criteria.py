"""Screening criteria as parameters, each exclusion with its reason.

:class:`Criteria` holds a year range, languages, document types, terms a record
must contain (any one of them) or must not contain, the fields those terms are
looked up in (``title``, ``abstract``, ``keywords``) and a minimum relevance.
:func:`compute_screening` applies them in that order and keeps, for every
excluded record, the *first* criterion it fails, stated in words.  A criterion
whose column the papers do not have (document types are not in the canonical
schema) is skipped, and the skip is stated in :attr:`Screening.skipped`.

Terms are case-insensitive phrases matched on word boundaries; a trailing ``*``
matches any word ending (``child*`` matches ``children``).

Examples
--------
>>> import pandas as pd
>>> papers = pd.DataFrame({"id": ["a", "b", "c"], "title": ["Rats on drugs", "Drugs in children", "Old"],
...                        "abstract": ["", "", ""], "keywords": [[], [], []], "year": [2010, 2012, 1990]})
>>> s = compute_screening(papers, Criteria(years=(2000, None), exclude_terms=["rat*"]))
>>> s.table[["id", "decision", "reason"]].values.tolist()
[['a', 'exclude', "contains the excluded term 'rat*' (title)"], ['b', '', ''], ['c', 'exclude', 'published in 1990, before 2000']]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import pandas as pd

from ..errors import ParameterError
from ..missing import joined_text

__all__ = ["FIELDS", "Criteria", "Screening", "compute_screening"]

#: Fields the include/exclude terms may be looked up in.
FIELDS = ("title", "abstract", "keywords")
_DOCTYPE_COLUMNS = ("document_type", "type", "publication_type")


def _as_list(value: Any, name: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    try:
        return [str(v).strip() for v in value if str(v).strip()]
    except TypeError as exc:
        raise ParameterError(f"{name} must be a list of strings, not {value!r}") from exc


@dataclass
class Criteria:
    """What a record must satisfy to be screened (all optional).

    Parameters
    ----------
    years : (int or None, int or None), optional
        Inclusive range of publication years; None on a side leaves it open.
    languages : list of str, optional
        ISO 639-1 codes (``["en", "de"]``) a record's language must be among.
    document_types : list of str, optional
        Accepted document types (matched case-insensitively against a ``document_type``,
        ``type`` or ``publication_type`` column).
    include_terms : list of str
        A record must contain at least one of them (in ``fields``).
    exclude_terms : list of str
        A record containing any of them (in ``fields``) is excluded.
    fields : list of str
        Where the terms are looked up: some of ``title``, ``abstract``, ``keywords``.
    min_relevance : float, optional
        Records below it (relevance to the question, in [0, 1]) are excluded.
    """

    years: tuple[int | None, int | None] | None = None
    languages: Sequence[str] | None = None
    document_types: Sequence[str] | None = None
    include_terms: Sequence[str] = field(default_factory=list)
    exclude_terms: Sequence[str] = field(default_factory=list)
    fields: Sequence[str] = FIELDS
    min_relevance: float | None = None

    def __post_init__(self) -> None:
        if self.years is not None:
            if not isinstance(self.years, (list, tuple)) or len(self.years) != 2:
                raise ParameterError(f"years must be [first, last] (either may be null), not {self.years!r}")
            lo, hi = (None if v is None else int(v) for v in self.years)
            if lo is not None and hi is not None and lo > hi:
                raise ParameterError(f"the year range {lo}-{hi} is empty")
            self.years = (lo, hi)
        self.languages = [v.lower() for v in _as_list(self.languages, "languages")] or None
        self.document_types = [v.lower() for v in _as_list(self.document_types, "document_types")] or None
        self.include_terms = _as_list(self.include_terms, "include_terms")
        self.exclude_terms = _as_list(self.exclude_terms, "exclude_terms")
        self.fields = _as_list(self.fields, "fields") or list(FIELDS)
        bad = [f for f in self.fields if f not in FIELDS]
        if bad:
            raise ParameterError(f"unknown term fields {bad}; choose from {', '.join(FIELDS)}")
        if self.min_relevance is not None and not 0.0 <= float(self.min_relevance) <= 1.0:
            raise ParameterError(f"min_relevance must be in [0, 1], not {self.min_relevance!r}")

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> "Criteria":
        """Criteria from a parameter mapping with these keys (unknown keys are an error).

        >>> Criteria.from_params({"years": [2005, None], "fields": ["title"]}).years
        (2005, None)
        """
        known = {f for f in cls.__dataclass_fields__}
        unknown = sorted(set(params) - known)
        if unknown:
            raise ParameterError(f"unknown screening criteria {unknown}; known: {', '.join(sorted(known))}")
        return cls(**dict(params))


@dataclass
class Screening:
    """The outcome of :func:`compute_screening`.

    Attributes
    ----------
    table : pandas.DataFrame
        Row-aligned with the papers: ``id``, ``decision`` (``exclude`` or '' = to screen),
        ``reason`` (the first failed criterion in words) and ``criterion`` (its name).
    skipped : list of str
        Criteria that could not be applied, each with why.
    """

    table: pd.DataFrame
    skipped: list[str]

    def reasons(self) -> pd.Series:
        """Excluded records per criterion (for the PRISMA diagram), most first."""
        excluded = self.table[self.table["decision"] == "exclude"]
        return excluded["criterion"].value_counts()


def _pattern(term: str) -> re.Pattern[str]:
    prefix = term.endswith("*")
    core = re.escape(term.rstrip("*").strip()).replace(r"\ ", r"\s+")
    return re.compile(rf"(?<!\w){core}" + (r"\w*" if prefix else r"(?!\w)"), re.I)


def _field_text(value: Any) -> str:
    return joined_text(value, " ; ")


def _find(patterns: list[tuple[str, re.Pattern[str]]], texts: dict[str, str]) -> tuple[str, str] | None:
    for term, pat in patterns:
        for name, text in texts.items():
            if text and pat.search(text):
                return term, name
    return None


def compute_screening(papers: pd.DataFrame, criteria: Criteria | Mapping[str, Any],
                      relevance: Sequence[float] | None = None,
                      languages: Sequence[str] | None = None) -> Screening:
    """Apply the criteria; every excluded record keeps the first criterion it fails.

    Parameters
    ----------
    papers : pandas.DataFrame
        One row per paper in the canonical schema.
    criteria : Criteria or mapping
        The criteria (a mapping goes through :meth:`Criteria.from_params`).
    relevance : sequence of float, optional
        Row-aligned relevance (from :func:`~litscope.screening.relevance.compute_relevance`);
        needed by ``min_relevance``, which is skipped (and said) without it.
    languages : sequence of str, optional
        Row-aligned language codes; the papers' ``language`` column when None, detected
        with :func:`litscope.language.detect_languages` when there is none either.

    Returns
    -------
    Screening
    """
    if not isinstance(criteria, Criteria):
        criteria = Criteria.from_params(criteria)
    n = len(papers)
    decision, reason, criterion = [""] * n, [""] * n, [""] * n
    skipped: list[str] = []

    def exclude(i: int, why: str, name: str) -> None:
        if not decision[i]:
            decision[i], reason[i], criterion[i] = "exclude", why, name

    if criteria.years is not None:
        lo, hi = criteria.years
        if "year" not in papers:
            skipped.append("years: the papers have no year column")
        else:
            for i, y in enumerate(papers["year"]):
                if y is None or pd.isna(y):
                    exclude(i, "no publication year (a year range is set)", "years")
                elif lo is not None and int(y) < lo:
                    exclude(i, f"published in {int(y)}, before {lo}", "years")
                elif hi is not None and int(y) > hi:
                    exclude(i, f"published in {int(y)}, after {hi}", "years")
    if criteria.languages:
        if languages is None and "language" in papers:
            languages = papers["language"].tolist()
        if languages is None:
            from ..language import detect_languages

            languages = detect_languages(papers).tolist()
        allowed = set(criteria.languages)
        for i, lang in enumerate(languages):
            code = str(lang or "und").lower()
            if code not in allowed:
                exclude(i, f"language '{code}' is not among {', '.join(criteria.languages)}", "languages")
    if criteria.document_types:
        column = next((c for c in _DOCTYPE_COLUMNS if c in papers), None)
        if column is None:
            skipped.append("document_types: the papers have no document type column "
                           f"({', '.join(_DOCTYPE_COLUMNS)}); the exports read carry none")
        else:
            allowed = set(criteria.document_types)
            for i, value in enumerate(papers[column]):
                kind = _field_text(value).strip().lower()
                if kind not in allowed:
                    exclude(i, f"document type '{kind or 'unknown'}' is not among "
                               f"{', '.join(criteria.document_types)}", "document_types")
    fields = [f for f in criteria.fields if f in papers]
    if (criteria.include_terms or criteria.exclude_terms) and not fields:
        skipped.append(f"include/exclude terms: the papers have none of the fields {list(criteria.fields)}")
    elif criteria.include_terms or criteria.exclude_terms:
        excl = [(t, _pattern(t)) for t in criteria.exclude_terms]
        incl = [(t, _pattern(t)) for t in criteria.include_terms]
        columns = {f: papers[f].tolist() for f in fields}
        for i in range(n):
            texts = {f: _field_text(columns[f][i]) for f in fields}
            hit = _find(excl, texts) if excl else None
            if hit:
                exclude(i, f"contains the excluded term '{hit[0]}' ({hit[1]})", "exclude_terms")
            elif incl and _find(incl, texts) is None:
                exclude(i, f"none of the required terms ({', '.join(criteria.include_terms)}) in "
                           f"{', '.join(fields)}", "include_terms")
    if criteria.min_relevance is not None:
        if relevance is None:
            skipped.append("min_relevance: no relevance scores (set a research question)")
        else:
            if len(relevance) != n:
                raise ParameterError(f"{len(relevance)} relevance scores for {n} papers")
            for i, r in enumerate(relevance):
                if float(r) < float(criteria.min_relevance):
                    exclude(i, f"relevance {float(r):.2f} is below the minimum {float(criteria.min_relevance):.2f}",
                            "min_relevance")
    ids = papers["id"].tolist() if "id" in papers else [str(i) for i in range(n)]
    table = pd.DataFrame({"id": ids, "decision": decision, "reason": reason, "criterion": criterion},
                         index=papers.index)
    return Screening(table, skipped)
