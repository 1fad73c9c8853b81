"""What changed between two runs of a review: papers added and removed, topics matched.

:func:`compute_changes` compares two :class:`~litscope.living.snapshot.RunSnapshot`.

* **Same paper.** A paper of the previous run is the same paper in the current one when
  its id is the same; else when the current run merged a record of that id into a paper
  (its ``records.json``) that the previous run did not have (an identifier arrived, the
  paper kept its place); else when its title key and year are those of a current paper
  that the previous run did not have.
* **Removed papers** get a reason: *merged as a duplicate of* a paper both runs have;
  *input file no longer among the inputs* when none of the files it came from was read
  this time; else *no longer in its input file* (the export no longer lists it).
* **Topics** are matched by their papers first: the successor of a previous topic is the
  current topic holding most of its papers that are still in the corpus, provided that is
  at least half of them (:data:`MIN_SHARED`). A previous topic whose papers were all
  removed is matched by centroid instead: the current topic with the most similar mean
  embedding, when the cosine similarity is at least :data:`MIN_CENTROID_SIMILARITY`.
  A current topic with no predecessor *appeared*; with two or more it *merged* them; with
  one it *grew* or *shrank* when its size changed by at least :data:`MIN_SIZE_CHANGE`
  papers and 10 % of the previous size, else it is *stable*. A previous topic with no
  successor *disappeared*.
* **Papers that changed topic**: papers of both runs whose current topic is not the
  successor of their previous one (unassigned counts as a topic of its own).

Examples
--------
>>> import pandas as pd
>>> from litscope.living.snapshot import RunSnapshot
>>> def run(ids, topics, labels):
...     papers = pd.DataFrame({"id": ids, "title": ids, "year": pd.array([2020] * len(ids), dtype="Int64"),
...                            "doi": "", "topic": topics, "topic_label": "", "source_files": [["a.ris"]] * len(ids),
...                            "title_key": ids})
...     t = pd.DataFrame({"topic": sorted(labels), "label": [labels[k] for k in sorted(labels)],
...                       "size": [topics.count(k) for k in sorted(labels)]})
...     return RunSnapshot(Path("."), "r", "2026-01-01T00:00:00+00:00", ["a.ris"], papers,
...                        pd.DataFrame(columns=["id", "paper_id", "source_file"]), t)
>>> before = run(["p1", "p2", "p3"], [0, 0, 1], {0: "Alpha", 1: "Beta"})
>>> after = run(["p1", "p2", "p3", "p4"], [0, 0, 0, 0], {0: "Alpha"})
>>> ch = compute_changes(before, after)
>>> ch.new_papers["id"].tolist(), ch.topics[["status", "previous"]].values.tolist()
(['p4'], [['merged', 'Alpha; Beta']])
>>> len(ch.moved_papers)  # Beta merged into Alpha: p3 followed its topic, it did not move
0
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .snapshot import RunSnapshot

__all__ = ["RunChanges", "compute_changes", "match_papers", "match_topics", "MIN_SHARED",
           "MIN_CENTROID_SIMILARITY", "MIN_SIZE_CHANGE"]

#: Share of a previous topic's remaining papers that its successor must hold.
MIN_SHARED = 0.5
#: Cosine similarity of centroids that matches a topic whose papers are all gone.
MIN_CENTROID_SIMILARITY = 0.85
#: Fewest papers (and 10 % of the previous size) by which a topic must change to grow or shrink.
MIN_SIZE_CHANGE = 2


@dataclass
class RunChanges:
    """The result of :func:`compute_changes`.

    Attributes
    ----------
    since : str
        When the previous run finished (ISO 8601).
    new_papers : pandas.DataFrame
        ``id, title, year, topic_label`` of papers only the current run has.
    removed_papers : pandas.DataFrame
        ``id, title, year, topic_label, reason`` of papers only the previous run had.
    topics : pandas.DataFrame
        One row per current topic and per disappeared previous topic: ``topic``,
        ``label``, ``status`` (appeared, grew, shrank, stable, merged, disappeared),
        ``previous`` (labels of the matched previous topics), ``previous_size``,
        ``size``, ``shared_papers``, ``centroid_similarity`` (NaN when not known), ``matched_by``.
    moved_papers : pandas.DataFrame
        ``id, title, previous_topic, current_topic``.
    renamed : dict
        Previous id -> current id of papers whose id changed.
    """

    since: str
    new_papers: pd.DataFrame
    removed_papers: pd.DataFrame
    topics: pd.DataFrame
    moved_papers: pd.DataFrame
    renamed: dict

    @property
    def unchanged(self) -> bool:
        """True when no paper was added, removed or moved and no topic changed."""
        return (not len(self.new_papers) and not len(self.removed_papers) and not len(self.moved_papers)
                and bool((self.topics["status"] == "stable").all()))


def match_papers(previous: RunSnapshot, current: RunSnapshot) -> dict[str, str]:
    """Previous paper id -> current paper id, for every paper both runs have (see module doc)."""
    cur_ids = set(current.papers["id"])
    prev_ids = set(previous.papers["id"])
    mapping = {pid: pid for pid in previous.papers["id"] if pid in cur_ids}
    record_to_paper = dict(zip(current.records["id"], current.records["paper_id"]))
    by_title: dict[tuple, str] = {}
    for pid, key, year in zip(current.papers["id"], current.papers["title_key"], current.papers["year"]):
        if pid not in prev_ids and key:
            by_title.setdefault((key, None if pd.isna(year) else int(year)), pid)
    taken = set(mapping.values())
    for pid, key, year in zip(previous.papers["id"], previous.papers["title_key"], previous.papers["year"]):
        if pid in mapping:
            continue
        target = record_to_paper.get(pid)
        if target in cur_ids and target not in prev_ids and target not in taken:
            mapping[pid] = target
        else:
            target = by_title.get((key, None if pd.isna(year) else int(year)))
            if target is not None and target not in taken:
                mapping[pid] = target
        if pid in mapping:
            taken.add(mapping[pid])
    return mapping


def _same_file(a: str, inputs: set[str], names: set[str]) -> bool:
    return a in inputs or os.path.basename(a) in names


def _removal_reason(pid: str, files: list[str], current: RunSnapshot, cur_titles: dict[str, str],
                    read_files: set[str], read_names: set[str]) -> str:
    merged_into = dict(zip(current.records["id"], current.records["paper_id"])).get(pid)
    if merged_into is not None and merged_into in cur_titles:
        return f"merged as a duplicate of {cur_titles[merged_into]!r} ({merged_into})"
    if files and not any(_same_file(f, read_files, read_names) for f in files):
        return "its input file is no longer among the inputs: " + ", ".join(os.path.basename(f) for f in files)
    where = ", ".join(os.path.basename(f) for f in files) or "the inputs"
    return f"no longer in its input file ({where}): the export no longer lists it"


def match_topics(previous: RunSnapshot, current: RunSnapshot, paper_map: dict[str, str]
                 ) -> tuple[dict[int, int], dict[int, int], dict[int, float]]:
    """Successor of each previous topic that has one; shared papers; centroid similarity.

    Returns ``(successor, shared, similarity)``, each keyed by previous topic id.
    """
    cur_topic = dict(zip(current.papers["id"], current.papers["topic"]))
    sim = None
    if (previous.centroids is not None and current.centroids is not None and len(previous.centroids)
            and len(current.centroids) and previous.centroids.shape[1] == current.centroids.shape[1]):
        sim = previous.centroids.astype(np.float64) @ current.centroids.astype(np.float64).T
    prev_pos = {int(t): i for i, t in enumerate(previous.topics["topic"])}
    cur_ids = [int(t) for t in current.topics["topic"]]
    successor, shared, similarity = {}, {}, {}
    for topic in previous.topics["topic"].astype(int):
        members = previous.papers.loc[previous.papers["topic"] == topic, "id"]
        counts = pd.Series([cur_topic[paper_map[p]] for p in members if p in paper_map],
                           dtype="int64").value_counts()
        counts = counts[counts.index >= 0]
        remaining = sum(1 for p in members if p in paper_map)
        row = prev_pos.get(topic)
        if len(counts) and counts.iloc[0] >= MIN_SHARED * remaining:
            best = int(counts.sort_index().idxmax())  # ties: the lower (larger) topic
            successor[topic], shared[topic] = best, int(counts[best])
        elif remaining == 0 and sim is not None and row is not None and row < sim.shape[0]:
            j = int(np.argmax(sim[row]))
            if sim[row, j] >= MIN_CENTROID_SIMILARITY:
                successor[topic], shared[topic] = cur_ids[j], 0
        if topic in successor and sim is not None and row is not None and row < sim.shape[0]:
            similarity[topic] = float(sim[row, cur_ids.index(successor[topic])])
    return successor, shared, similarity


def _size_status(before: int, after: int) -> str:
    change = after - before
    if abs(change) >= max(MIN_SIZE_CHANGE, 0.1 * before):
        return "grew" if change > 0 else "shrank"
    return "stable"


def compute_changes(previous: RunSnapshot, current: RunSnapshot) -> RunChanges:
    """Compare two runs (see the module docstring for every rule)."""
    paper_map = match_papers(previous, current)
    mapped = set(paper_map.values())
    cur = current.papers
    new = cur.loc[~cur["id"].isin(mapped), ["id", "title", "year", "topic_label"]].reset_index(drop=True)

    cur_titles = dict(zip(cur["id"], cur["title"]))
    read_files = {str(f) for f in current.inputs} | set(current.records["source_file"].astype(str))
    read_names = {os.path.basename(f) for f in read_files}
    gone = previous.papers.loc[~previous.papers["id"].isin(paper_map)]
    removed = gone[["id", "title", "year", "topic_label"]].reset_index(drop=True)
    removed["reason"] = [_removal_reason(pid, list(files), current, cur_titles, read_files, read_names)
                         for pid, files in zip(gone["id"], gone["source_files"])]

    successor, shared, similarity = match_topics(previous, current, paper_map)
    prev_label = dict(zip(previous.topics["topic"].astype(int), previous.topics["label"]))
    prev_size = dict(zip(previous.topics["topic"].astype(int), previous.topics["size"].astype(int)))
    rows = []
    for topic, label, size in zip(current.topics["topic"].astype(int), current.topics["label"],
                                  current.topics["size"].astype(int)):
        before = sorted(p for p, s in successor.items() if s == topic)
        if not before:
            status = "appeared"
        elif len(before) > 1:
            status = "merged"
        else:
            status = _size_status(prev_size[before[0]], int(size))
        sims = [similarity[p] for p in before if p in similarity]
        rows.append({"topic": topic, "label": label, "status": status,
                     "previous": "; ".join(str(prev_label[p]) for p in before),
                     "previous_size": sum(prev_size[p] for p in before) if before else 0, "size": int(size),
                     "shared_papers": sum(shared[p] for p in before),
                     "centroid_similarity": float(np.mean(sims)) if sims else float("nan"),
                     "matched_by": ("" if not before else "papers" if sum(shared[p] for p in before)
                                    else "centroid")})
    for topic in previous.topics["topic"].astype(int):
        if topic not in successor:
            rows.append({"topic": -1, "label": prev_label[topic], "status": "disappeared",
                         "previous": prev_label[topic], "previous_size": prev_size[topic], "size": 0,
                         "shared_papers": 0, "centroid_similarity": float("nan"), "matched_by": ""})
    topics = pd.DataFrame(rows, columns=["topic", "label", "status", "previous", "previous_size", "size",
                                         "shared_papers", "centroid_similarity", "matched_by"])

    cur_topic = dict(zip(cur["id"], cur["topic"]))
    cur_label = dict(zip(current.topics["topic"].astype(int), current.topics["label"]))
    moved = []
    for pid, title, topic in zip(previous.papers["id"], previous.papers["title"], previous.papers["topic"]):
        if pid not in paper_map:
            continue
        now = int(cur_topic[paper_map[pid]])
        expected = -1 if topic == -1 else successor.get(int(topic))
        if now != expected:
            moved.append({"id": paper_map[pid], "title": title,
                          "previous_topic": prev_label.get(int(topic), "unassigned"),
                          "current_topic": cur_label.get(now, "unassigned")})
    moved_frame = pd.DataFrame(moved, columns=["id", "title", "previous_topic", "current_topic"])
    renamed = {p: c for p, c in paper_map.items() if p != c}
    return RunChanges(since=previous.finished, new_papers=new, removed_papers=removed, topics=topics,
                      moved_papers=moved_frame, renamed=renamed)
