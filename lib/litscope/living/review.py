"""The living review in a review run: keep this run's snapshot, say what changed since the last.

:func:`write_review_snapshot` is called by :func:`litscope.pipeline.write_outputs`: one
row per paper of the de-duplicated corpus with its topic (-1 when it has none, e.g. a paper
left out by ``scope="included"``), every record with the paper it was merged into, and the
topic centroids from the review's embeddings.

:func:`compute_changes_since_previous` is what the review notebook shows right after the
title: the run that this one follows (:func:`~litscope.living.runs.previous_run_for`:
the published ``reports/NAME`` when this run writes to a ``.NAME.partial-*`` or a draft
folder) compared with this run's snapshot.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> out = Path(tempfile.mkdtemp()) / "alone"
>>> out.mkdir()
>>> compute_changes_since_previous(out, "alone") is None  # no earlier run of "alone"
True
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from ..errors import InputError
from .changes import RunChanges, compute_changes
from .runs import previous_run_for
from .snapshot import read_run_snapshot, write_run_snapshot

__all__ = ["write_review_snapshot", "compute_changes_since_previous", "display_changes_since_previous"]


def _review_papers(review: Any) -> pd.DataFrame:
    """The corpus' papers (corpus order) with the snapshot's columns and each paper's topic."""
    papers = review.corpus.papers
    assigned = review.topics.papers
    topic_of = dict(zip(assigned["id"].astype(str), assigned["topic"].astype(int)))
    frame = pd.DataFrame({"id": papers["id"].astype(str).to_numpy()})
    for column in ("title", "year", "doi", "source_file", "merged_from"):
        if column in papers.columns:
            frame[column] = papers[column].to_numpy()
    frame["topic"] = [topic_of.get(i, -1) for i in frame["id"]]
    return frame


def write_review_snapshot(review: Any, name: str = "") -> Path:
    """Write ``review.output_dir/snapshot/`` for a later run to compare with; the folder.

    Parameters
    ----------
    review : litscope.pipeline.Review
        A review whose corpus, topics and embeddings are computed.
    name : str
        The report name (empty: the output folder's name).
    """
    records = None
    clusters = review.corpus.clusters
    if clusters is not None and len(clusters):
        records = clusters[[c for c in ("id", "cluster_id", "source_file") if c in clusters.columns]]
    return write_run_snapshot(review.output_dir, _review_papers(review), review.topics.topics,
                              embeddings=review.embeddings, records=records,
                              name=name or Path(review.output_dir).name,
                              inputs=[str(f) for f in review.files])


def compute_changes_since_previous(output_dir: str | os.PathLike, name: str) -> RunChanges | None:
    """What changed between the run this one follows and this run (written to ``output_dir``).

    None when no earlier run of ``name`` kept a snapshot.

    Raises
    ------
    InputError
        A snapshot (the earlier run's or this one's) cannot be read.
    """
    previous = previous_run_for(output_dir, name)
    if previous is None:
        return None
    return compute_changes(read_run_snapshot(previous), read_run_snapshot(output_dir))


def display_changes_since_previous(output_dir: str | os.PathLike, name: str, *,
                                   refs: Mapping[str, int] | None = None) -> RunChanges | None:
    """Show "What's new since DATE" (nothing on a first run); the changes shown.

    An earlier run whose snapshot cannot be read is said in one line instead of failing the
    review: the new report is complete without the comparison.
    """
    from ..report.html import _display_html
    from .display import display_changes

    try:
        changes = compute_changes_since_previous(output_dir, name)
    except InputError as exc:
        _display_html('<p class="ls-warn">The previous run of this review cannot be compared with this one: '
                      f"{html.escape(str(exc))}</p>")
        return None
    display_changes(changes, refs=refs, first_run_note=False)
    return changes
