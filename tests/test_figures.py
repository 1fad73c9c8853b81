"""Tests of litscope.figures: figures build from small frames and escape input text."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from litscope import figures

EVIL = "<img src=x onerror=alert(1)> & co"


@pytest.fixture
def frames():
    df = pd.DataFrame({
        "id": ["a", "b", "c", "d"],
        "title": [EVIL, "Second paper", "Third", "Fourth"],
        "year": pd.array([2019, 2021, None, 2021], dtype="Int64"),
        "venue": ["J. <Evil>", "J. <Evil>", "", "Conf"],
        "source_file": ["x.ris"] * 4, "source_format": ["ris"] * 4,
    })
    papers = pd.DataFrame({"id": ["a", "b", "c", "d"], "topic": [0, 1, -1, 0],
                           "confidence": [0.9, 0.8, 0.2, 0.7], "x": [0.1, 0.2, 0.3, 0.4], "y": [1.0, 0.5, 0.2, 0.1]})
    topics = pd.DataFrame({"topic": [0, 1], "label": ["<b>Bold</b> topic", "Other"], "size": [2, 1],
                           "share": [0.5, 0.25]})
    sim = pd.DataFrame([[1.0, 0.4], [0.4, 1.0]], index=[0, 1], columns=[0, 1])
    return df, papers, topics, sim


def _json(fig) -> str:
    return json.dumps(fig.to_plotly_json(), default=str)


def test_years_fills_gaps_and_skips_unknown(frames):
    df = frames[0]
    fig = figures.plot_years(df)
    assert list(fig.data[0].x) == [2019, 2020, 2021] and list(fig.data[0].y) == [1, 0, 2]
    assert fig.layout.width == figures.WIDTH and fig.layout.template.layout.paper_bgcolor in ("white", "#fff", "#ffffff", None)
    assert figures.plot_years(df.assign(year=pd.array([None] * 4, dtype="Int64"))) is None


def test_topic_map_hover_is_escaped(frames):
    df, papers, topics, _ = frames
    fig = figures.plot_topic_map(papers, df, topics, refs={"a": 7})
    text = _json(fig)
    assert "<img" not in text and "<b>Bold" not in text
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; co" in text
    hover = [t for trace in fig.data for t in trace.text]
    assert any(h.startswith("[7] ") for h in hover)
    assert len(hover) == 4
    names = [trace.name for trace in fig.data]
    assert names[-1] == "Unassigned"


def test_topic_sizes_include_unassigned(frames):
    _, _, topics, _ = frames
    fig = figures.plot_topic_sizes(topics, n_unassigned=1)
    assert list(fig.data[0].x) == [1, 1, 2]  # reversed for a top-down horizontal chart
    assert "Unassigned" in list(fig.data[0].y)
    assert "<b>Bold" not in _json(fig)


def test_similarity_and_over_time(frames):
    df, papers, topics, sim = frames
    heat = figures.plot_topic_similarity(sim, topics)
    assert list(heat.data[0].x) == ["T0", "T1"]
    assert "<b>Bold" not in _json(heat)
    over = figures.plot_topics_over_time(papers, df, topics)
    bars = [t for t in over.data if t.type == "bar"]
    # 2021: two papers, topic 0 and topic 1 -> 50% each
    shares = {t.name: dict(zip(t.x, t.y)) for t in bars}
    assert shares["T1 · Other"][2021] == 50.0
    assert "<b>Bold" not in _json(over)


def test_sources_venues_escaped(frames):
    df = frames[0]
    fig = figures.plot_sources(df)
    assert "J. &lt;Evil&gt;" in list(fig.data[0].y)
    assert list(fig.data[0].x)[-1] == 2  # most frequent at the top
    no_venue = figures.plot_sources(df.assign(venue=""))
    assert "Records per input file" in no_venue.layout.title.text


def test_show_emits_plotly_bundle(frames, monkeypatch):
    shown = []
    import IPython.display

    monkeypatch.setattr(IPython.display, "display", lambda obj, raw=False: shown.append((obj, raw)))
    figures.show(figures.plot_years(frames[0]))
    figures.show(None)
    assert len(shown) == 1
    bundle, raw = shown[0]
    assert raw is True
    assert set(bundle) == {"application/vnd.plotly.v1+json", "text/html"}
    assert "cdn.plot.ly" not in bundle["text/html"] and "<div" in bundle["text/html"]


def test_figures_are_deterministic(frames):
    df, papers, topics, _ = frames
    assert _json(figures.plot_topic_map(papers, df, topics)) == _json(figures.plot_topic_map(papers, df, topics))
