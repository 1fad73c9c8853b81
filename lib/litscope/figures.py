"""The figures of a review report, drawn with plotly.

Every ``plot_*`` function takes the frames computed elsewhere and returns a
:class:`plotly.graph_objects.Figure` sized for an A4 page (900 px wide),
on a white template, with the same colour for a topic in every figure.
Plotly renders HTML in hover text and tick labels, so every string that
comes from an input (titles, labels, venues) is HTML-escaped here.
:func:`show` displays a figure in a notebook so that both the live
notebook and the rendered HTML/PDF get it (plotly.js itself is injected
once by the renderer).

Examples
--------
>>> import pandas as pd
>>> from litscope import figures
>>> fig = figures.plot_years(pd.DataFrame({"year": pd.array([2020, 2021, 2021], dtype="Int64")}))
>>> list(fig.data[0].x), list(fig.data[0].y)
([2020, 2021], [1, 2])
>>> figures.hover_text("<b>x</b>")
'&lt;b&gt;x&lt;/b&gt;'
"""

from __future__ import annotations

import html
import textwrap
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

__all__ = ["show", "hover_text", "topic_colors", "plot_years", "plot_topic_sizes", "plot_topic_map",
           "plot_topic_similarity", "plot_topics_over_time", "plot_sources", "sample_map_points",
           "MAP_MAX_POINTS", "WIDTH"]

#: Figure width in pixels; fits the text width of an A4 page.
WIDTH = 900
#: Colour of papers no topic claimed.
UNASSIGNED_COLOR = "#b0b0b0"
#: A qualitative palette (Plotly's D3 and Dark24 families), distinct for up to 34 topics;
#: further topics reuse it.
PALETTE = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf", "#2E91E5", "#E15F99", "#1CA71C", "#FB0D0D", "#DA16FF", "#222A2A",
    "#B68100", "#750D86", "#EB663B", "#511CFB", "#00A08B", "#FB00D1", "#FC0080", "#B2828D",
    "#6C7C32", "#778AAE", "#862A16", "#A777F1", "#620042", "#1616A7", "#DA60CA", "#6C4516",
    "#0D2A63", "#AF0038",
]
_FONT = dict(family="Helvetica, Arial, sans-serif", size=13, color="#222")
_CONFIG = {"displaylogo": False, "responsive": True}


def _go():
    from .errors import MissingDependencyError

    try:
        import plotly.graph_objects as go
    except ImportError as exc:  # pragma: no cover - plotly is a core dependency
        raise MissingDependencyError("plotly", purpose="Drawing report figures",
                                     install="pip install plotly") from exc
    return go


def show(fig: Any) -> None:
    """Display a figure in a notebook as a plotly bundle with an HTML fallback.

    The HTML part does not embed plotly.js (the report renderer injects it
    once); ``None`` displays nothing, so optional figures need no ``if``.
    """
    if fig is None:
        return
    from IPython.display import display

    page = fig
    if fig.layout.width is not None and fig.layout.width >= WIDTH:
        # In HTML the full-width figures follow the page (screen or A4 print) instead of
        # overflowing it; the notebook bundle keeps the fixed size.
        page = type(fig)(fig)
        page.update_layout(width=None, autosize=True)
    bundle = {
        "application/vnd.plotly.v1+json": fig.to_plotly_json(),
        "text/html": page.to_html(full_html=False, include_plotlyjs=False, config=_CONFIG,
                                  default_width="100%", default_height=f"{fig.layout.height or 450}px"),
    }
    display(bundle, raw=True)


def hover_text(value: Any, width: int = 70) -> str:
    """Input text made safe for plotly (HTML-escaped) and wrapped with ``<br>`` every ``width`` chars.

    >>> hover_text("a & b")
    'a &amp; b'
    >>> hover_text("one two three", width=7)
    'one two<br>three'
    """
    text = "" if value is None or (isinstance(value, float) and value != value) else str(value)
    lines = textwrap.wrap(" ".join(text.split()), width=width) or [""]
    return "<br>".join(html.escape(line, quote=True) for line in lines)


def _short(value: Any, n: int = 45) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def topic_colors(topics: Sequence[int]) -> dict[int, str]:
    """A colour per topic id, stable for a given set of topics (-1 = unassigned is grey).

    >>> topic_colors([1, 0, -1])
    {-1: '#b0b0b0', 0: '#1f77b4', 1: '#ff7f0e'}
    """
    out = {}
    for i, t in enumerate(sorted(int(t) for t in set(topics) if int(t) != -1)):
        out[t] = PALETTE[i % len(PALETTE)]
    if any(int(t) == -1 for t in topics):
        out = {-1: UNASSIGNED_COLOR, **out}
    return out


