"""The list of every paper, searchable and sortable in the HTML report.

:func:`papers_list_html` builds one table (reference number, title, authors, year, venue,
topic, and when the inputs or the review give them: citations, citations within the corpus,
relevance, screening) inside
``<div class="ls-interactive">``. The report's own script (``templates/litscope/static/
litscope-tables.js``, inlined by the HTML template, nothing fetched) adds a search box and
sortable column headers to it in a browser; the table itself is plain escaped HTML, so the
notebook in JupyterLab shows it as a static table. The printed PDF shows a line instead (the
topic sections' tables and the reference list already give every paper on paper). Longer than
:data:`litscope.report.MAX_TABLE_ROWS` the table keeps the first papers in reference order
and says that ``papers.csv`` has them all.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"id": ["a", "b"], "title": ["<b>Zebras</b>", "Apes"],
...                    "authors": [["Doe, Jane", "Roe, Rick", "Poe, Ed"], []],
...                    "year": pd.array([2020, None], dtype="Int64"), "venue": ["J. Zool.", ""]})
>>> html = papers_list_html(df, {"a": 2, "b": 1})
>>> html.startswith('<div class="ls-interactive" data-ls-what="papers">')
True
>>> "&lt;b&gt;Zebras&lt;/b&gt;" in html, "Doe, J. et al." in html, html.index("Apes") < html.index("Zebras")
(True, True, True)
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np
import pandas as pd

from ..missing import is_missing
from .html import _display_html, html_table
from .prose import prose
from .references import _ref_map, _year_text, format_author

__all__ = ["papers_list_html", "display_papers_list"]


def _first_author(authors: Any) -> str:
    names = [str(a) for a in authors if str(a).strip()] if isinstance(authors, (list, tuple, np.ndarray)) else []
    if not names:
        return ""
    return format_author(names[0]) + (" et al." if len(names) > 2 else
                                       f" & {format_author(names[1])}" if len(names) == 2 else "")


def _topic_names(result: Any) -> dict[str, str]:
    if result is None:
        return {}
    labels = dict(zip(result.topics["topic"].astype(int), result.topics["label"].astype(str)))
    return {str(i): (f"T{int(t)} {labels.get(int(t), '')}".strip() if int(t) != -1 else "unassigned")
            for i, t in zip(result.papers["id"], result.papers["topic"])}


def papers_list_html(papers: pd.DataFrame, refs: pd.DataFrame | Mapping[str, int], result: Any = None, *,
                     extra: pd.DataFrame | None = None) -> str:
    """Every paper in one table, wrapped for the report's search box and sortable headers.

    Parameters
    ----------
    papers : pandas.DataFrame
        One row per paper (``id``, ``title``; ``authors``, ``year``, ``venue``, ``cited_by``
        when present).
    refs : DataFrame or mapping
        The reference list or paper id -> reference number.
    result : litscope.topics.TopicResult, optional
        Gives each paper's topic.
    extra : pandas.DataFrame, optional
        Indexed by paper id: ``cited_in_corpus`` (papers of the corpus citing it; shown when
        one is cited), ``relevance``, ``screening`` columns shown when present.
    """
    from . import topic_sections

    numbers = _ref_map(refs)
    topics = _topic_names(result)
    ids = papers["id"].astype(str).tolist()
    order = sorted(range(len(ids)), key=lambda k: (numbers.get(ids[k], 10 ** 9), k))
    shown, cap_note = topic_sections._table_cap([ids[k] for k in order], None, "papers")
    by_id = papers.set_index(papers["id"].astype(str))
    rows = by_id.loc[shown] if shown else by_id.iloc[:0]

    def col(name: str, default: Any = "") -> list[Any]:
        return rows[name].tolist() if name in rows.columns else [default] * len(rows)

    table = pd.DataFrame({
        "ref": [f'<a href="#ref-{numbers[i]}">[{numbers[i]}]</a>' if i in numbers else "" for i in shown],
        "title": col("title"),
        "authors": [_first_author(a) for a in col("authors")],
        "year": [_year_text(y) for y in col("year")],
        "venue": col("venue"),
        "topic": [topics.get(i, "") for i in shown],
    })
    columns = {"ref": "Ref.", "title": "Title", "authors": "Authors", "year": "Year", "venue": "Venue"}
    widths = {"ref": "6%", "title": "36%", "authors": "13%", "year": "6%", "venue": "17%"}
    numeric = ["ref", "year"]
    if topics:
        columns["topic"], widths["topic"] = "Topic", "16%"
    cited = [None if is_missing(v) else int(v) for v in col("cited_by", None)]
    if any(v is not None for v in cited):
        table["cited_by"] = ["" if v is None else str(v) for v in cited]
        columns["cited_by"], widths["cited_by"] = "Cited by", "7%"
        numeric.append("cited_by")
    if extra is not None and "cited_in_corpus" in extra.columns and (extra["cited_in_corpus"] > 0).any():
        table["cited_in_corpus"] = extra["cited_in_corpus"].reindex(shown).fillna(0).astype(int).astype(str).to_numpy()
        columns["cited_in_corpus"], widths["cited_in_corpus"] = "Cited in corpus", "8%"
        numeric.append("cited_in_corpus")
    if extra is not None and "relevance" in extra.columns:
        relevance = extra["relevance"].reindex(shown)
        table["relevance"] = ["" if is_missing(v) else f"{float(v):.2f}" for v in relevance]
        columns["relevance"], widths["relevance"] = "Relevance", "8%"
        numeric.append("relevance")
    if extra is not None and "screening" in extra.columns and extra["screening"].nunique() > 1:
        table["screening"] = extra["screening"].reindex(shown).fillna("").astype(str).to_numpy()
        columns["screening"], widths["screening"] = "Screening", "9%"
    # The title takes what the optional columns leave.
    widths["title"] = f"{max(100 - sum(int(w[:-1]) for c, w in widths.items() if c != 'title'), 20)}%"
    body = html_table(table, columns, widths=widths, html_columns=["ref"], numeric=numeric)
    intro = prose("papers_list", n_papers=len(ids))
    # On paper the list would repeat the topic tables and the references: a line says so instead.
    on_paper = prose("papers_list_print", n_papers=len(ids))
    return (f'<div class="ls-interactive" data-ls-what="papers"><div class="ls-screen-only">{intro}{cap_note}'
            f'{body}</div><div class="ls-print-only" style="display:none">{on_paper}</div></div>')


def display_papers_list(review: Any) -> None:
    """Show the list of every paper of a :class:`litscope.pipeline.Review`."""
    from ..bibliometrics import citation_counts
    from ..screen.steps import screening_columns

    extra = screening_columns(review)
    counts = citation_counts(review.citation_links, extra.index)
    if counts is not None:
        extra["cited_in_corpus"] = counts
    _display_html(papers_list_html(review.corpus.papers, review.refs, review.topics, extra=extra))
