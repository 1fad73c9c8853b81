"""The notebook's calls: show each section's HTML and figures."""

from __future__ import annotations

from typing import Any, Mapping

import pandas as pd

from ..corpus import Corpus
from .html import _display_html
from .prose import prose
from .references import _ref_map
from .sections import appendix_html, corpus_overview_html, dedupe_html, references_html, title_html
from .topic_sections import _unassigned_count, topic_overview_html, topic_sections_html, unassigned_html


def display_title(report_title: str, **kwargs: Any) -> None:
    """Show :func:`title_html`."""
    _display_html(title_html(report_title, **kwargs))


def display_corpus_overview(corpus: Corpus) -> None:
    """Show :func:`corpus_overview_html`."""
    _display_html(corpus_overview_html(corpus))


def display_dedupe(corpus: Corpus, *, identification_flow: bool = True) -> None:
    """Show the de-duplication summary and, with ``identification_flow``, the PRISMA identification flow.

    A review that screened its papers draws the complete PRISMA 2020 flow in its screening
    section instead (:func:`litscope.report.screening_ran`), so the report has one diagram.
    """
    from .. import figures, prisma
    from ..counts import compute_source_counts

    counts = compute_source_counts(corpus) if corpus.deduplicated else None
    _display_html(dedupe_html(corpus, counts))
    if identification_flow:
        figures.show(prisma.plot_prisma_flow(prisma.compute_prisma_identification(corpus)))


def display_years(df: pd.DataFrame) -> None:
    """The papers-per-year figure, or a sentence saying the years are unknown."""
    from .. import figures

    fig = figures.plot_years(df)
    if fig is None:
        _display_html(prose("years_unknown"))
        return
    years = pd.to_numeric(pd.Series(df["year"], dtype="object"), errors="coerce")
    missing = int(years.isna().sum())
    _display_html(prose("years_known", n_dated=int(years.notna().sum()), n_undated=missing))
    figures.show(fig)


def display_sources(df: pd.DataFrame) -> None:
    """Venues (or input files, when the inputs name no venue) as a figure."""
    from .. import figures

    venues = df["venue"].fillna("").astype(str).str.strip() if "venue" in df else pd.Series([], dtype=str)
    if (venues != "").any():
        n = int((venues != "").sum())
        _display_html(prose("sources_venues", n_papers=n, n_venues=venues[venues != ""].nunique()))
    else:
        files = df["source_file"].nunique() if "source_file" in df else 0
        if files <= 1:
            _display_html(prose("sources_single_file"))
            return
        _display_html(prose("sources_by_file"))
    figures.show(figures.plot_sources(df))


def display_topic_overview(result: Any) -> None:
    """Topic sizes (figure and table) and broad themes."""
    from .. import figures

    figures.show(figures.plot_topic_sizes(result.topics, _unassigned_count(result)))
    _display_html(topic_overview_html(result))


def display_topic_map(result: Any, df: pd.DataFrame, refs: pd.DataFrame | Mapping[str, int] | None = None) -> None:
    """The interactive 2-D map of the papers; a note under it when it draws a sample of them."""
    from .. import figures

    fig = figures.plot_topic_map(result.papers, df, result.topics, refs=_ref_map(refs) if refs is not None else None)
    figures.show(fig)
    if fig.layout.meta:
        _display_html(topic_map_note_html(fig.layout.meta["shown"], fig.layout.meta["total"]))


def topic_map_note_html(shown: int, total: int) -> str:
    """The note under a topic map that draws a sample of the papers.

    >>> topic_map_note_html(10000, 100000)[:60]
    '<p class="ls-note">10,000 of 100,000 papers shown on the map'
    """
    from .. import figures

    return (f'<p class="ls-note">{shown:,} of {total:,} papers shown on the map: a sample stratified by '
            f"topic (every topic in proportion to its size, small topics with at least {figures.MAP_MIN_PER_TOPIC} "
            "papers; seeded, "
            "so the same each run), which keeps the report small enough to open. papers.csv has every "
            "paper with its topic (columns topic and topic_label).</p>")


def display_topic_similarity(result: Any) -> None:
    """The topic similarity heatmap (nothing for fewer than two topics)."""
    from .. import figures

    if getattr(result, "similarity", None) is None or len(result.similarity) < 2:
        _display_html(prose("topics_similarity_none"))
        return
    figures.show(figures.plot_topic_similarity(result.similarity, result.topics))


def display_topics_over_time(result: Any, df: pd.DataFrame) -> None:
    """Share of each topic per year, or a sentence when the years are unknown."""
    from .. import figures

    fig = figures.plot_topics_over_time(result.papers, df, result.topics)
    if fig is None:
        _display_html(prose("topics_over_time_none"))
        return
    figures.show(fig)


def display_topic_sections(result: Any, df: pd.DataFrame, syntheses: pd.DataFrame | None,
                           summaries: Mapping[str, str] | pd.Series | None,
                           refs: pd.DataFrame | Mapping[str, int]) -> None:
    """Show :func:`topic_sections_html`."""
    _display_html(topic_sections_html(result, df, syntheses, summaries, refs))


def display_unassigned(result: Any, df: pd.DataFrame, summaries: Mapping[str, str] | pd.Series | None,
                       refs: pd.DataFrame | Mapping[str, int]) -> None:
    """Show :func:`unassigned_html`."""
    _display_html(unassigned_html(result, df, summaries, refs))


def display_references(refs: pd.DataFrame) -> None:
    """Show :func:`references_html`."""
    _display_html(references_html(refs))


def display_appendix(parameters: Mapping[str, Any], **kwargs: Any) -> None:
    """Show :func:`appendix_html`."""
    _display_html(appendix_html(parameters, **kwargs))
