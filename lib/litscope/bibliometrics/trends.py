"""Papers per year per topic, and which topics are emerging or declining, by a stated test.

**The test.** For each topic, its *share* of a year is the number of its papers published
that year divided by all papers of that year in the corpus (assigned or not). Years with no
paper at all have no share and are left out. The slope of share against year is fitted by
ordinary least squares; its standard error gives a 95 % confidence interval (Student's t
with n - 2 degrees of freedom, n = number of years). A topic is **emerging** when the whole
interval is above zero, **declining** when it is below zero, and otherwise shows **no clear
trend**. With fewer than :data:`MIN_YEARS` years the test is not made.

Examples
--------
>>> import pandas as pd
>>> years = [2018] * 3 + [2019] * 3 + [2020] * 3 + [2021] * 3
>>> df = pd.DataFrame({"id": [f"p{k}" for k in range(12)], "year": pd.array(years, dtype="Int64")})
>>> old = {"p0", "p1", "p2", "p3", "p4", "p6"}  # 3, 2, 1, 0 papers a year; "New" the rest
>>> r = compute_topic_trends(df, {i: 0 if i in old else 1 for i in df["id"]}, {0: "Old", 1: "New"})
>>> r.extra["trends"][["label", "trend"]].values.tolist()
[['Old', 'declining'], ['New', 'emerging']]
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np
import pandas as pd

from .common import BiblioResult, lacking

__all__ = ["compute_topic_trends", "compute_review_trends", "slope_with_ci", "MIN_YEARS", "TEST_STATEMENT"]

#: Fewest years with papers for the trend test.
MIN_YEARS = 4

TEST_STATEMENT = (
    "A topic's share of a year is its number of papers that year divided by all papers of that "
    "year. The slope of the share against the year is fitted by least squares; a topic is marked "
    "emerging when the 95% confidence interval of the slope (from its standard error, Student's t "
    "with n-2 degrees of freedom over the n years that have papers) lies above zero, declining when "
    f"it lies below zero, and otherwise shows no clear trend. With fewer than {MIN_YEARS} years the "
    "test is not made.")


def slope_with_ci(x: np.ndarray, y: np.ndarray, level: float = 0.95) -> tuple[float, float, float, float]:
    """Least-squares slope of ``y`` on ``x``, its standard error, and its confidence interval.

    >>> s, se, lo, hi = slope_with_ci(np.array([0., 1., 2., 3.]), np.array([0., 1., 2., 3.]))
    >>> round(s, 6), round(se, 6), round(lo, 6), round(hi, 6)
    (1.0, 0.0, 1.0, 1.0)
    """
    from scipy import stats

    x, y = np.asarray(x, float), np.asarray(y, float)
    n = len(x)
    xc = x - x.mean()
    sxx = float((xc ** 2).sum())
    if n < 3 or sxx == 0:
        return float("nan"), float("nan"), float("nan"), float("nan")
    slope = float((xc * (y - y.mean())).sum() / sxx)
    residuals = y - (y.mean() + slope * xc)
    se = float(np.sqrt((residuals ** 2).sum() / (n - 2) / sxx))
    t = float(stats.t.ppf(0.5 + level / 2, n - 2))
    return slope, se, slope - t * se, slope + t * se


def compute_topic_trends(df: pd.DataFrame, topic_of_paper: Mapping[str, int],
                         labels: Mapping[int, str]) -> BiblioResult:
    """Papers per year per topic (``table``: year, topic, label, papers, share) and the trend test.

    ``extra["trends"]`` has one row per topic: ``topic, label, years, slope`` (share per
    year), ``se``, ``ci_low``, ``ci_high``, ``trend`` (emerging, declining, no clear trend,
    or "too few years").
    """
    cols = ["year", "topic", "label", "papers", "share"]
    tcols = ["topic", "label", "years", "slope", "se", "ci_low", "ci_high", "trend"]
    missing = lacking(df, "year")
    if missing is not None:
        return BiblioResult(pd.DataFrame(columns=cols), f"{missing}: papers cannot be counted per year.",
                            TEST_STATEMENT, {"trends": pd.DataFrame(columns=tcols)})
    years = pd.to_numeric(df["year"], errors="coerce")
    frame = pd.DataFrame({"year": years, "topic": [int(topic_of_paper.get(str(i), -1)) for i in df["id"]]})
    frame = frame.dropna(subset=["year"]).astype({"year": "int64"})
    per_year = frame.groupby("year").size()
    counts = frame.groupby(["year", "topic"]).size().unstack(fill_value=0)
    rows, trends = [], []
    for topic in sorted(labels):
        col = counts[topic] if topic in counts.columns else pd.Series(0, index=per_year.index)
        col = col.reindex(per_year.index, fill_value=0)
        share = col / per_year
        for year, n in col.items():
            rows.append({"year": int(year), "topic": topic, "label": labels[topic], "papers": int(n),
                         "share": float(share[year])})
        n_years = len(per_year)
        if n_years < MIN_YEARS:
            slope = se = lo = hi = float("nan")
            trend = "too few years"
        else:
            slope, se, lo, hi = slope_with_ci(per_year.index.to_numpy(float), share.to_numpy(float))
            trend = ("emerging" if lo > 0 else "declining" if hi < 0 else "no clear trend")
        trends.append({"topic": topic, "label": labels[topic], "years": n_years, "slope": slope, "se": se,
                       "ci_low": lo, "ci_high": hi, "trend": trend})
    note = TEST_STATEMENT
    n_years = len(per_year)
    lack = "" if n_years >= MIN_YEARS else (
        f"The papers span {n_years} year{'s' if n_years != 1 else ''} only: too few to test whether a "
        "topic is emerging or declining.")
    return BiblioResult(pd.DataFrame(rows, columns=cols), lack, note,
                        {"trends": pd.DataFrame(trends, columns=tcols)})


def compute_review_trends(result: Any, papers: pd.DataFrame) -> BiblioResult:
    """:func:`compute_topic_trends` of a review's topics (a ``TopicResult``).

    The shares are taken among the papers the topics were computed on (``result.papers``:
    all papers, or the included ones with ``scope="included"``), unassigned ones counted.
    """
    analysed = set(result.papers["id"].astype(str))
    df = papers.loc[papers["id"].astype(str).isin(analysed)]
    topic_of = dict(zip(result.papers["id"].astype(str), result.papers["topic"].astype(int)))
    labels = dict(zip(result.topics["topic"].astype(int), result.topics["label"].astype(str)))
    return compute_topic_trends(df, topic_of, labels)
