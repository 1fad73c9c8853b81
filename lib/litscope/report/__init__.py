"""The review report: the tables, text and artifacts that ``notebooks/review.ipynb`` shows.

The review notebook only narrates and calls this module, so everything a
reader sees is built (and tested) here:

* ``compute_*`` functions return frames: the numbered reference list
  (:func:`compute_references`), the corpus counts (:func:`compute_corpus_overview`),
  package versions (:func:`compute_environment`), input checksums (:func:`input_hashes`).
* ``*_html`` functions turn them into HTML, escaping every string that comes
  from an input (titles, abstracts, authors, file names, topic labels), and
  ``display_*`` functions show that HTML (and figures) in the notebook.
* :func:`write_papers_csv` and :func:`write_topics_csv` write the report's
  artifacts next to the HTML.
* The sentences and paragraphs a reader sees are Jinja2 macros in
  ``templates/report/prose.html.j2``, rendered (escaped) by :func:`litscope.report.prose.prose`:
  edit the wording there.

References are numbered by one stable rule (:data:`REFERENCE_ORDER`):
alphabetically by the first author's family name, or by the title for a
paper without authors (as APA orders anonymous works), then by year
(unknown years last), then title, then id. The same corpus therefore always
gets the same numbers, whatever order its files were read in.

Examples
--------
>>> import pandas as pd
>>> from litscope.report import compute_references, html_table
>>> df = pd.DataFrame({"id": ["a", "b"], "title": ["Zebras", "Apes"], "authors": [["Doe, J"], []],
...                    "year": pd.array([2020, None], dtype="Int64"), "venue": ["", ""],
...                    "doi": ["", ""], "arxiv_id": ["", ""], "url": ["", ""]})
>>> compute_references(df)[["ref", "id"]].values.tolist()
[[1, 'b'], [2, 'a']]
>>> html_table(pd.DataFrame({"t": ["<script>"]}))
'<table class="ls-table"><thead><tr><th>t</th></tr></thead><tbody><tr><td>&lt;script&gt;</td></tr></tbody></table>'
"""

from __future__ import annotations

# Submodules, one concern each; every name (public and private) is re-exported here, so
# ``litscope.report.X`` keeps working for the notebook, the pipeline, tests and benchmarks.
from .inputs import _display_path, resolve_inputs, resolve_output_dir, resolve_title
from .html import CSS, _CITE, _display_html, _esc, _plural, html_table, link_citations
from .references import (REFERENCE_ORDER, _fold, _initials, _link, _ref_map, _year_text, compute_references,
                         format_author, format_authors, reference_numbers)
from .merging import merge_duplicates
from .counts import _has_text, compute_corpus_overview
from .provenance import PACKAGES, compute_environment, input_hashes
from .csvwriters import (PAPERS_CSV_COLUMNS, compute_papers_table, write_corpus_exports, write_papers_csv,
                         write_topics_csv)
from .sections import (_input_names, appendix_html, corpus_overview_html, dedupe_html, load_report_html,
                       references_html, title_html)
from .topic_sections import (MAX_TABLE_ROWS, _paper_table, _table_cap, _themes_table, _unassigned_count,
                             topic_overview_html, topic_sections_html, unassigned_html)
from .display import (display_appendix, display_corpus_overview, display_dedupe, display_references,
                      display_sources, display_title, display_topic_map, display_topic_overview,
                      display_topic_sections, display_topic_similarity, display_topics_over_time,
                      display_unassigned, display_years)
from .relevance import answer_html, display_answer, display_relevance, relevance_html, topic_relevance_html
from .screening_sections import criteria_items, display_screening, screening_html, screening_ran

__all__ = [
    "REFERENCE_ORDER", "PACKAGES", "resolve_inputs", "resolve_title", "resolve_output_dir", "merge_duplicates",
    "compute_references", "reference_numbers", "compute_corpus_overview", "compute_environment",
    "input_hashes", "write_papers_csv", "write_topics_csv", "write_corpus_exports", "html_table", "link_citations",
    "title_html", "corpus_overview_html", "load_report_html", "dedupe_html", "topic_overview_html",
    "topic_sections_html", "unassigned_html", "references_html", "appendix_html",
    "display_title", "display_corpus_overview", "display_dedupe", "display_years", "display_sources",
    "display_topic_overview", "display_topic_map", "display_topic_similarity",
    "display_topics_over_time", "display_topic_sections", "display_unassigned", "display_references",
    "display_appendix", "relevance_html", "topic_relevance_html", "answer_html", "display_relevance",
    "display_answer", "criteria_items", "screening_ran", "screening_html", "display_screening",
]
