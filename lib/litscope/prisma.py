"""PRISMA 2020 counts for the identification stage, and the first boxes of the flow diagram.

PRISMA 2020 (Page et al., BMJ 2021;372:n71) reports, before screening: the records identified
from each database, the records removed before screening (duplicates; records removed for
other reasons - here, records that could not be read from the exports), and the records
screened. The counts add up: identified = duplicates removed + not readable + screened.

Examples
--------
>>> from litscope.corpus import Corpus, concat
>>> from litscope.dedupe import deduplicate
>>> from litscope.records import SkippedRecord
>>> from litscope.schema import to_frame
>>> a = to_frame([{"title": "T1", "doi": "10.1000/1"}, {"title": "T2"}], source_format="ris",
...              source_file="scopus.ris")
>>> b = to_frame([{"title": "T1", "doi": "10.1000/1"}], source_format="csv", source_file="wos.csv")
>>> corpus = concat([Corpus.from_frame(a), Corpus.from_frame(b)])
>>> corpus = corpus.replace(skipped=(SkippedRecord("wos.csv", 2, 5, "no title"),))
>>> counts = compute_prisma_identification(deduplicate(corpus))
>>> counts[["key", "source", "n"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
[['identified_source', 'scopus.ris', 2], ['identified_source', 'wos.csv', 2], ['identified', '', 4],
 ['duplicates', '', 1], ['not_readable', '', 1], ['screened', '', 2]]
"""

from __future__ import annotations

import html
import os
from collections import Counter
import pandas as pd

from .corpus import Corpus
from .counts import compute_record_counts
from .errors import ParameterError

__all__ = ["compute_prisma_identification", "plot_prisma_flow"]

#: At most this many sources are listed by name in the identification box.
MAX_SOURCES_SHOWN = 12

_COLUMNS = ["stage", "key", "label", "source", "n"]


def compute_prisma_identification(corpus: Corpus) -> pd.DataFrame:
    """Counts of the PRISMA 2020 identification stage.

    Parameters
    ----------
    corpus : Corpus
        The de-duplicated corpus (:func:`litscope.dedupe.deduplicate` of :func:`litscope.load`);
        its records, skipped records and papers are counted by
        :func:`litscope.counts.compute_record_counts`.

    Returns
    -------
    pandas.DataFrame
        Columns ``stage`` ('identification', 'removed', 'screening'), ``key``
        ('identified_source', 'identified', 'duplicates', 'not_readable', 'screened'),
        ``label`` (the wording of the diagram), ``source`` (the file, for per-source rows) and
        ``n``. One ``identified_source`` row per source file (records loaded + not readable).

    Raises
    ------
    ParameterError
        When the papers cannot come from the records (more papers, or their ``merged_from``
        lists do not account for every record).
    """
    counts = compute_record_counts(corpus)
    rows = [("identification", "identified_source", "Records identified", s.file, s.identified)
            for s in counts.sources if s.identified]
    rows += [
        ("identification", "identified", "Records identified from databases", "", counts.identified),
        ("removed", "duplicates", "Duplicate records removed", "", counts.duplicates),
        ("removed", "not_readable", "Records not readable", "", counts.not_loaded),
        ("screening", "screened", "Records screened", "", counts.papers),
    ]
    out = pd.DataFrame(rows, columns=_COLUMNS)
    out["n"] = out["n"].astype("int64")
    return out