def _layout(fig: Any, title: str, height: int, **extra: Any) -> Any:
    fig.update_layout(
        template="plotly_white", title=dict(text=html.escape(title), x=0.0, xanchor="left",
                                            font=dict(size=16)),
        width=WIDTH, height=height, font=_FONT, margin=dict(l=60, r=30, t=60, b=50),
        **extra)
    return fig


def _topic_name(topic: int, label: Any) -> str:
    return "Unassigned" if int(topic) == -1 else f"T{int(topic)} · {_short(label)}"


# ---------------------------------------------------------------------- corpus

def plot_years(df: pd.DataFrame, *, title: str = "Papers per publication year") -> Any | None:
    """Bar chart of papers per year; ``None`` when no paper has a known year.

    Years with no paper inside the range are shown as zero so gaps are visible.
    """
    go = _go()
    years = pd.to_numeric(pd.Series(df["year"], dtype="object"), errors="coerce").dropna().astype(int)
    if years.empty:
        return None
    counts = years.value_counts().sort_index()
    full = counts.reindex(range(int(counts.index.min()), int(counts.index.max()) + 1), fill_value=0)
    fig = go.Figure(go.Bar(x=[int(y) for y in full.index], y=[int(v) for v in full.values],
                           marker_color=PALETTE[0],
                           hovertemplate="%{x}: %{y} papers<extra></extra>"))
    fig.update_xaxes(title_text="Year", tickformat="d", dtick=1 if len(full) <= 25 else None)
    fig.update_yaxes(title_text="Papers")
    return _layout(fig, title, 360)


def plot_sources(df: pd.DataFrame, *, top: int = 15, title: str | None = None) -> Any | None:
    """Horizontal bars of the most frequent venues (or, without venues, input files and formats).

    Returns ``None`` for an empty frame.
    """
    go = _go()
    if len(df) == 0:
        return None
    venues = df["venue"].fillna("").astype(str).str.strip() if "venue" in df else pd.Series([], dtype=str)
    if (venues != "").any():
        counts = venues[venues != ""].value_counts()
        heading = title or f"Most frequent venues (top {min(top, len(counts))} of {len(counts)})"
    else:
        names = df["source_file"].astype(str).map(lambda p: p.replace("\\", "/").rsplit("/", 1)[-1])
        counts = (names + " (" + df["source_format"].astype(str) + ")").value_counts()
        heading = title or "Records per input file (no venues in the inputs)"
    counts = counts.sort_values(ascending=False, kind="stable").head(top)
    counts = counts.iloc[::-1]
    labels = [html.escape(_short(v, 60)) for v in counts.index]
    fig = go.Figure(go.Bar(x=[int(v) for v in counts.values], y=labels, orientation="h",
                           marker_color=PALETTE[0],
                           customdata=[hover_text(v) for v in counts.index],
                           hovertemplate="%{customdata}: %{x} papers<extra></extra>"))
    fig.update_xaxes(title_text="Papers")
    fig.update_yaxes(automargin=True)
    return _layout(fig, heading, 120 + 26 * len(counts))


# ---------------------------------------------------------------------- topics

def plot_topic_sizes(topics: pd.DataFrame, n_unassigned: int = 0, *,
                     title: str = "Papers per topic") -> Any:
    """Horizontal bars of topic sizes, largest first, with the unassigned papers as a grey bar."""
    go = _go()
    t = topics.sort_values(["size", "topic"], ascending=[False, True], kind="stable")
    names = [_topic_name(r.topic, r.label) for r in t.itertuples()]
    sizes = [int(s) for s in t["size"]]
    colors = [topic_colors(list(topics["topic"]) + [-1])[int(k)] for k in t["topic"]]
    full = [str(lbl) for lbl in t["label"]]
    if n_unassigned:
        names.append("Unassigned")
        sizes.append(int(n_unassigned))
        colors.append(UNASSIGNED_COLOR)
        full.append("papers no topic claimed")
    total = max(1, sum(sizes))
    names, sizes, colors, full = names[::-1], sizes[::-1], colors[::-1], full[::-1]
    fig = go.Figure(go.Bar(
        x=sizes, y=[html.escape(n) for n in names], orientation="h", marker_color=colors,
        text=[f"{s} ({100 * s / total:.0f}%)" for s in sizes], textposition="outside", cliponaxis=False,
        customdata=[hover_text(f) for f in full],
        hovertemplate="%{customdata}<br>%{x} papers<extra></extra>"))
    fig.update_xaxes(title_text="Papers", range=[0, max(sizes) * 1.15 if sizes else 1])
    fig.update_yaxes(automargin=True)
    return _layout(fig, title, 120 + 28 * len(names), showlegend=False)


