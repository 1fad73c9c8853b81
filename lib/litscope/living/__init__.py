"""Living reviews: keep each run's snapshot, compare two runs, say what is new.

* :func:`write_run_snapshot` keeps what a later run needs: papers with their topics, every
  record's paper, topic centroids; :func:`write_review_snapshot` (called by the pipeline
  after ``topics.csv``) writes it for a :class:`litscope.pipeline.Review`.
* :func:`read_run_snapshot` reads one back; :func:`find_previous_run` finds the run a new
  one of the same name follows (the published report, else the newest archived one).
* :func:`compute_changes` compares two runs; :func:`display_changes` shows the
  "What's new since DATE" section (:func:`changes_html` builds it);
  :func:`display_changes_since_previous` is the review notebook's cell.

The archive itself (``reports/NAME/history/DATE/``) is made by
:func:`litscope.publish.swap_into_place`.
"""

from __future__ import annotations

from .changes import RunChanges, compute_changes, match_papers, match_topics
from .display import changes_html, display_changes, format_since
from .snapshot import RunSnapshot, compute_centroids, read_run_snapshot, write_run_snapshot
from .runs import find_previous_run, list_runs, previous_run_for
from .review import compute_changes_since_previous, display_changes_since_previous, write_review_snapshot

__all__ = ["RunChanges", "RunSnapshot", "changes_html", "compute_centroids", "compute_changes",
           "compute_changes_since_previous", "display_changes", "display_changes_since_previous",
           "find_previous_run", "format_since", "list_runs", "match_papers", "match_topics",
           "previous_run_for", "read_run_snapshot", "write_review_snapshot", "write_run_snapshot"]
