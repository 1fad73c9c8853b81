"""Living reviews, the comparison: snapshots written by one run, read by the next, compared."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from litscope.errors import InputError
from litscope.living import (changes_html, compute_changes, find_previous_run, list_runs,
                             read_run_snapshot, write_run_snapshot)


def _papers(rows):
    """rows: (id, title, year, topic, source_file)."""
    return pd.DataFrame({"id": [r[0] for r in rows], "title": [r[1] for r in rows],
                         "year": pd.array([r[2] for r in rows], dtype="Int64"),
                         "topic": [r[3] for r in rows], "source_file": [r[4] for r in rows],
                         "doi": ["" for _ in rows]})


def _topics(labels):
    return pd.DataFrame({"topic": list(labels), "label": list(labels.values())})


#: Papers about a subject lie along its axis (unassigned papers along the last one).
AXIS = {"Agents": 0, "Agents and vision": 0, "Vision": 1, "Speech": 2, "Voice": 2, "Robots": 3, "T": 0, "<b>T</b>": 0}


def _embeddings(topics, labels, dims=5):
    out = np.zeros((len(topics), dims), dtype=np.float32)
    for row, t in enumerate(topics):
        out[row, AXIS[labels[t]] if t >= 0 else dims - 1] = 1.0
    return out


def _snapshot(folder, rows, labels, *, inputs, records=None, finished="2026-01-01T00:00:00+00:00", dims=5):
    papers = _papers(rows)
    write_run_snapshot(folder, papers, _topics(labels), embeddings=_embeddings(papers["topic"], labels, dims),
                       records=records, name="lr", inputs=inputs, finished=finished)
    return read_run_snapshot(folder)


A, B, C = "/data/a.ris", "/data/b.ris", "/data/c.ris"


@pytest.fixture
def previous(tmp_path):
    rows = [("p1", "Agents plan", 2020, 0, A), ("p2", "Agents act", 2021, 0, A), ("p3", "Agents learn", 2021, 0, A),
            ("p4", "Vision one", 2020, 1, A), ("p5", "Vision two", 2021, 1, A),
            ("p6", "Speech one", 2020, 2, B), ("p7", "Speech two", 2021, 2, B),
            ("p8", "Old record", 2019, 1, A), ("p9", "Dup candidate", 2019, 0, A), ("p10", "Loner", 2018, -1, A)]
    return _snapshot(tmp_path / "prev", rows, {0: "Agents", 1: "Vision", 2: "Speech"}, inputs=[A, B])


def test_new_removed_renamed_and_moved_papers(tmp_path, previous):
    rows = [("p1", "Agents plan", 2020, 0, A), ("p2", "Agents act", 2021, 0, A), ("p3", "Agents learn", 2021, 0, A),
            ("p4", "Vision one", 2020, 1, A), ("p5", "Vision two", 2021, 1, A),
            ("doi:10.1000/p9", "Dup candidate", 2019, 0, A),  # p9 gained a DOI: same paper, new id
            ("n1", "Agents new", 2024, 0, C), ("n2", "Vision new", 2024, 1, C), ("n3", "Vision newer", 2024, 1, C),
            ("p10", "Loner", 2018, 0, A)]  # was unassigned, now in Agents: it moved
    records = pd.DataFrame({"id": [r[0] for r in rows] + ["p8"],  # p8's record merged into p4 this time
                            "cluster_id": [r[0] for r in rows] + ["p4"],
                            "source_file": [r[4] for r in rows] + [A]})
    current = _snapshot(tmp_path / "cur", rows, {0: "Agents", 1: "Vision"}, inputs=[A, C], records=records,
                        finished="2026-02-01T00:00:00+00:00")

    ch = compute_changes(previous, current)

    assert sorted(ch.new_papers["id"]) == ["n1", "n2", "n3"]  # exactly the new ones
    reasons = dict(zip(ch.removed_papers["id"], ch.removed_papers["reason"]))
    assert set(reasons) == {"p6", "p7", "p8"}
    assert reasons["p8"].startswith("merged as a duplicate of 'Vision one' (p4)")
    assert reasons["p6"] == "its input file is no longer among the inputs: b.ris"
    assert ch.renamed == {"p9": "doi:10.1000/p9"}
    moved = ch.moved_papers.set_index("id")
    assert list(moved.index) == ["p10"] and moved.loc["p10", "previous_topic"] == "unassigned"
    status = dict(zip(ch.topics["label"], ch.topics["status"]))
    assert status["Speech"] == "disappeared"
    assert status["Agents"] == "grew" and status["Vision"] == "stable"  # 4 -> 6 and 3 -> 4 papers
    html = changes_html(ch)
    assert "What's new since 1 January 2026, 00:00 UTC" in html and "Agents new" in html


def test_a_paper_still_in_its_file_but_gone_is_said_so(tmp_path, previous):
    rows = [(f"p{k}", t, y, tp, f) for k, t, y, tp, f in
            [(1, "Agents plan", 2020, 0, A), (2, "Agents act", 2021, 0, A), (3, "Agents learn", 2021, 0, A),
             (4, "Vision one", 2020, 1, A), (5, "Vision two", 2021, 1, A), (6, "Speech one", 2020, 2, B),
             (7, "Speech two", 2021, 2, B), (9, "Dup candidate", 2019, 0, A), (10, "Loner", 2018, -1, A)]]
    current = _snapshot(tmp_path / "cur", rows, {0: "Agents", 1: "Vision", 2: "Speech"}, inputs=[A, B])
    ch = compute_changes(previous, current)
    assert ch.removed_papers["id"].tolist() == ["p8"]
    assert ch.removed_papers["reason"].iloc[0] == "no longer in its input file (a.ris): the export no longer lists it"
    assert ch.new_papers.empty and ch.moved_papers.empty and not ch.renamed


def test_topics_grow_shrink_appear_and_merge(tmp_path, previous):
    rows = [("p1", "Agents plan", 2020, 0, A), ("p2", "Agents act", 2021, 0, A), ("p3", "Agents learn", 2021, 0, A),
            ("p9", "Dup candidate", 2019, 0, A),
            ("p4", "Vision one", 2020, 0, A), ("p5", "Vision two", 2021, 0, A), ("p8", "Old record", 2019, 0, A),
            ("p6", "Speech one", 2020, 1, B)] + \
           [(f"s{k}", f"Speech new {k}", 2025, 1, B) for k in range(4)] + \
           [(f"r{k}", f"Robots {k}", 2025, 2, C) for k in range(3)] + [("p10", "Loner", 2018, -1, A)]
    current = _snapshot(tmp_path / "cur", rows, {0: "Agents and vision", 1: "Speech", 2: "Robots"},
                        inputs=[A, B, C])
    ch = compute_changes(previous, current)
    t = ch.topics.set_index("label")
    assert t.loc["Agents and vision", "status"] == "merged"
    assert t.loc["Agents and vision", "previous"] == "Agents; Vision"
    assert t.loc["Speech", "status"] == "grew"  # 2 -> 5 papers (p7 removed, 4 new)
    assert t.loc["Robots", "status"] == "appeared"
    assert t.loc["Speech", "matched_by"] == "papers" and t.loc["Speech", "shared_papers"] == 1
    assert t.loc["Speech", "centroid_similarity"] == pytest.approx(1.0)
    assert ch.moved_papers.empty  # merged topics carry their papers: nobody moved


def test_topic_whose_papers_all_left_is_matched_by_centroid(tmp_path, previous):
    rows = [("p1", "Agents plan", 2020, 0, A), ("p2", "Agents act", 2021, 0, A), ("p3", "Agents learn", 2021, 0, A),
            ("p9", "Dup candidate", 2019, 0, A), ("p4", "Vision one", 2020, 1, A), ("p5", "Vision two", 2021, 1, A),
            ("p8", "Old record", 2019, 1, A), ("p10", "Loner", 2018, -1, A),
            ("q1", "Voice", 2025, 2, C), ("q2", "Voices", 2025, 2, C)]  # same axis as Speech's centroid
    current = _snapshot(tmp_path / "cur", rows, {0: "Agents", 1: "Vision", 2: "Voice"}, inputs=[A, C])
    ch = compute_changes(previous, current)
    t = ch.topics.set_index("label")
    assert t.loc["Voice", "previous"] == "Speech" and t.loc["Voice", "matched_by"] == "centroid"
    assert "disappeared" not in set(ch.topics["status"])
    # Centroids of another embedder (other dimension) are not compared: Speech disappears.
    other = _snapshot(tmp_path / "other", rows, {0: "Agents", 1: "Vision", 2: "Voice"}, inputs=[A, C], dims=6)
    t2 = compute_changes(previous, other).topics.set_index("label")
    assert t2.loc["Voice", "status"] == "appeared" and t2.loc["Speech", "status"] == "disappeared"


def test_section_escapes_every_input_text(tmp_path):
    prev = _snapshot(tmp_path / "a", [("x", "<script>alert(1)</script>", 2020, 0, A)], {0: "<b>T</b>"}, inputs=[A])
    cur = _snapshot(tmp_path / "b", [("y", "<img src=x onerror=1>", 2021, 0, "/d/<evil>.ris")], {0: "<b>T</b>"},
                    inputs=["/d/<evil>.ris"])
    html = changes_html(compute_changes(prev, cur))
    assert "<script" not in html and "<img" not in html and "<b>T" not in html
    assert "&lt;img src=x onerror=1&gt;" in html and "&lt;script&gt;" in html


def test_runs_of_a_report_and_the_previous_one(tmp_path):
    report = tmp_path / "reports" / "lr"
    _snapshot(report / "history" / "2026-01-01T00-00-00Z", [("x", "X", 2020, 0, A)], {0: "T"}, inputs=[A])
    assert find_previous_run(report) == report / "history" / "2026-01-01T00-00-00Z"
    _snapshot(report, [("x", "X", 2020, 0, A)], {0: "T"}, inputs=[A])
    assert [label for label, _ in list_runs(report)] == ["2026-01-01T00-00-00Z", "current"]
    assert find_previous_run(report) == report
    (report / "history" / "2025-12-01T00-00-00Z").mkdir()  # an archived run without a snapshot is skipped
    assert len(list_runs(report)) == 2


def test_a_run_without_snapshot_cannot_be_compared(tmp_path):
    with pytest.raises(InputError, match="kept no snapshot"):
        read_run_snapshot(tmp_path)
