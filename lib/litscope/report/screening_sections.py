"""The report's screening section: the criteria, the decisions, each exclusion reason, the PRISMA flow.

Examples
--------
>>> from litscope.screening import Criteria
>>> criteria_items(Criteria(years=(2000, None), exclude_terms=["rat*"], fields=["title"]))
['published in 2000 or later', 'no excluded term (rat*) in the title']
"""

from __future__ import annotations

import os
from typing import Any

import pandas as pd

from .html import _display_html, _esc, _plural, html_table

__all__ = ["criteria_items", "screening_ran", "screening_html", "display_screening"]

INTRO = ("<p>Screening decides which papers the review is about. The criteria (publication years, "
         "languages, document types, words that must or must not occur, a minimum relevance to the "
         "question) exclude papers automatically, each with the first criterion it fails as the reason; a "
         "reviewer's decisions (the <code>decisions</code> file, and the labels that ASReview or Rayyan "
         "exports already carry) override them. The PRISMA 2020 diagram follows every record from the "
         "exports to the included studies.</p>")


def criteria_items(criteria: Any) -> list[str]:
    """The criteria in words, one item each (empty when none is set)."""
    items = []
    if criteria.years is not None:
        lo, hi = criteria.years
        items.append(f"published {lo}–{hi}" if lo is not None and hi is not None
                     else f"published in {lo} or later" if lo is not None else f"published in {hi} or earlier")
    if criteria.languages:
        items.append(f"language: {', '.join(criteria.languages)}")
    if criteria.document_types:
        items.append(f"document type: {', '.join(criteria.document_types)}")
    fields = " or ".join(criteria.fields) if len(criteria.fields) < 3 else "title, abstract or keywords"
    if criteria.include_terms:
        items.append(f"at least one of ({', '.join(criteria.include_terms)}) in the {fields}")
    if criteria.exclude_terms:
        items.append(f"no excluded term ({', '.join(criteria.exclude_terms)}) in the {fields}")
    if criteria.min_relevance is not None:
        items.append(f"relevance to the question at least {criteria.min_relevance:.2f}")
    return items


def screening_ran(review: Any) -> bool:
    """Whether anything screened the papers: a criterion, a decisions file or an export's labels."""
    from ..screen.steps import criteria_from_settings

    if review.outcome is None:
        return False
    applied = review.applied
    decided = applied is not None and (applied.table["decision"].ne("").any() or len(applied.unmatched) > 0)
    return bool(criteria_items(criteria_from_settings(review.settings)) or review.screening.skipped or decided
                or (review.settings.get("decisions") or "").strip())


def screening_html(review: Any) -> str:
    """What decided each paper, the counts per status and per exclusion reason."""
    from ..screen.steps import criteria_from_settings

    criteria = criteria_from_settings(review.settings)
    items = criteria_items(criteria)
    outcome, applied = review.outcome, review.applied
    counts = outcome.counts()
    parts = [INTRO]
    if items:
        parts.append("<p>Screening criteria (a paper failing one is excluded, with the first it fails as "
                     "the reason):</p><ul>" + "".join(f"<li>{_esc(i)}</li>" for i in items) + "</ul>")
    else:
        parts.append("<p>No screening criteria are set (year range, languages, document types, include or "
                     "exclude terms, minimum relevance are review parameters).</p>")
    for note in review.screening.skipped:
        parts.append(f'<p class="ls-warn">Criterion not applied: {_esc(note)}.</p>')
    decided = applied.counts()
    n_decided = decided["include"] + decided["exclude"] + decided["maybe"]
    # who made each paper's standing decision: an export's label, or a row of the decisions file
    by_label = applied.table["decision"].ne("") & applied.table["reviewer"].astype(str).str.startswith(
        ("export:", "Rayyan:"))
    by_file = applied.table["decision"].ne("") & ~by_label
    source = (review.settings.get("decisions") or "").strip()
    if n_decided:
        origin = []
        if by_label.any():
            origin.append(f"{_plural(int(by_label.sum()), 'paper')} by the labels the exports carry "
                          "(ASReview or Rayyan)")
        if source:
            origin.append(f"{_plural(int(by_file.sum()), 'paper')} by the decisions file "
                          f"<code>{_esc(os.path.basename(source))}</code>")
        parts.append(f"<p>Reviewer decisions ({', '.join(origin) or 'given'}): "
                     f"{decided['include']} include, {decided['exclude']} exclude, {decided['maybe']} maybe; "
                     f"{_plural(decided['undecided'], 'paper')} undecided. A reviewer's decision overrides "
                     "the criteria.</p>")
    else:
        parts.append("<p>No reviewer decisions were given, so the papers passing the criteria are the "
                     "included ones. Screen them in <code>notebooks/screen.ipynb</code> or by editing "
                     "<code>decisions.csv</code> (written beside this report, every paper undecided), and "
                     "pass it back as the <code>decisions</code> parameter.</p>")
    file_rows = applied.unmatched[~applied.unmatched["reviewer"].astype(str).str.startswith(("export:", "Rayyan:"))]
    unmatched = len(file_rows)
    merged_labels = len(applied.unmatched) - unmatched
    if merged_labels:
        parts.append(f'<p class="ls-note">{_plural(merged_labels, "label")} of records merged as duplicates '
                     "into another paper were not used: the paper keeps the label of the record it "
                     "was merged into.</p>")
    if unmatched:
        parts.append(f'<p class="ls-warn">{_plural(unmatched, "decision row")} of the decisions file match no '
                     "paper of this review (kept in the file when it is written back).</p>")
    parts.append(f"<p><b>{counts['included']:,} included</b>, {counts['excluded']:,} excluded, "
                 f"{counts['awaiting']:,} awaiting a decision, of {sum(counts.values()):,} papers screened.</p>")
    reasons = outcome.reasons()
    if len(reasons):
        rows = reasons.assign(by=reasons["by"].map({"criteria": "criteria", "reviewer": "reviewer"}))
        parts.append("<p>Every exclusion reason:</p>"
                     + html_table(rows, {"reason": "Reason", "by": "Excluded by", "n": "Records"},
                                  numeric=("n",), narrow=True))
    scope = review.settings.get("scope", "all")
    parts.append("<p>" + ("The topics and syntheses below are of the included papers only "
                          "(<code>scope: included</code>)." if scope == "included" else
                          "The topics and syntheses below are of all papers (<code>scope: all</code>); "
                          "set <code>scope: included</code> to restrict them to the included ones.")
                 + " Each paper's outcome is the <code>screening</code> and <code>screening_reason</code> "
                   "columns of <code>papers.csv</code>.</p>")
    return "".join(parts)


def display_screening(review: Any) -> None:
    """Show the screening section and the complete PRISMA 2020 flow diagram.

    When nothing screened the papers (:func:`screening_ran`), one sentence says so: every paper
    is kept, and the identification diagram stays in the de-duplication section.
    """
    from .. import figures, prisma

    if not screening_ran(review):
        _display_html(f"<p>Nothing was screened: no screening criteria, reviewer decisions or labels in the "
                      f"exports were given, so all {len(review.corpus.papers):,} papers are kept. Set the "
                      "screening parameters (years, languages, document types, include or exclude terms, "
                      "minimum relevance) or a <code>decisions</code> file to screen them.</p>")
        return
    _display_html(screening_html(review))
    figures.show(prisma.plot_prisma_flow(prisma.compute_prisma_flow(review.corpus, review.outcome)))
