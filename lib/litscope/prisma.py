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
import textwrap
from collections import Counter
from typing import Any

import pandas as pd

from .corpus import Corpus
from .counts import compute_record_counts
from .errors import ParameterError

__all__ = ["compute_prisma_identification", "compute_prisma_flow", "plot_prisma_flow"]

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


def compute_prisma_flow(corpus: Corpus, outcome: Any = None) -> pd.DataFrame:
    """Counts of the whole PRISMA 2020 flow: identification, then screening and inclusion.

    Parameters
    ----------
    corpus : Corpus
        The de-duplicated corpus, as for :func:`compute_prisma_identification`.
    outcome : litscope.screen.ScreeningOutcome, optional
        Each paper's screening outcome; without it, the identification rows only.

    Returns
    -------
    pandas.DataFrame
        The rows of :func:`compute_prisma_identification`, then ``excluded`` (all excluded
        records), one ``excluded_reason`` row per reason (``label`` says who excluded:
        ``criteria`` or ``reviewer``; ``source`` holds the reason), ``awaiting`` (maybe or not
        screened yet) and ``included``. Screened = excluded + awaiting + included.

    Examples
    --------
    >>> from litscope.screen import compute_outcome
    >>> from litscope.schema import to_frame
    >>> corpus = Corpus.from_frame(to_frame([{"title": "A"}, {"title": "B"}], source_format="ris",
    ...                                     source_file="a.ris"))
    >>> crit = pd.DataFrame({"id": corpus.papers["id"], "decision": ["exclude", ""],
    ...                      "reason": ["published in 1990, before 2000", ""], "criterion": ["years", ""]})
    >>> flow = compute_prisma_flow(corpus, compute_outcome(crit, None))
    >>> flow.loc[flow["stage"] != "identification", ["key", "source", "n"]].values.tolist()[-4:]
    [['excluded', '', 1], ['excluded_reason', 'published before 2000', 1], ['awaiting', '', 0], ['included', '', 1]]
    """
    out = compute_prisma_identification(corpus)
    if outcome is None:
        return out
    counts = outcome.counts()
    screened = int(out.loc[out["key"] == "screened", "n"].iloc[0])
    if sum(counts.values()) != screened:
        raise ParameterError(f"the screening outcome covers {sum(counts.values())} papers, "
                             f"but {screened} were screened")
    rows = [("screening", "excluded", "Records excluded", "", counts["excluded"])]
    rows += [("screening", "excluded_reason", str(r.by), str(r.reason), int(r.n))
             for r in outcome.reasons().itertuples()]
    rows += [("screening", "awaiting", "Records awaiting a decision", "", counts["awaiting"]),
             ("included", "included", "Studies included in the review", "", counts["included"])]
    more = pd.DataFrame(rows, columns=_COLUMNS)
    more["n"] = more["n"].astype("int64")
    return pd.concat([out, more], ignore_index=True)


def _display_names(files: list[str]) -> list[str]:
    """Base names, or the full path where two sources share a base name."""
    names = [os.path.basename(f) or f for f in files]
    counts = Counter(names)
    return [f if counts[n] > 1 else n for f, n in zip(files, names)]


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _short_name(name: str, limit: int = 30) -> str:
    """A file name cut in the middle, so its start and extension stay readable in a box.

    >>> _short_name("scientopy_wos_tab_records4001-4071.txt")
    'scientopy_wos_…ds4001-4071.txt'
    """
    if len(name) <= limit:
        return name
    head = (limit - 1) // 2
    return name[:head] + "…" + name[len(name) - (limit - 1 - head):]