#: Most papers the topic map draws; above it a seeded sample stratified by topic is drawn
#: (a scatter of every paper of a 100k corpus makes a ~47 MB notebook output).
MAP_MAX_POINTS = 10_000
#: Fewest papers a topic keeps on a sampled map (all of them when it has fewer).
MAP_MIN_PER_TOPIC = 20


def sample_map_points(topics: Sequence[int], max_points: int = MAP_MAX_POINTS, *, seed: int = 0,
                      min_per_topic: int = MAP_MIN_PER_TOPIC) -> np.ndarray:
    """Sorted row positions of a deterministic sample stratified by topic; all rows when they fit.

    Each topic keeps a share of ``max_points`` in proportion to its size (largest remainders
    get the spare points), and at least ``min_per_topic`` (or all its papers, if fewer), so a
    small topic stays visible; the same topics and seed give the same sample.

    >>> sample_map_points([0, 0, 1], max_points=5).tolist()
    [0, 1, 2]
    >>> rows = sample_map_points([0] * 90 + [1] * 10, max_points=20, min_per_topic=5)
    >>> len(rows), int((rows >= 90).sum())  # 5 kept at least, plus its share of the rest
    (20, 6)
    """
    topic_of = np.asarray([int(t) for t in topics])
    n = len(topic_of)
    if n <= max_points:
        return np.arange(n)
    groups = {t: np.flatnonzero(topic_of == t) for t in sorted(set(topic_of.tolist()))}
    floor = {t: min(len(rows), min_per_topic) for t, rows in groups.items()}
    spare = max(max_points - sum(floor.values()), 0)
    rest = {t: len(rows) - floor[t] for t, rows in groups.items()}
    total_rest = sum(rest.values()) or 1
    exact = {t: spare * r / total_rest for t, r in rest.items()}
    quota = {t: floor[t] + int(exact[t]) for t in groups}
    left = max_points - sum(quota.values())
    for t in sorted(groups, key=lambda t: (-(exact[t] - int(exact[t])), t)):
        if left <= 0:
            break
        if quota[t] < len(groups[t]):
            quota[t] += 1
            left -= 1
    rng = np.random.default_rng(seed)
    chosen = [rng.choice(rows, size=min(quota[t], len(rows)), replace=False) for t, rows in groups.items()]
    return np.sort(np.concatenate(chosen))


def plot_topic_map(papers: pd.DataFrame, df: pd.DataFrame, topics: pd.DataFrame, *,
                   refs: Mapping[str, int] | None = None,
                   title: str = "Map of the papers (2-D projection of their embeddings)",
                   max_points: int = MAP_MAX_POINTS, seed: int = 0) -> Any:
    """Scatter of the papers on their 2-D coordinates, one colour (and legend entry) per topic.

    Hover shows the (escaped) title, the topic and, with ``refs``, the reference number.
    ``papers`` is row-aligned with ``df`` (as :class:`~litscope.topics.TopicResult.papers` is).
    Above ``max_points`` papers the map draws :func:`sample_map_points` (seeded, stratified by
    topic), says so in its title, and shortens the hover titles; the figure's
    ``layout.meta`` then holds ``{"shown": n, "total": m}``.
    """
    go = _go()
    labels = dict(zip(topics["topic"].astype(int), topics["label"]))
    colors = topic_colors(list(labels) + list(papers["topic"].astype(int)))
    titles = dict(zip(df["id"], df["title"]))
    total = len(papers)
    sampled = total > max_points
    if sampled:
        papers = papers.iloc[sample_map_points(papers["topic"].astype(int).tolist(), max_points, seed=seed)]
        title = f"{title}: {len(papers):,} of {total:,} papers shown (a sample stratified by topic)"
    fig = go.Figure()
    order = sorted(colors, key=lambda t: (t == -1, t))
    for topic in order:
        part = papers[papers["topic"].astype(int) == topic]
        if part.empty:
            continue
        name = _topic_name(topic, labels.get(topic, ""))
        hover = [
            (f"[{refs[i]}] " if refs and i in refs else "")
            + hover_text(_short(titles.get(i, ""), 90) if sampled else titles.get(i, ""))
            + "<br><i>" + hover_text(name) + "</i>"
            for i in part["id"]]
        fig.add_trace(go.Scatter(
            x=part["x"].astype(float).round(4), y=part["y"].astype(float).round(4), mode="markers",
            name=html.escape(name), text=hover, hovertemplate="%{text}<extra></extra>",
            marker=dict(size=8 if topic != -1 else 6, color=colors[topic], opacity=0.85 if topic != -1 else 0.6,
                        line=dict(width=0.5, color="white"))))
    fig.update_xaxes(showticklabels=False, title_text="", zeroline=False)
    fig.update_yaxes(showticklabels=False, title_text="", zeroline=False)
    if sampled:
        fig.update_layout(meta={"shown": len(papers), "total": total})
    return _layout(fig, title, 700, legend=dict(font=dict(size=11), itemsizing="constant",
                                                   orientation="h", y=-0.02, yanchor="top"),
                   hovermode="closest")


