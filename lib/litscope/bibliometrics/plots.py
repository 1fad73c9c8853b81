"""Plotly figures of the bibliometric results: networks and topic shares over time.

Every text from an input is HTML-escaped (:func:`litscope.figures.hover_text`). Layouts
are seeded, so the same inputs draw the same figure. The figures carry no plotly.js; the
report's renderer adds it once, inline (no CDN).

Examples
--------
>>> import pandas as pd
>>> from litscope.bibliometrics.networks import compute_keyword_network
>>> df = pd.DataFrame({"id": ["a", "b"], "keywords": [["x", "<y>"], ["x", "<y>"]]})
>>> fig = plot_network(compute_keyword_network(df), "Keywords")
>>> [t.name for t in fig.data]
['links', 'papers behind each link', 'keywords']
>>> any("&lt;y&gt;" in text for text in fig.data[2].hovertext)
True
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..figures import PALETTE, WIDTH, hover_text
from .common import BiblioResult, NetworkResult, listed_papers

__all__ = ["plot_network", "plot_topic_shares"]


def _go():
    import plotly.graph_objects as go

    return go


#: Nodes named on the drawing of a network, largest first.
LABELLED_NODES = 12


def plot_network(result: NetworkResult, title: str, *, seed: int = 42, node_name: str = "keywords") -> Any | None:
    """The network drawn with a seeded spring layout; None when it has no edge.

    Edge midpoints carry the hover text naming the papers behind each edge (the first
    :data:`~litscope.bibliometrics.common.PAPERS_LISTED`, then how many more).
    """
    import networkx as nx

    graph = result.graph
    if graph.number_of_edges() == 0:
        return None
    go = _go()
    pos = nx.spring_layout(graph, seed=seed, weight="weight")
    ex, ey, mx, my, mtext = [], [], [], [], []
    for a, b, data in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1])):
        (x0, y0), (x1, y1) = pos[a], pos[b]
        ex += [x0, x1, None]
        ey += [y0, y1, None]
        mx.append((x0 + x1) / 2)
        my.append((y0 + y1) / 2)
        papers = data.get("papers", [])
        mtext.append(f"{hover_text(a)} — {hover_text(b)}<br>{len(papers)} paper{'s' if len(papers) != 1 else ''}: "
                     + hover_text(listed_papers(list(papers), sep=", "), width=60))
    nodes = sorted(graph.nodes)
    sizes = [graph.nodes[n].get("papers", 1) for n in nodes]
    biggest = max(sizes) or 1
    # Names on the largest nodes only (the others on hover): a dense centre stays readable.
    labelled = set(sorted(nodes, key=lambda n: (-graph.nodes[n].get("papers", 1), n))[:LABELLED_NODES])
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=ex, y=ey, mode="lines", name="links", hoverinfo="skip",
                             line=dict(width=0.8, color="#9aa5b1")))
    fig.add_trace(go.Scatter(x=mx, y=my, mode="markers", name="papers behind each link",
                             marker=dict(size=6, color="rgba(0,0,0,0.08)"), hovertext=mtext, hoverinfo="text"))
    fig.add_trace(go.Scatter(
        x=[pos[n][0] for n in nodes], y=[pos[n][1] for n in nodes], mode="markers+text", name=node_name,
        text=[hover_text(n, width=200) if n in labelled else "" for n in nodes],
        textposition="top center", hoverinfo="text",
        hovertext=[f"{hover_text(n)}<br>{s} paper{'s' if s != 1 else ''}" for n, s in zip(nodes, sizes)],
        marker=dict(size=[8 + 22 * (s / biggest) ** 0.5 for s in sizes], color=PALETTE[0],
                    line=dict(width=1, color="white"))))
    fig.update_layout(template="plotly_white", width=WIDTH, height=620, showlegend=False,
                      title=dict(text=hover_text(title, width=200), x=0.0, xanchor="left"),
                      xaxis=dict(visible=False), yaxis=dict(visible=False),
                      margin=dict(l=20, r=20, t=60, b=20))
    return fig


def plot_topic_shares(result: BiblioResult, *, title: str = "Share of each topic's papers per year") -> Any | None:
    """One line per topic: its share of each year's papers; trend marks in the legend."""
    table = result.table
    if not len(table):
        return None
    go = _go()
    trends = result.extra.get("trends", pd.DataFrame(columns=["topic", "trend"]))
    trend = dict(zip(trends["topic"], trends["trend"]))
    fig = go.Figure()
    for k, (topic, rows) in enumerate(table.groupby("topic", sort=True)):
        mark = {"emerging": " ▲ emerging", "declining": " ▼ declining"}.get(trend.get(topic, ""), "")
        label = rows["label"].iloc[0]
        fig.add_trace(go.Scatter(
            x=rows["year"], y=rows["share"], mode="lines+markers", name=hover_text(f"T{topic} {label}"[:45] + mark, 200),
            line=dict(color=PALETTE[k % len(PALETTE)], width=3 if mark else 1.5),
            hovertext=[f"{hover_text(label)}<br>{y}: {n} papers ({s:.0%})" for y, n, s in
                       zip(rows["year"], rows["papers"], rows["share"])], hoverinfo="text"))
    fig.update_layout(template="plotly_white", width=WIDTH, height=480,
                      title=dict(text=hover_text(title, width=200), x=0.0, xanchor="left"),
                      yaxis=dict(title="share of the year's papers", tickformat=".0%"),
                      # a tick per year while they fit; over a longer span plotly picks the step
                      xaxis=dict(title="year", dtick=1 if table["year"].max() - table["year"].min() <= 15 else None),
                      margin=dict(l=60, r=30, t=60, b=50))
    return fig
