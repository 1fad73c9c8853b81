"""De-duplication glue: one row per paper, or the records as they are when switched off."""

from __future__ import annotations

from ..corpus import Corpus


def merge_duplicates(corpus: Corpus, enabled: bool = True) -> Corpus:
    """One row per paper: :func:`litscope.dedupe.deduplicate` when enabled, else
    :func:`litscope.dedupe.skip_deduplication` saying that it was switched off.

    The load report, skipped records and notes stay with the corpus either way.
    """
    from .. import dedupe

    if enabled:
        return dedupe.deduplicate(corpus)
    return dedupe.skip_deduplication(
        corpus, "it was switched off for this report (parameter <code>deduplicate = False</code>)")
