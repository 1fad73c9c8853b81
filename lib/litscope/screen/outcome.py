"""Where each paper ends up after screening: the criteria and the reviewer's decisions together.

Two sources decide a paper:

* the **criteria** (:func:`litscope.screening.compute_screening`): year range, languages,
  document types, include/exclude terms, minimum relevance; each exclusion keeps the
  first criterion the paper fails;
* the **reviewer** (:func:`litscope.screening.apply_decisions`): the decisions file and the
  labels the exports already carry (ASReview, Rayyan).

A reviewer's decision is final: it overrides the criteria (a reviewer who includes a paper
published a year too early has read it). A paper no reviewer decided keeps the criteria's
exclusion. Of the rest, when there are *no* reviewer decisions at all, the papers passing
the criteria are the included ones (an automated screen); once any decision exists, a paper
nobody decided is *awaiting screening*, and a ``maybe`` is *awaiting a decision*.

Examples
--------
>>> import pandas as pd
>>> crit = pd.DataFrame({"id": list("abcd"), "decision": ["exclude", "", "", "exclude"],
...                      "reason": ["published in 1990, before 2000", "", "", "published in 1991, before 2000"],
...                      "criterion": ["years", "", "", "years"]})
>>> rev = pd.DataFrame({"id": list("abcd"), "decision": ["", "exclude", "", "include"],
...                     "reason": ["", "wrong population", "", ""]})
>>> out = compute_outcome(crit, rev)
>>> out.table[["id", "status", "reason", "by"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
[['a', 'excluded', 'published before 2000', 'criteria'], ['b', 'excluded', 'wrong population', 'reviewer'],
 ['c', 'awaiting', 'not screened yet', ''], ['d', 'included', '', 'reviewer']]
>>> out.reasons()[["by", "reason", "n"]].values.tolist()
[['criteria', 'published before 2000', 1], ['reviewer', 'wrong population', 1]]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

__all__ = ["STATUSES", "ScreeningOutcome", "compute_outcome", "criterion_reason"]

#: Where a paper ends up.
STATUSES = ("included", "excluded", "awaiting")

_NO_REASON = "no reason given"


def criterion_reason(criterion: str, reason: str) -> str:
    """The reason of a criteria exclusion as counted in the diagram (one line per rule, not per year).

    >>> criterion_reason("years", "published in 1990, before 2000")
    'published before 2000'
    >>> criterion_reason("languages", "language 'de' is not among en")
    'language not among en'
    """
    if criterion == "years":
        if reason.startswith("no publication year"):
            return "no publication year"
        m = re.search(r"(before|after) (\d+)$", reason)
        return f"published {m.group(1)} {m.group(2)}" if m else reason
    if criterion == "languages":
        m = re.search(r"not among (.*)$", reason)
        return f"language not among {m.group(1)}" if m else reason
    if criterion == "document_types":
        m = re.search(r"not among (.*)$", reason)
        return f"document type not among {m.group(1)}" if m else reason
    if criterion == "min_relevance":
        m = re.search(r"minimum ([\d.]+)$", reason)
        return f"relevance below {m.group(1)}" if m else reason
    return reason  # terms: the term and field already name the rule


@dataclass
class ScreeningOutcome:
    """Each paper's status after screening.

    Attributes
    ----------
    table : pandas.DataFrame
        Row-aligned with the papers: ``id``, ``status`` (:data:`STATUSES`), ``reason``
        (why excluded, or why awaiting; '' for included), ``detail`` (the criterion's exact
        words, e.g. the year), ``by`` (``criteria``, ``reviewer`` or '').
    has_decisions : bool
        Whether any reviewer decision was given (else the criteria alone decide).
    """

    table: pd.DataFrame
    has_decisions: bool

    def counts(self) -> dict[str, int]:
        """Papers per status."""
        values = self.table["status"].tolist()
        return {s: values.count(s) for s in STATUSES}

    def reasons(self) -> pd.DataFrame:
        """Excluded papers per reason: ``by``, ``reason``, ``n``; criteria first, then most first."""
        ex = self.table[self.table["status"] == "excluded"]
        if ex.empty:
            return pd.DataFrame(columns=["by", "reason", "n"])
        out = ex.groupby(["by", "reason"], sort=False).size().reset_index(name="n")
        out["_order"] = out["by"].map({"criteria": 0, "reviewer": 1})
        out = out.sort_values(["_order", "n", "reason"], ascending=[True, False, True], kind="stable")
        return out.drop(columns="_order").reset_index(drop=True)

    def included_ids(self) -> list[str]:
        """Ids of the included papers, in the papers' order."""
        return self.table.loc[self.table["status"] == "included", "id"].astype(str).tolist()


def compute_outcome(criteria: pd.DataFrame, reviewer: pd.DataFrame | None) -> ScreeningOutcome:
    """Combine the criteria's exclusions and the reviewer's decisions (row-aligned, same ids).

    Parameters
    ----------
    criteria : pandas.DataFrame
        :attr:`litscope.screening.Screening.table` (``id``, ``decision``, ``reason``, ``criterion``).
    reviewer : pandas.DataFrame or None
        :attr:`litscope.screening.AppliedDecisions.table` (``id``, ``decision``, ``reason``); None
        or all-empty when no decisions were given.
    """
    n = len(criteria)
    decided = [""] * n if reviewer is None else ["" if not isinstance(d, str) else d
                                                  for d in reviewer["decision"]]
    given = [""] * n if reviewer is None else ["" if not isinstance(r, str) else r.strip()
                                                for r in reviewer["reason"]]
    has_decisions = any(decided)
    status, reason, detail, by = [], [], [], []
    for i, (crit, why, name) in enumerate(zip(criteria["decision"], criteria["reason"], criteria["criterion"])):
        d = decided[i]
        if d == "include":
            row = ("included", "", "", "reviewer")
        elif d == "exclude":
            row = ("excluded", given[i] or _NO_REASON, given[i], "reviewer")
        elif d == "maybe":
            row = ("awaiting", "marked maybe", given[i], "reviewer")
        elif crit == "exclude":
            row = ("excluded", criterion_reason(name, why), why, "criteria")
        elif has_decisions:
            row = ("awaiting", "not screened yet", "", "")
        else:
            row = ("included", "", "", "criteria")
        for col, value in zip((status, reason, detail, by), row):
            col.append(value)
    table = pd.DataFrame({"id": criteria["id"].astype(str).to_numpy(), "status": status, "reason": reason,
                          "detail": detail, "by": by}, index=criteria.index)
    return ScreeningOutcome(table, has_decisions)