def plot_prisma_flow(counts: pd.DataFrame):
    """A PRISMA 2020 flow diagram, drawn with plotly.

    Boxes: records identified from databases (with one line per source) → records removed
    before screening (duplicates, not readable) → records screened; with the screening rows of
    :func:`compute_prisma_flow`, → records excluded (one line per reason) → studies included,
    and the records still awaiting a decision. White background, black
    text, so it prints; every text taken from the input is HTML-escaped.

    Parameters
    ----------
    counts : pandas.DataFrame
        The result of :func:`compute_prisma_identification` or :func:`compute_prisma_flow`.

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
    # plotly does not wrap: a long file name is cut in the middle to fit its box
    lines = [f"• {html.escape(_short_name(name))} (n = {n:,})" for name, n in zip(names, ns)]
    if len(lines) > MAX_SOURCES_SHOWN:
        rest = sum(ns[MAX_SOURCES_SHOWN - 1:])
        lines = lines[: MAX_SOURCES_SHOWN - 1] + [f"• … and {len(ns) - MAX_SOURCES_SHOWN + 1} more (n = {rest:,})"]
    identified_text = "<br>".join([f"Records identified from databases (n = {total('identified'):,}):"] + lines)
    removed_text = "<br>".join(["Records removed before screening:",
                                f"Duplicate records removed (n = {total('duplicates'):,})",
                                f"Records not readable (n = {total('not_readable'):,})"])
    screened_text = f"Records screened<br>(n = {total('screened'):,})"

    # Rows of boxes, top to bottom: (phase, left box text, right box text or None).
    rows = [("Identification", identified_text, removed_text), ("Screening", screened_text, None)]
    if (counts["key"] == "included").any():
        reasons = counts[counts["key"] == "excluded_reason"]
        # plotly does not wrap: a long reason goes on to an indented second line
        lines = ["• " + "<br>   ".join(html.escape(part) for part in textwrap.wrap(
                     f"{_short(str(r.source), 90)} (n = {int(r.n):,})" + (" †" if r.label == "reviewer" else ""),
                     40)) for r in reasons.itertuples()]
        if len(lines) > MAX_SOURCES_SHOWN:
            rest = int(reasons["n"].iloc[MAX_SOURCES_SHOWN - 1:].sum())
            lines = lines[: MAX_SOURCES_SHOWN - 1] + [f"• … and {len(reasons) - MAX_SOURCES_SHOWN + 1} more "
                                                      f"reasons (n = {rest:,})"]
        if (reasons["label"] == "reviewer").any():
            lines.append("† by the reviewer" + ("; the others by the criteria"
                                                if (reasons["label"] == "criteria").any() else ""))
        excluded_text = "<br>".join([f"Records excluded (n = {total('excluded'):,}):"] + lines)
        rows[1] = ("Screening", screened_text, excluded_text)
        awaiting = total("awaiting")
        rows.append(("Included", f"<b>Studies included in review</b><br>(n = {total('included'):,})",
                     f"Records awaiting a decision<br>(maybe, or not screened yet; n = {awaiting:,})"
                     if awaiting else None))
    return _draw_flow(rows)


def _draw_flow(rows: list[tuple[str, str, str | None]]):
    """Boxes in rows (left: the flow, right: what leaves it), phase bars, arrows; plotly."""
    import plotly.graph_objects as go

    line_h, pad, gap = 19, 14, 46
    heights = [max(2, 1 + max(t.count("<br>") for t in (left, right or ""))) * line_h + 2 * pad
               for _, left, right in rows]
    heights = [max(h, 86) for h in heights]  # tall enough for the phase label
    height = 40 + sum(heights) + gap * (len(rows) - 1) + 20
    left, right = (60, 475), (505, 890)
    black, phase_fill = "#222222", "#cfe2f3"
    font = dict(family="Arial, Helvetica, sans-serif", size=13, color=black)
    shapes, annotations = [], [
        dict(x=65, y=height - 12, text="<b>PRISMA 2020 flow: identification of studies via databases</b>",
             showarrow=False, xanchor="left", yanchor="middle", font=dict(font, size=14))]

    def arrow(x0: float, y0: float, x1: float, y1: float) -> dict:
        return dict(x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x", ayref="y", text="",
                    showarrow=True, arrowhead=2, arrowsize=1.2, arrowwidth=1.5, arrowcolor=black)

    top = height - 40
    previous_bottom = None
    for (phase, left_text, right_text), h in zip(rows, heights):
        bottom, middle = top - h, top - h / 2
        names = {"Identification": ("identified", "removed"), "Screening": ("screened", "excluded"),
                 "Included": ("included", "awaiting")}[phase]
        for (x0, x1), text, name in ((left, left_text, names[0]), (right, right_text, names[1])):
            if text is None:
                continue
            shapes.append(dict(type="rect", x0=x0, x1=x1, y0=bottom, y1=top, xref="x", yref="y", name=name,
                               line=dict(color=black, width=1.5), fillcolor="white", layer="below"))
            first_box = phase == "Identification" and x0 == left[0]
            annotations.append(dict(x=x0 + pad if first_box or x0 == right[0] else (x0 + x1) / 2,
                                    y=top - pad if first_box else middle, text=text, showarrow=False,
                                    align="left" if first_box or x0 == right[0] else "center",
                                    xanchor="left" if first_box or x0 == right[0] else "center",
                                    yanchor="top" if first_box else "middle", font=font))
        shapes.append(dict(type="rect", x0=15, x1=50, y0=bottom, y1=top, xref="x", yref="y",
                           name=f"phase {phase}", line=dict(color="#6f9fd8", width=1), fillcolor=phase_fill,
                           layer="below"))
        annotations.append(dict(x=32.5, y=middle, text=f"<b>{phase}</b>", textangle=-90, showarrow=False,
                                font=dict(font, size=13)))
        if right_text is not None:
            annotations.append(arrow(left[1], middle, right[0], middle))
        if previous_bottom is not None:
            annotations.append(arrow((left[0] + left[1]) / 2, previous_bottom, (left[0] + left[1]) / 2, top))
        previous_bottom, top = bottom, bottom - gap

    fig = go.Figure()
    fig.update_layout(
        shapes=shapes, annotations=annotations,
        width=900, height=height,
        margin=dict(l=10, r=10, t=10, b=10),
        paper_bgcolor="white", plot_bgcolor="white", showlegend=False,
        xaxis=dict(range=[0, 900], visible=False, fixedrange=True),
        yaxis=dict(range=[0, height], visible=False, fixedrange=True),
    )
    return fig
