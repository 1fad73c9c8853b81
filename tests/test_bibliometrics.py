"""Bibliometrics: rankings, trends, networks and citation links; what each says when inputs lack a field."""

from __future__ import annotations

import pandas as pd
import pytest

from litscope import bibliometrics as bm
from litscope.schema import to_frame


def _scopus_like() -> pd.DataFrame:
    """A corpus in the canonical schema plus the kept metadata, as a Scopus export gives it."""
    df = to_frame([
        {"title": "Graph agents", "authors": ["Doe, Jane", "Roe, Rick"], "year": 2019, "venue": "J. AI",
         "doi": "10.1000/a", "keywords": ["LLM", "Agents"]},
        {"title": "Agent <b>planning</b>", "authors": ["Doe, Jane", "Poe, Pat"], "year": 2020, "venue": "J. AI",
         "doi": "10.1000/b", "keywords": ["llm", "agents", "planning"]},
        {"title": "Vision models", "authors": ["Zed, Zoe"], "year": 2021, "venue": "CVPR",
         "doi": "10.1000/c", "keywords": ["vision"]},
        {"title": "Tool use", "authors": ["Roe, Rick", "Doe, Jane"], "year": 2022, "venue": "J. AI",
         "doi": "", "keywords": ["LLM", "tools"]},
    ], source_format="csv", source_file="scopus.csv")
    df["cited_by"] = pd.array([120, 7, 300, None], dtype="Int64")
    df["cited_by_source"] = ["Scopus"] * 4
    df["cited_by_date"] = ["2026-11-01"] * 4
    df["references"] = [[], ["Doe J. (2019) Graph agents, J. AI, DOI: 10.1000/A", "Unrelated 1999"],
                        ["https://doi.org/10.1000/a", "10.1000/b"], ["10.9999/elsewhere"]]
    df["countries"] = [["Germany", "France"], ["Germany"], ["Japan"], []]
    return df


def test_most_cited_in_order_with_source():
    r = bm.compute_most_cited(_scopus_like(), refs={"doi:10.1000/c": 3})
    assert r.table["title"].tolist() == ["Vision models", "Graph agents", "Agent planning"]
    assert r.table["cited_by"].tolist() == [300, 120, 7]
    assert r.table["paper"].iloc[0] == "[3]" and r.lacking == ""
    assert "Scopus" in r.note and "1 paper without a count" in r.note


def test_author_venue_country_tables():
    df = _scopus_like()
    authors = bm.compute_top_authors(df).table
    assert authors.iloc[0].tolist() == ["Doe, Jane", 3, 127]
    assert bm.compute_top_venues(df).table[["venue", "papers"]].values.tolist() == [["J. AI", 3], ["CVPR", 1]]
    # ties in papers are ordered by citations: Japan's paper has 300, France's 120
    assert bm.compute_top_countries(df).table[["country", "papers"]].values.tolist() == [
        ["Germany", 2], ["Japan", 1], ["France", 1]]


def test_inputs_without_the_fields_say_what_is_missing():
    df = to_frame([{"title": "A", "authors": [], "year": 2020}], source_format="ris", source_file="a.ris")
    for result, words in [(bm.compute_most_cited(df), "citation counts"),
                          (bm.compute_top_countries(df), "author countries"),
                          (bm.compute_citation_links(df), "cited references"),
                          (bm.compute_top_authors(df), "author names")]:
        assert words in result.lacking
        assert result.table.empty and len(result.table.columns) > 0
    trends = bm.compute_topic_trends(df, {}, {0: "T"})  # papers per year still counted, no test made
    assert "1 year only" in trends.lacking and trends.extra["trends"]["trend"].tolist() == ["too few years"]
    no_years = bm.compute_topic_trends(df.assign(year=pd.array([None], dtype="Int64")), {}, {0: "T"})
    assert "No input gives publication years" in no_years.lacking and no_years.table.empty
    net = bm.compute_keyword_network(df)
    assert "No input gives keywords" in net.lacking and net.edges.empty
    assert bm.result_html(bm.compute_most_cited(df), {"title": "Paper"}).startswith('<p class="ls-warn">No input')
    assert bm.network_html(net, "keyword").startswith('<p class="ls-warn">No input gives keywords')
    assert bm.plot_network(net, "Keywords") is None  # no empty figure


