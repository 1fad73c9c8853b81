"""Show the bibliometric sections in the notebook (and so in the HTML and PDF report).

Every ``display_`` function shows the statement of what the inputs lack instead of an
empty table or figure; the ``*_html`` functions return the HTML they display (tested).

Examples
--------
>>> import pandas as pd
>>> from litscope.bibliometrics import compute_most_cited
>>> html = result_html(compute_most_cited(pd.DataFrame({"id": ["a"], "title": ["A"]})), {"title": "Paper"})
>>> html.startswith('<p class="ls-warn">No input gives citation counts')
True
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Mapping

import pandas as pd

from ..report.html import _display_html, html_table
from .common import PAPERS_LISTED, BiblioResult, NetworkResult, listed_papers

__all__ = ["result_html", "network_html", "display_result", "display_top_authors", "display_top_venues",
           "display_top_countries", "display_most_cited", "display_topic_trends", "display_keyword_network",
           "display_coauthor_network", "display_citation_links"]

_NUMERIC = ("papers", "citations", "cited_by", "year", "weight", "cited_by_corpus", "years")


def _lacking_html(text: str) -> str:
    import html

    return f'<p class="ls-warn">{html.escape(text)}</p>'


def _note_html(text: str) -> str:
    import html

    return f'<p class="ls-note">{html.escape(text)}</p>' if text else ""


def _blank(value: Any) -> bool:
    if isinstance(value, (list, tuple)):
        return not value
    if value is None or (isinstance(value, str) and not value.strip()):
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def result_html(result: BiblioResult, columns: Mapping[str, str],
                widths: Mapping[str, str] | None = None) -> str:
    """The table of a result, or the statement of what is lacking when there is no row.

    A column no row fills (e.g. the date of the citation counts, when no export gives it)
    is left out rather than shown empty.
    """
    if not len(result.table):
        return _lacking_html(result.lacking or "Nothing to show.")
    shown = result.table.copy()
    columns = {c: h for c, h in columns.items()
               if c in shown.columns and not all(_blank(v) for v in shown[c])}
    widths = {c: w for c, w in (widths or {}).items() if c in columns}
    parts = [html_table(shown, columns, numeric=[c for c in columns if c in _NUMERIC], narrow=len(columns) <= 3,
                        widths=widths or None)]
    if result.lacking:
        parts.insert(0, _lacking_html(result.lacking))
    parts.append(_note_html(result.note))
    return "".join(parts)


def network_html(result: NetworkResult, what: str, limit: int = 40) -> str:
    """The edges table of a network (papers behind each edge), or the lacking statement."""
    if not len(result.edges):
        return _lacking_html(result.lacking or f"No {what} network.")
    head = result.edges.head(limit).copy()
    more = (f'<p class="ls-note">The {limit} strongest of {len(result.edges)} links are listed.</p>'
            if len(result.edges) > limit else "")
    behind = [result.graph.edges[a, b].get("papers", []) if result.graph.has_edge(a, b) else []
              for a, b in zip(head["source"], head["target"])]
    if any(len(p) > PAPERS_LISTED for p in behind):
        head["papers"] = [listed_papers(list(p)) if len(p) > PAPERS_LISTED else text
                          for p, text in zip(behind, head["papers"])]
        more += _note_html(f"A link lists its first {PAPERS_LISTED} papers (by reference number); corpus.csv "
                           f"has every paper's {what}s.")
    return (html_table(head, {"source": what.capitalize(), "target": what.capitalize(),
                              "weight": "Papers", "papers": "Which papers"},
                       numeric=("weight",), widths={"source": "24%", "target": "24%", "weight": "8%"})
            + more + _note_html(result.note))


def display_result(result: BiblioResult, columns: Mapping[str, str], figure: Any = None,
                   widths: Mapping[str, str] | None = None) -> None:
    """Show a figure (when there is one and the inputs had the data) and the table."""
    from ..figures import show

    if figure is not None and len(result.table):
        show(figure)
    _display_html(result_html(result, columns, widths))


def display_top_authors(result: BiblioResult) -> None:
    """The top authors table."""
    display_result(result, {"author": "Author", "papers": "Papers", "citations": "Citations"})


def display_top_venues(result: BiblioResult) -> None:
    """The top venues table."""
    display_result(result, {"venue": "Venue", "papers": "Papers", "citations": "Citations"})


def display_top_countries(result: BiblioResult) -> None:
    """The top countries table."""
    display_result(result, {"country": "Country", "papers": "Papers", "citations": "Citations"})


def display_most_cited(result: BiblioResult) -> None:
    """The most cited papers, with the source and date of each count."""
    display_result(result, {"paper": "#", "title": "Paper", "year": "Year", "cited_by": "Cited by",
                            "cited_by_source": "Count from", "cited_by_date": "Count date"},
                   widths={"paper": "7%", "year": "7%", "cited_by": "9%", "cited_by_source": "14%",
                           "cited_by_date": "11%"})


def display_topic_trends(result: BiblioResult) -> None:
    """Topic shares per year (figure), the trend test's table, and the test stated."""
    from ..figures import show
    from .plots import plot_topic_shares

    if not len(result.table):
        _display_html(_lacking_html(result.lacking))
        return
    show(plot_topic_shares(result))
    trends = result.extra["trends"].copy()
    for col in ("slope", "ci_low", "ci_high"):
        trends[col] = [("" if pd.isna(v) else f"{100 * v:+.2f}") for v in trends[col]]
    _display_html((_lacking_html(result.lacking) if result.lacking else "")
                  + html_table(trends, {"label": "Topic", "trend": "Trend", "slope": "Slope (points/year)",
                                        "ci_low": "95% CI low", "ci_high": "95% CI high", "years": "Years"},
                               numeric=("slope", "ci_low", "ci_high", "years"))
                  + _note_html(result.note))


