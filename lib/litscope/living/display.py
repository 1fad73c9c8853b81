"""The "What's new since DATE" section of a report, built from :class:`RunChanges`.

Every text from an input (titles, labels, file names) is HTML-escaped by
:func:`litscope.report.html.html_table` or :func:`html.escape`.

Examples
--------
>>> import pandas as pd
>>> from litscope.living.changes import RunChanges
>>> empty = pd.DataFrame(columns=["id", "title", "year", "topic_label", "reason"])
>>> ch = RunChanges("2026-01-02T03:04:05+00:00", pd.DataFrame({"id": ["x"], "title": ["<b>New</b>"],
...                 "year": [2024], "topic_label": ["T"]}), empty,
...                 pd.DataFrame(columns=["topic", "label", "status", "previous", "previous_size", "size",
...                                       "shared_papers", "centroid_similarity", "matched_by"]),
...                 pd.DataFrame(columns=["id", "title", "previous_topic", "current_topic"]), {})
>>> page = changes_html(ch)
>>> "What's new since 2 January 2026, 03:04 UTC" in page, "&lt;b&gt;New&lt;/b&gt;" in page
(True, True)
"""

from __future__ import annotations

import html
from datetime import datetime, timezone
from typing import Mapping

import pandas as pd

from ..report.html import _display_html, _plural, html_table
from .changes import MIN_CENTROID_SIMILARITY, MIN_SHARED, MIN_SIZE_CHANGE, RunChanges

__all__ = ["changes_html", "display_changes", "format_since"]


def format_since(iso: str) -> str:
    """``'2026-01-02T03:04:05+00:00'`` -> ``'2 January 2026, 03:04 UTC'`` (as given when unreadable)."""
    try:
        when = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return str(iso)
    when = (when if when.tzinfo else when.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)
    return f"{when.day} {when:%B %Y, %H:%M} UTC"


def _limited(frame: pd.DataFrame, limit: int) -> tuple[pd.DataFrame, str]:
    if len(frame) <= limit:
        return frame, ""
    return frame.head(limit), (f'<p class="ls-note">The first {limit} of {len(frame)} are listed; '
                               "snapshot/papers.json of each run has them all.</p>")


def changes_html(changes: RunChanges, *, refs: Mapping[str, int] | None = None, limit: int = 300,
                 heading: str = "h2") -> str:
    """The section as HTML: summary, new papers, removed papers with reasons, topics, moves."""
    since = html.escape(format_since(changes.since))
    t = changes.topics
    counts = t["status"].value_counts() if len(t) else pd.Series(dtype=int)
    parts = [f"<{heading}>What's new since {since}</{heading}>"]
    summary = (f"{_plural(len(changes.new_papers), 'new paper')}, "
               f"{_plural(len(changes.removed_papers), 'paper')} removed, "
               f"{_plural(len(changes.moved_papers), 'paper')} moved to another topic; topics: "
               + ", ".join(f"{int(counts.get(s, 0))} {s}" for s in
                           ("appeared", "grew", "shrank", "merged", "disappeared", "stable")) + ".")
    parts.append(f"<p>Compared with the run of {since}: {html.escape(summary)}</p>")
    if changes.renamed:
        parts.append(f'<p class="ls-note">{_plural(len(changes.renamed), "paper")} kept its place under '
                     "a new identifier (e.g. a DOI that an export now provides); they count as the same "
                     "papers.</p>")
    new = changes.new_papers.copy()
    if len(new):
        if refs:
            new.insert(0, "ref", [refs.get(i, "") for i in new["id"]])
        table, note = _limited(new, limit)
        cols = {"ref": "#"} if refs else {}
        cols |= {"title": "New paper", "year": "Year", "topic_label": "Topic"}
        parts.append(f"<h3>New papers</h3>{html_table(table, cols, numeric=('ref', 'year'))}{note}")
    if len(changes.removed_papers):
        table, note = _limited(changes.removed_papers, limit)
        parts.append("<h3>Removed papers</h3>" + html_table(
            table, {"title": "Paper", "year": "Year", "topic_label": "Its topic then", "reason": "Why"},
            numeric=("year",)) + note)
    if len(t):
        shown = t.assign(similarity=[("" if pd.isna(v) else f"{v:.2f}") for v in t["centroid_similarity"]])
        parts.append("<h3>Topics</h3>" + html_table(
            shown, {"label": "Topic now", "status": "Change", "previous": "Matched topic(s) then",
                    "previous_size": "Papers then", "size": "Papers now", "shared_papers": "Shared papers",
                    "similarity": "Centroid similarity"},
            numeric=("previous_size", "size", "shared_papers", "similarity")))
        parts.append(
            '<p class="ls-note">Topics are matched by their papers: a topic of the previous run continues '
            f"as the current topic holding at least {MIN_SHARED:.0%} of its papers that are still in the "
            "corpus; a topic whose papers were all removed is matched by the cosine similarity of the "
            f"topics' mean embeddings (at least {MIN_CENTROID_SIMILARITY}). A topic grew or shrank when its "
            f"size changed by at least {MIN_SIZE_CHANGE} papers and 10% of its previous size; a topic that "
            "continues two or more previous topics merged them.</p>")
    if len(changes.moved_papers):
        table, note = _limited(changes.moved_papers, limit)
        parts.append("<h3>Papers that changed topic</h3>" + html_table(
            table, {"title": "Paper", "previous_topic": "Topic then", "current_topic": "Topic now"}) + note)
    return "".join(parts)


def display_changes(changes: RunChanges | None, *, refs: Mapping[str, int] | None = None,
                    first_run_note: bool = True) -> None:
    """Show the section in the notebook; with no previous run, a one-line note instead."""
    if changes is None:
        if first_run_note:
            _display_html('<p class="ls-note">This is the first run of this review: there is no earlier '
                          "run to compare with.</p>")
        return
    _display_html(changes_html(changes, refs=refs))
