"""papers.csv as a review writes it: the language column first among the extra columns."""

import csv
import types

import pandas as pd

from litscope import outputs, report


def _review(languages, relevance=None):
    df = pd.DataFrame({"id": ["p1", "p2", "p3"], "title": ["A", "B", "C"], "year": [2020, None, 2019]})
    return types.SimpleNamespace(corpus=types.SimpleNamespace(papers=df), relevance=relevance, outcome=None,
                                 topics=types.SimpleNamespace(papers=None), summaries=None,
                                 refs=report.compute_references(df), languages=languages)


def _rows(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_review_papers_csv_has_language_then_relevance_and_und_for_ids_without_a_language(tmp_path):
    relevance = pd.DataFrame({"relevance": [0.5, 0.25, 0.125], "rank": [1, 2, 3]})
    # two languages for three papers: the third paper has none
    review = _review(["es", "en"], relevance)
    rows = _rows(outputs._write_papers_csv(review, tmp_path / "papers.csv"))
    plain = _rows(report.write_papers_csv(tmp_path / "plain.csv", review.corpus.papers, None, None, review.refs))
    assert list(rows[0]) == report.PAPERS_CSV_COLUMNS + ["language", "relevance", "relevance_rank"]
    assert [{k: r[k] for k in plain[0]} for r in rows] == plain  # the report's columns unchanged
    assert {r["id"]: r["language"] for r in rows} == {"p1": "es", "p2": "en", "p3": "und"}
    assert {r["id"]: r["relevance_rank"] for r in rows} == {"p1": "1", "p2": "2", "p3": "3"}