def _display_names(files: list[str]) -> list[str]:
    """Base names, or the full path where two sources share a base name."""
    names = [os.path.basename(f) or f for f in files]
    counts = Counter(names)
    return [f if counts[n] > 1 else n for f, n in zip(files, names)]


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plot_prisma_flow(counts: pd.DataFrame):
    """The identification part of a PRISMA 2020 flow diagram, drawn with plotly.

    Boxes: records identified from databases (with one line per source) → records removed
    before screening (duplicates, not readable) → records screened. White background, black
    text, so it prints; every text taken from the input is HTML-escaped.

    Parameters
    ----------
    counts : pandas.DataFrame
        The result of :func:`compute_prisma_identification`.

    Returns
    -------
    plotly.graph_objects.Figure

    Examples
    --------
    >>> counts = pd.DataFrame([("identification", "identified_source", "Records identified", "<a>.ris", 3),
    ...                        ("identification", "identified", "Records identified from databases", "", 3),
    ...                        ("removed", "duplicates", "Duplicate records removed", "", 1),
    ...                        ("removed", "not_readable", "Records not readable", "", 0),
    ...                        ("screening", "screened", "Records screened", "", 2)],
    ...                       columns=["stage", "key", "label", "source", "n"])
    >>> fig = plot_prisma_flow(counts)
    >>> [a.text for a in fig.layout.annotations if "&lt;a&gt;" in a.text][0].split("<br>")[-1]
    '• &lt;a&gt;.ris (n = 3)'
    """
    import plotly.graph_objects as go

    missing = {"key", "source", "n"} - set(counts.columns)
    if missing:
        raise ParameterError(f"counts lacks columns {sorted(missing)}; use compute_prisma_identification")

    def total(key: str) -> int:
        values = counts.loc[counts["key"] == key, "n"]
        if values.empty:
            raise ParameterError(f"counts has no {key!r} row; use compute_prisma_identification")
        return int(values.iloc[0])

    sources = counts[counts["key"] == "identified_source"]
    files, ns = [str(s) for s in sources["source"]], [int(n) for n in sources["n"]]
    names = _display_names(files)
    lines = [f"• {html.escape(_short(name))} (n = {n:,})" for name, n in zip(names, ns)]
    if len(lines) > MAX_SOURCES_SHOWN:
        rest = sum(ns[MAX_SOURCES_SHOWN - 1:])
        lines = lines[: MAX_SOURCES_SHOWN - 1] + [f"• … and {len(ns) - MAX_SOURCES_SHOWN + 1} more (n = {rest:,})"]
    identified_text = "<br>".join([f"Records identified from databases (n = {total('identified'):,}):"] + lines)
    removed_text = "<br>".join(["Records removed before screening:",
                                f"Duplicate records removed (n = {total('duplicates'):,})",
                                f"Records not readable (n = {total('not_readable'):,})"])
    screened_text = f"Records screened<br>(n = {total('screened'):,})"

    # Coordinates in pixels: x 0..900, y 0..height (top = height).
    line_h, pad, gap = 19, 14, 46
    top_h = max(3, 1 + len(lines)) * line_h + 2 * pad
    screen_h = max(2 * line_h + 2 * pad, 86)  # tall enough for the 'Screening' phase label
    height = 40 + top_h + gap + screen_h + 20
    y_top1 = height - 40
    y_bot1 = y_top1 - top_h
    y_top2 = y_bot1 - gap
    y_bot2 = y_top2 - screen_h
    left = (70, 450)      # identification / screening boxes
    right = (510, 880)    # removed box
    black, phase_fill = "#222222", "#cfe2f3"

    fig = go.Figure()
    shapes = []

    def box(x0: float, x1: float, y0: float, y1: float, name: str) -> None:
        shapes.append(dict(type="rect", x0=x0, x1=x1, y0=y0, y1=y1, xref="x", yref="y", name=name,
                           line=dict(color=black, width=1.5), fillcolor="white", layer="below"))

    box(*left, y_bot1, y_top1, "identified")
    box(*right, y_bot1, y_top1, "removed")
    box(*left, y_bot2, y_top2, "screened")
    # phase bars on the left, as in the PRISMA template
    for name, y0, y1 in (("Identification", y_bot1, y_top1), ("Screening", y_bot2, y_top2)):
        shapes.append(dict(type="rect", x0=15, x1=50, y0=y0, y1=y1, xref="x", yref="y", name=f"phase {name}",
                           line=dict(color="#6f9fd8", width=1), fillcolor=phase_fill, layer="below"))
    fig.update_layout(shapes=shapes)
    font = dict(family="Arial, Helvetica, sans-serif", size=13, color=black)
    annotations = [
        dict(x=60 + 5, y=height - 12, text="<b>PRISMA 2020 flow: identification of studies via databases</b>", showarrow=False,
             xanchor="left", yanchor="middle", font=dict(font, size=14)),
        dict(x=left[0] + pad, y=y_top1 - pad, text=identified_text, showarrow=False, align="left",
             xanchor="left", yanchor="top", font=font),
        dict(x=right[0] + pad, y=(y_top1 + y_bot1) / 2, text=removed_text, showarrow=False, align="left",
             xanchor="left", yanchor="middle", font=font),
        dict(x=(left[0] + left[1]) / 2, y=(y_top2 + y_bot2) / 2, text=screened_text, showarrow=False,
             align="center", xanchor="center", yanchor="middle", font=font),
        dict(x=32.5, y=(y_top1 + y_bot1) / 2, text="<b>Identification</b>", textangle=-90, showarrow=False,
             font=dict(font, size=13)),
        dict(x=32.5, y=(y_top2 + y_bot2) / 2, text="<b>Screening</b>", textangle=-90, showarrow=False,
             font=dict(font, size=13)),
        # arrows: identified -> removed, identified -> screened
        dict(x=right[0], y=(y_top1 + y_bot1) / 2, ax=left[1], ay=(y_top1 + y_bot1) / 2, xref="x", yref="y",
             axref="x", ayref="y", text="", showarrow=True, arrowhead=2, arrowsize=1.2, arrowwidth=1.5,
             arrowcolor=black),
        dict(x=(left[0] + left[1]) / 2, y=y_top2, ax=(left[0] + left[1]) / 2, ay=y_bot1, xref="x", yref="y",
             axref="x", ayref="y", text="", showarrow=True, arrowhead=2, arrowsize=1.2, arrowwidth=1.5,
             arrowcolor=black),
    ]
    fig.update_layout(
        annotations=annotations,
        width=900, height=height,
        margin=dict(l=10, r=10, t=10, b=10),
        paper_bgcolor="white", plot_bgcolor="white", showlegend=False,
        xaxis=dict(range=[0, 900], visible=False, fixedrange=True),
        yaxis=dict(range=[0, height], visible=False, fixedrange=True),
    )
    return fig
