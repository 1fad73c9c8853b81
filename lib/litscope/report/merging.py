"""De-duplication glue: one row per paper, or the records as they are when switched off."""

from __future__ import annotations

import pandas as pd


def merge_duplicates(df: pd.DataFrame, enabled: bool = True) -> pd.DataFrame:
    """One row per paper: :func:`litscope.dedupe.deduplicate` when enabled.

    When switched off, a copy of ``df`` with a one-element ``merged_from`` per row and
    ``attrs["dedupe_note"]`` saying why. ``attrs`` of ``df`` (load report, skipped records)
    are kept in both cases; ``attrs["dedupe_done"]`` says which happened.
    """
    from .. import dedupe

    if enabled:
        merged = dedupe.deduplicate(df)
        note = ""
    else:
        merged = df.copy()
        merged["merged_from"] = [[f"{f}#{r}"] for f, r in zip(df["source_file"], df["source_record"])]
        note = "it was switched off for this report (parameter <code>deduplicate = False</code>)"
    attrs = dict(df.attrs)
    attrs.update(merged.attrs)
    attrs["dedupe_done"] = enabled
    attrs["dedupe_note"] = note
    merged.attrs = attrs
    return merged.reset_index(drop=True)
