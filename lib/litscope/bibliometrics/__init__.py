"""Bibliometrics: who, where, how cited, which topics rise or fall, and how papers connect.

``compute_`` functions take the corpus (one row per paper, canonical schema plus the kept
metadata columns ``cited_by``, ``cited_by_source``, ``cited_by_date``, ``references``,
``countries``, ...) and always return a result, with ``lacking`` saying in plain words
what the inputs do not give; ``display_`` functions show the result, or that statement
instead of an empty figure.

==============================  ===============================================
:func:`compute_top_authors`     papers (and citations) per author
:func:`compute_top_venues`      papers per venue
:func:`compute_top_countries`   papers per country of the affiliations
:func:`compute_most_cited`      papers by citation count, with its source/date
:func:`compute_topic_trends`    papers per year per topic; emerging/declining
:func:`compute_review_trends`   the same for a review's TopicResult
:func:`compute_keyword_network` keyword co-occurrence (networkx), edges -> papers
:func:`compute_coauthor_network` co-authorship (networkx), edges -> papers
:func:`compute_citation_links`  references matched to the corpus by DOI, PMID, arXiv/OpenAlex id or title
==============================  ===============================================
"""

from __future__ import annotations

from .common import WHAT, BiblioResult, NetworkResult, lacking
from .display import (display_citation_links, display_coauthor_network, display_keyword_network,
                      display_most_cited, display_top_authors, display_top_countries, display_top_venues,
                      display_topic_trends, network_html, result_html)
from .networks import citation_counts, compute_citation_links, compute_coauthor_network, compute_keyword_network
from .plots import plot_network, plot_topic_shares
from .rankings import compute_most_cited, compute_top_authors, compute_top_countries, compute_top_venues
from .trends import TEST_STATEMENT, compute_review_trends, compute_topic_trends, slope_with_ci

__all__ = ["BiblioResult", "NetworkResult", "TEST_STATEMENT", "WHAT", "citation_counts", "compute_citation_links",
           "compute_coauthor_network", "compute_keyword_network", "compute_most_cited", "compute_review_trends",
           "compute_top_authors",
           "compute_top_countries", "compute_top_venues", "compute_topic_trends", "display_citation_links",
           "display_coauthor_network", "display_keyword_network", "display_most_cited", "display_top_authors",
           "display_top_countries", "display_top_venues", "display_topic_trends", "lacking", "network_html",
           "plot_network", "plot_topic_shares", "result_html", "slope_with_ci"]