def _display_network(result: NetworkResult, title: str, what: str) -> None:
    from ..figures import show
    from .plots import plot_network

    if len(result.edges):
        show(plot_network(result, title, node_name=f"{what}s"))
    _display_html(network_html(result, what))


def display_keyword_network(result: NetworkResult) -> None:
    """The keyword co-occurrence network and its edges with their papers."""
    _display_network(result, "Keyword co-occurrence (dot size: papers with the keyword)", "keyword")


def display_coauthor_network(result: NetworkResult) -> None:
    """The co-author network and its edges with their papers."""
    _display_network(result, "Co-authorship (dot size: papers by the author)", "author")


def display_citation_links(result: BiblioResult) -> None:
    """Citation links within the corpus (the first :data:`LINKS_LISTED`), and the most cited
    papers within it."""
    local = result.extra.get("local_citations")
    if local is not None and len(local):
        _display_html(html_table(local.head(20), {"paper": "#", "title": "Paper",
                                                  "cited_by_corpus": "Cited by papers of this corpus"},
                                 numeric=("cited_by_corpus",), widths={"paper": "7%", "cited_by_corpus": "22%"}))
    display_result(_first_links(result), {"citing": "#", "citing_title": "Citing paper", "cited": "#",
                                          "cited_title": "Cites", "matched_by": "Matched by"},
                   widths={"citing": "7%", "cited": "7%", "matched_by": "11%"})


#: Citation links listed in the report (a large corpus can have tens of thousands).
LINKS_LISTED = 1_000


def _first_links(result: BiblioResult) -> BiblioResult:
    """``result`` with its table cut to :data:`LINKS_LISTED` rows, saying so in its note.

    >>> r = _first_links(BiblioResult(pd.DataFrame({"citing": range(LINKS_LISTED + 5)}), note="By DOI."))
    >>> len(r.table), r.note
    (1000, 'By DOI. The table lists the first 1,000 of 1,005 links, in order of the citing paper.')
    """
    n = len(result.table)
    if n <= LINKS_LISTED:
        return result
    return replace(result, table=result.table.head(LINKS_LISTED),
                   note=f"{result.note} The table lists the first {LINKS_LISTED:,} of {n:,} links, "
                        "in order of the citing paper.".strip())
