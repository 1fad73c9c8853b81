"""Living reviews: keep each run's snapshot, compare two runs, say what is new.

* :func:`write_run_snapshot` (called by the pipeline after ``topics.csv``) keeps what a
  later run needs: papers with their topics, every record's paper, topic centroids.
* :func:`read_run_snapshot` reads one back; :func:`find_previous_run` finds the run a new
  one of the same name follows (the published report, else the newest archived one).
* :func:`compute_changes` compares two runs; :func:`display_changes` shows the
  "What's new since DATE" section (:func:`changes_html` builds it).

The archive itself (``reports/NAME/history/DATE/``) is made by
:func:`litscope.publish.swap_into_place`.
"""

from __future__ import annotations

from .changes import RunChanges, compute_changes, match_papers, match_topics
from .display import changes_html, display_changes, format_since
from .snapshot import RunSnapshot, compute_centroids, read_run_snapshot, write_run_snapshot
from .runs import find_previous_run, list_runs, previous_run_for

__all__ = ["RunChanges", "RunSnapshot", "changes_html", "compute_centroids", "compute_changes",
           "display_changes", "find_previous_run", "format_since", "list_runs", "match_papers",
           "match_topics", "previous_run_for", "read_run_snapshot", "write_run_snapshot"]
