"""papers.csv as a review writes it: the language column first among the extra columns."""

import csv
import types

import pandas as pd

from litscope import bibliometrics, outputs, report


def _review(languages, relevance=None, df=None):
    if df is None:
        df = pd.DataFrame({"id": ["p1", "p2", "p3"], "title": ["A", "B", "C"], "year": [2020, None, 2019]})
    return types.SimpleNamespace(corpus=types.SimpleNamespace(papers=df), relevance=relevance, outcome=None,
                                 topics=types.SimpleNamespace(papers=None), summaries=None,
                                 refs=report.compute_references(df), languages=languages,
                                 citation_links=bibliometrics.compute_citation_links(df))


def _rows(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_review_papers_csv_has_language_then_relevance_and_und_for_ids_without_a_language(tmp_path):
    relevance = pd.DataFrame({"relevance": [0.5, 0.25, 0.125], "rank": [1, 2, 3]})
    # two languages for three papers: the third paper has none
    review = _review(["es", "en"], relevance)
    rows = _rows(outputs._write_papers_csv(review, tmp_path / "papers.csv"))
    plain = _rows(report.write_papers_csv(tmp_path / "plain.csv", review.corpus.papers, None, None, review.refs))
    assert list(rows[0]) == report.PAPERS_CSV_COLUMNS + ["language", "cited_in_corpus", "relevance",
                                                         "relevance_rank"]
    assert [{k: r[k] for k in plain[0]} for r in rows] == plain  # the report's columns unchanged
    assert {r["id"]: r["language"] for r in rows} == {"p1": "es", "p2": "en", "p3": "und"}
    assert {r["id"]: r["relevance_rank"] for r in rows} == {"p1": "1", "p2": "2", "p3": "3"}


def test_cited_in_corpus_counts_the_papers_of_the_corpus_that_cite_each_paper(tmp_path):
    df = pd.DataFrame({"id": ["p1", "p2", "p3"],
                       "title": ["Graph agents for tool planning", "Sparse attention in long documents", "C"],
                       "year": [2020, 2021, 2022],
                       # Scopus-style citation text: p2 and p3 cite p1, p3 cites p2 by DOI-less title
                       "references": [[], ["Doe, J., Graph agents for tool planning (2020) AI, 1"],
                                      ["Doe, J., Graph agents for tool planning (2020) AI, 1",
                                       "Roe, R., Sparse attention in long documents (2021) NLP, 2"]]})
    rows = _rows(outputs._write_papers_csv(_review(["en"] * 3, df=df), tmp_path / "papers.csv"))
    assert {r["id"]: r["cited_in_corpus"] for r in rows} == {"p1": "2", "p2": "1", "p3": "0"}
    # no input gives cited references: unknown, not 0
    rows = _rows(outputs._write_papers_csv(_review(["en"] * 3, df=df.drop(columns="references")),
                                           tmp_path / "none.csv"))
    assert {r["cited_in_corpus"] for r in rows} == {""}