def plot_topic_similarity(similarity: pd.DataFrame, topics: pd.DataFrame, *,
                          title: str = "Similarity between topics (cosine of topic centroids)") -> Any:
    """Heatmap of the topic-by-topic similarity matrix, labelled ``T<n>``, with labels on hover."""
    go = _go()
    labels = dict(zip(topics["topic"].astype(int), topics["label"]))
    ids = [int(t) for t in similarity.index]
    ticks = [f"T{t}" for t in ids]
    values = np.asarray(similarity.values, dtype=float).round(3)
    names = [hover_text(_topic_name(t, labels.get(t, ""))) for t in ids]
    custom = [[f"{names[i]}<br>{names[j]}" for j in range(len(ids))] for i in range(len(ids))]
    fig = go.Figure(go.Heatmap(
        z=values, x=ticks, y=ticks, colorscale="Blues", zmin=float(np.nanmin(values)) if values.size else 0,
        zmax=1.0, customdata=custom, hovertemplate="%{customdata}<br>similarity %{z:.2f}<extra></extra>",
        colorbar=dict(title="cosine", thickness=14)))
    if len(ids) <= 20:
        fig.update_traces(text=values.round(2), texttemplate="%{text:.2f}", textfont=dict(size=10))
    fig.update_yaxes(autorange="reversed")
    side = min(820, 160 + 40 * len(ids))
    fig = _layout(fig, title, side + 40)
    fig.update_layout(width=min(WIDTH - 1, max(side + 120, 520)))
    return fig


def plot_topics_over_time(papers: pd.DataFrame, df: pd.DataFrame, topics: pd.DataFrame, *,
                          title: str = "Share of each topic per publication year") -> Any | None:
    """Stacked bars of each topic's share of the papers of each year; ``None`` without known years."""
    go = _go()
    years = pd.to_numeric(pd.Series(df["year"], dtype="object"), errors="coerce")
    data = pd.DataFrame({"year": years.to_numpy(), "topic": papers["topic"].astype(int).to_numpy()}).dropna()
    if data.empty:
        return None
    data["year"] = data["year"].astype(int)
    table = pd.crosstab(data["year"], data["topic"])
    totals = table.sum(axis=1)
    share = table.div(totals, axis=0)
    labels = dict(zip(topics["topic"].astype(int), topics["label"]))
    colors = topic_colors(list(table.columns))
    fig = go.Figure()
    for topic in sorted(table.columns, key=lambda t: (t == -1, t)):
        name = _topic_name(topic, labels.get(int(topic), ""))
        fig.add_trace(go.Bar(
            x=[int(y) for y in share.index], y=(100 * share[topic]).round(1), name=html.escape(name),
            marker_color=colors[int(topic)], customdata=table[topic].astype(int),
            hovertemplate=hover_text(name) + "<br>%{x}: %{y:.0f}% (%{customdata} papers)<extra></extra>"))
    fig.update_xaxes(title_text="Year (papers that year above the bar)", tickformat="d",
                     dtick=1 if len(share) <= 25 else None)
    fig.update_yaxes(title_text="Share of the year's papers (%)", range=[0, 108])
    fig.add_trace(go.Scatter(x=[int(y) for y in totals.index], y=[103] * len(totals), mode="text",
                             text=[f"n={int(n)}" for n in totals], showlegend=False, hoverinfo="skip",
                             textfont=dict(size=10)))
    return _layout(fig, title, 520, barmode="stack",
                   legend=dict(font=dict(size=11), orientation="h", y=-0.2, yanchor="top"))