def test_countries_lacking_while_affiliations_are_given():
    df = _scopus_like().drop(columns=["countries"])
    df["affiliations"] = [["Uni X"]] * 4
    assert "give affiliations but no countries" in bm.compute_top_countries(df).lacking


def test_keyword_network_edges_trace_to_their_papers():
    df = _scopus_like()
    refs = {i: k + 1 for k, i in enumerate(df["id"])}
    net = bm.compute_keyword_network(df, refs=refs)
    assert net.edges[["source", "target", "weight", "papers"]].values.tolist() == [["agents", "llm", 2, "[1]; [2]"]]
    fig = bm.plot_network(net, "Keywords")
    assert "[1], [2]" in fig.data[1].hovertext[0]
    co = bm.compute_coauthor_network(df, refs=refs).edges.set_index(["source", "target"])
    assert co.loc[("Doe, Jane", "Roe, Rick"), "papers"] == "[1]; [4]"
    assert co.loc[("Doe, Jane", "Roe, Rick"), "weight"] == 2


def test_network_figure_escapes_input_text():
    df = pd.DataFrame({"id": ["a", "b"], "keywords": [["<img src=x>", "x"], ["<img src=x>", "x"]]})
    fig = bm.plot_network(bm.compute_keyword_network(df), "<b>t</b>")
    text = fig.to_json()
    assert "<img" not in text and "&lt;img src=x&gt;" in text and "<b>t" not in text


def test_citation_links_within_the_corpus_by_doi():
    df = _scopus_like()
    r = bm.compute_citation_links(df)
    pairs = r.table[["citing_title", "cited_title"]].values.tolist()
    assert pairs == [["Agent planning", "Graph agents"], ["Vision models", "Graph agents"],
                     ["Vision models", "Agent planning"]]
    assert r.extra["local_citations"][["title", "cited_by_corpus"]].values.tolist()[0] == ["Graph agents", 2]
    df["references"] = [["Unrelated 1999"]] * 4
    assert "none of them cites another paper of the corpus" in bm.compute_citation_links(df).lacking


def test_trend_test_marks_emerging_and_declining_with_its_interval():
    years = [y for y in range(2015, 2023) for _ in range(4)]
    ids = [f"p{k}" for k in range(len(years))]
    df = pd.DataFrame({"id": ids, "year": pd.array(years, dtype="Int64")})
    topic = {}
    for k, (pid, y) in enumerate(zip(ids, years)):
        rank = k % 4  # 4 papers a year: the new topic takes one more slot every two years
        topic[pid] = 1 if rank < (y - 2015) // 2 + 0 else (0 if rank < 3 else -1)
    r = bm.compute_topic_trends(df, topic, {0: "Old", 1: "New"})
    t = r.extra["trends"].set_index("label")
    assert t.loc["New", "trend"] == "emerging" and t.loc["New", "ci_low"] > 0
    assert t.loc["Old", "trend"] == "declining" and t.loc["Old", "ci_high"] < 0
    assert "least squares" in r.note and "95% confidence interval" in r.note
    shares = r.table[r.table["label"] == "New"].set_index("year")["share"]
    assert shares[2015] == 0 and shares[2022] == pytest.approx(0.75)


def test_slope_interval_matches_the_textbook_formula():
    import numpy as np
    from scipy import stats

    x = np.array([2018., 2019, 2020, 2021, 2022])
    y = np.array([0.1, 0.15, 0.12, 0.22, 0.3])
    slope, se, lo, hi = bm.slope_with_ci(x, y)
    fit = stats.linregress(x, y)
    assert slope == pytest.approx(fit.slope) and se == pytest.approx(fit.stderr)
    t = stats.t.ppf(0.975, 3)
    assert (lo, hi) == (pytest.approx(fit.slope - t * fit.stderr), pytest.approx(fit.slope + t * fit.stderr))


def test_tables_escape_titles():
    html = bm.result_html(bm.compute_most_cited(_scopus_like().assign(title=["<script>x</script>"] * 4)),
                          {"title": "Paper"})
    assert "<script>" not in html and "&lt;script&gt;" in html
