"""Tests of the report's size caps: the topic map, the keyword network and the reference list.

A large synthetic input gives a bounded output that says what was left out; an input under
the cap gives the same output as before the caps.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from litscope import bibliometrics as bm
from litscope import figures
from litscope.bibliometrics.display import network_html
from litscope.bibliometrics.plots import plot_network
from litscope.report.display import topic_map_note_html
from litscope.report.references import compute_references
from litscope.report.sections import references_html


def _map_frames(sizes: dict[int, int]):
    topic = np.concatenate([[t] * n for t, n in sizes.items()])
    rng = np.random.default_rng(1)
    ids = [f"p{k}" for k in range(len(topic))]
    papers = pd.DataFrame({"id": ids, "topic": topic, "x": rng.normal(size=len(ids)), "y": rng.normal(size=len(ids))})
    df = pd.DataFrame({"id": ids, "title": [f"Paper number {k} " + "word " * 40 for k in range(len(ids))]})
    topics = pd.DataFrame({"topic": [t for t in sizes if t != -1], "label": [f"L{t}" for t in sizes if t != -1]})
    return papers, df, topics


def _points(fig) -> dict[str, int]:
    return {trace.name: len(trace.x) for trace in fig.data}


def test_topic_map_above_the_cap_draws_a_stratified_seeded_sample():
    papers, df, topics = _map_frames({0: 18_000, 1: 6_000, 2: 30, -1: 1_000})
    fig = figures.plot_topic_map(papers, df, topics, max_points=5_000)
    points = _points(fig)
    assert sum(points.values()) == 5_000
    assert fig.layout.meta == {"shown": 5_000, "total": 25_030}
    assert "5,000 of 25,030 papers shown" in fig.layout.title.text
    # proportional: topic 0 has 3x topic 1's papers, so about 3x its points; the small topic keeps
    # at least 20 of its 30 (its proportional share alone would be 6)
    big, mid = points["T0 · L0"], points["T1 · L1"]
    assert 2.9 < big / mid < 3.1
    assert 20 <= points["T2 · L2"] < 30
    assert points["Unassigned"] > 0
    # every drawn point is a real paper at its own coordinates
    trace = fig.data[0]
    coords = papers.set_index("id")
    assert len(set(zip(trace.x, trace.y))) == len(trace.x)
    assert all(len(t.split("<br><i>")[0].replace("<br>", " ")) <= 90 for t in trace.text)  # hover titles shortened
    again = figures.plot_topic_map(papers, df, topics, max_points=5_000)
    assert json.dumps(again.to_plotly_json(), default=str) == json.dumps(fig.to_plotly_json(), default=str)
    other_seed = figures.plot_topic_map(papers, df, topics, max_points=5_000, seed=1)
    assert list(other_seed.data[0].x) != list(trace.x)
    assert set(np.round(coords["x"].astype(float), 4)) >= set(trace.x)


def test_topic_map_under_the_cap_is_unchanged():
    papers, df, topics = _map_frames({0: 300, 1: 100, -1: 50})
    fig = figures.plot_topic_map(papers, df, topics, max_points=450)
    assert sum(_points(fig).values()) == 450
    assert not fig.layout.meta
    assert fig.layout.title.text == "Map of the papers (2-D projection of their embeddings)"
    assert fig.data[0].text[0].startswith("Paper number 0 word word")
    assert len(fig.data[0].text[0].split("<br><i>")[0]) > 90  # titles kept whole under the cap


def test_sample_keeps_small_topics_whole_and_fills_the_cap():
    rows = figures.sample_map_points([0] * 1000 + [1] * 5 + [2] * 500, max_points=300)
    assert len(rows) == 300 and len(set(rows.tolist())) == 300
    assert int(((rows >= 1000) & (rows < 1005)).sum()) == 5


def test_topic_map_note_names_the_counts_and_papers_csv():
    note = topic_map_note_html(10_000, 100_000)
    assert "10,000 of 100,000 papers shown" in note and "papers.csv" in note


def _keyword_frame(n_papers: int) -> pd.DataFrame:
    return pd.DataFrame({"id": [f"p{k}" for k in range(n_papers)],
                         "keywords": [["alpha", "beta"]] * n_papers})


def test_keyword_network_edges_list_a_bounded_number_of_papers():
    net = bm.compute_keyword_network(_keyword_frame(200), refs={f"p{k}": k + 1 for k in range(200)})
    assert net.edges.set_index(["source", "target"]).loc[("alpha", "beta"), "weight"] == 200
    fig = plot_network(net, "Keywords")
    hover = [t for t in fig.data[1].hovertext if t.startswith("alpha — beta")][0].replace("<br>", " ")
    assert "[30]" in hover and "[31]" not in hover and "… and 170 more" in hover
    html = network_html(net, "keyword")
    assert "[30]" in html and "[31]" not in html and "… and 170 more" in html
    assert "first 30 papers" in html and "corpus.csv" in html


def test_keyword_network_under_the_cap_lists_every_paper():
    net = bm.compute_keyword_network(_keyword_frame(20), refs={f"p{k}": k + 1 for k in range(20)})
    html = network_html(net, "keyword")
    assert "; ".join(f"[{k}]" for k in range(1, 21)) in html
    assert "more" not in html and "first 30 papers" not in html
    hover = [t for t in plot_network(net, "K").data[1].hovertext if t.startswith("alpha — beta")][0]
    assert "[20]" in hover and "more" not in hover


@pytest.fixture
def refs():
    df = pd.DataFrame({"id": [f"p{k}" for k in range(12)], "title": [f"Title {k:02d}" for k in range(12)],
                       "authors": [[f"Author{k:02d}, A"] for k in range(12)],
                       "year": pd.array([2020] * 12, dtype="Int64"), "venue": [""] * 12,
                       "doi": [""] * 12, "arxiv_id": [""] * 12, "url": [""] * 12})
    return compute_references(df)


def test_reference_list_above_the_cap_stops_with_a_note_and_keeps_the_numbers(refs):
    html = references_html(refs, limit=10)
    assert html.count('class="ls-ref"') == 10
    assert 'id="ref-10"' in html and 'id="ref-11"' not in html
    assert "stops at [10] of 12" in html and "papers.csv" in html
    # the same number names the same paper as in the full list
    full = references_html(refs)
    entry = full[full.index('id="ref-7"'):].split("</p>")[0]
    assert entry in html


def test_reference_list_under_the_cap_is_unchanged(refs):
    html = references_html(refs, limit=12)
    assert html == references_html(refs)
    assert html.count('class="ls-ref"') == 12 and "stops at" not in html
