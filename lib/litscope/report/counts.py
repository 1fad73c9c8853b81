"""Record counts of a corpus: records loaded, not loaded, merged, unique papers."""

from __future__ import annotations

import pandas as pd


def _has_text(series: pd.Series) -> pd.Series:
    return series.fillna("").astype(str).str.strip() != ""


def compute_corpus_overview(df: pd.DataFrame, merged: pd.DataFrame | None = None) -> pd.DataFrame:
    """Counts describing a corpus, one row per measure (measure, value).

    Parameters
    ----------
    df : pandas.DataFrame
        Records as loaded (``attrs["skipped"]`` and ``attrs["load_report"]`` are read when present).
    merged : pandas.DataFrame, optional
        One row per paper after de-duplication; ``df`` when omitted.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"id": ["a", "b", "c"], "abstract": ["x", "", "y"],
    ...                    "year": pd.array([2019, None, 2021], dtype="Int64")})
    >>> ov = compute_corpus_overview(df, df.iloc[:2])
    >>> dict(zip(ov["measure"], ov["value"]))["Unique papers"]
    2
    """
    merged = df if merged is None else merged
    skipped = df.attrs.get("skipped", []) or []
    report = df.attrs.get("load_report", []) or []
    years = pd.to_numeric(pd.Series(merged["year"], dtype="object"), errors="coerce").dropna().astype(int)
    with_abs = int(_has_text(merged["abstract"]).sum()) if "abstract" in merged else 0
    rows = [
        ("Input files", len(report) if report else (df["source_file"].nunique() if "source_file" in df else 0)),
        ("Records loaded", len(df)),
        ("Records not loaded (see load report)", len(skipped)),
        ("Duplicate records merged", len(df) - len(merged)),
        ("Unique papers", len(merged)),
        ("Papers with an abstract", with_abs),
        ("Papers without an abstract", len(merged) - with_abs),
        ("Papers with a known year", int(len(years))),
        ("Publication years", f"{years.min()}–{years.max()}" if len(years) else "not given in the inputs"),
    ]
    return pd.DataFrame(rows, columns=["measure", "value"])
