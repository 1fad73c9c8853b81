"""Citation links within the corpus from references that give no DOI: real Scopus citation text,
matched by title (with its year), and the identifiers other exports give (arXiv, OpenAlex)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import litscope
from litscope import bibliometrics as bm
from litscope.bibliometrics.citations import MIN_TITLE_WORDS, ReferenceMatcher

FIXTURES = Path(__file__).parent / "fixtures"
SCOPUS_RIS = FIXTURES / "ris" / "asreview" / "asreview_scopus.ris"  # a real Scopus export (see PROVENANCE.txt)


@pytest.fixture(scope="module")
def scopus() -> pd.DataFrame:
    return litscope.load([SCOPUS_RIS]).papers


def _with(df: pd.DataFrame, *papers: dict) -> pd.DataFrame:
    """The export plus papers as another database would list them (no references of their own)."""
    extra = pd.DataFrame([{"id": f"x{k}", "references": [], **p} for k, p in enumerate(papers)])
    return pd.concat([df, extra], ignore_index=True)


def test_scopus_citation_text_is_matched_by_title_and_year(scopus):
    first = scopus["title"].iloc[0]
    # both are cited by the export's first paper, in Scopus's "Authors, Title (Year) Journal" text
    assert any("Epidemiology and risk factors for IBD (2015)" in r for r in scopus["references"].iloc[0])
    df = _with(scopus,
               {"title": "Stress and brain functional changes in patients with Crohn's disease: "
                         "a functional magnetic resonance imaging study.", "year": 2017},
               {"title": "Epidemiology and risk factors for IBD", "year": 2015})
    result = bm.compute_citation_links(df)
    got = result.table[["citing_title", "cited", "matched_by"]].values.tolist()
    assert got == [[first, "x0", "title"], [first, "x1", "title"]]
    assert result.extra["matched_by"] == {"title": 2}
    assert "2 by title" in result.note and not result.lacking


def test_a_title_inside_a_longer_cited_title_is_not_a_citation(scopus):
    # the export's first paper cites "Brain functional changes in patients with ulcerative colitis:
    # a functional magnetic resonance imaging study on emotional processing (2011)"
    assert any("Brain functional changes in patients with ulcerative colitis: a functional" in r
               for r in scopus["references"].iloc[0])
    df = _with(scopus, {"title": "Brain functional changes in patients with ulcerative colitis", "year": 2011},
               {"title": "functional changes in patients with ulcerative colitis: a functional magnetic "
                         "resonance imaging study on emotional processing", "year": 2011})
    result = bm.compute_citation_links(df)
    assert result.table.empty
    assert "none of them cites another paper of the corpus" in result.lacking


def test_the_cited_year_must_fit(scopus):
    title = "Epidemiology and risk factors for IBD"
    for year, linked in ((2015, True), (2016, True), (2014, True), (2012, False), (None, True)):
        df = _with(scopus, {"title": title, "year": year})
        assert (len(bm.compute_citation_links(df).table) == 1) is linked, year


def test_a_shared_title_matches_only_the_paper_whose_year_fits():
    df = pd.DataFrame({"id": ["old", "new", "citing"],
                       "title": ["Deep learning for clinical text", "Deep learning for clinical text", "C"],
                       "year": [2012, 2019, 2020],
                       "references": [[], [], ["Doe, J., Deep learning for clinical text (2019) JAMIA, 1"]]})
    assert bm.compute_citation_links(df).table[["citing", "cited"]].values.tolist() == [["citing", "new"]]
    df["year"] = [2019, 2019, 2020]  # the year cannot tell them apart: no link rather than a guess
    assert bm.compute_citation_links(df).table.empty


def test_short_titles_are_never_matched_in_text():
    short = " ".join(["Attention"] + ["models"] * (MIN_TITLE_WORDS - 2))
    matcher = ReferenceMatcher(pd.DataFrame({"id": ["a"], "title": [short], "year": [2020]}))
    assert matcher.match(f"Roe, R., {short} (2020) Nature") == (None, "")


def test_semantic_scholar_references_are_bare_titles_and_match():
    # Semantic Scholar gives a reference's title when it has no DOI (litscope.sources._json_meta)
    df = pd.DataFrame({"id": ["a", "b"], "title": ["Über Graphen und Agenten im Einsatz", "Other paper here"],
                       "year": [2021, 2022], "references": [[], ["Uber graphen und agenten im Einsatz"]]})
    assert bm.compute_citation_links(df).table[["citing", "cited", "matched_by"]].values.tolist() == [
        ["b", "a", "title"]]


def test_identifiers_in_references_match_before_titles():
    df = pd.DataFrame({
        "id": ["doi:10.1073/pnas.83.22.8589", "arxiv:2101.00001", "w", "citing"],
        "title": ["T one", "T two", "T three", "C"], "year": [1986, 2021, 2022, 2023],
        "doi": ["10.1073/pnas.83.22.8589", "", "", ""], "arxiv_id": ["", "2101.00001", "", ""],
        "url": ["", "", "https://openalex.org/W2741809807", ""],
        # a Web of Science CR line, an arXiv citation, an OpenAlex referenced_works entry
        "references": [[], [], [], ["ALLEN JP, 1986, P NATL ACAD SCI USA, V83, P8589, DOI 10.1073/pnas.83.22.8589",
                                    "Roe R (2021) Sparse things. arXiv:2101.00001v2",
                                    "https://openalex.org/W2741809807"]]})
    result = bm.compute_citation_links(df)
    assert result.table[["cited", "matched_by"]].values.tolist() == [
        ["doi:10.1073/pnas.83.22.8589", "DOI"], ["arxiv:2101.00001", "arXiv id"], ["w", "OpenAlex id"]]
    assert result.extra["matched_by"] == {"DOI": 1, "arXiv id": 1, "OpenAlex id": 1}


def test_no_doi_column_is_no_longer_needed_and_no_references_is_still_said():
    df = pd.DataFrame({"id": ["a", "b"], "title": ["Graph agents for planning tasks", "x"], "year": [2020, 2021],
                       "references": [[], ["Doe J. Graph agents for planning tasks. 2020."]]})
    assert len(bm.compute_citation_links(df).table) == 1
    result = bm.compute_citation_links(df.drop(columns="references"))
    assert result.table.empty and "cited references" in result.lacking


def test_the_links_table_is_escaped_in_the_report(scopus):
    from litscope.bibliometrics.display import result_html

    df = _with(scopus, {"title": "Epidemiology and risk factors for IBD", "year": 2015})
    df.loc[0, "title"] = "<script>alert(1)</script> stress"
    html = result_html(bm.compute_citation_links(df), {"citing_title": "Citing paper", "matched_by": "Matched by"})
    assert "<script>" not in html and "&lt;script&gt;" in html and "Matched by" in html


def test_openalex_works_cite_each_other_by_work_id(tmp_path):
    # field names of the OpenAlex Work object; the citing work has a landing page, as most do
    works = ('{"results": ['
             '{"id": "https://openalex.org/W100", "display_name": "Cited work on graph agents",'
             ' "publication_year": 2019, "referenced_works": [],'
             ' "primary_location": {"landing_page_url": "https://example.org/a"}},'
             '{"id": "https://openalex.org/W200", "display_name": "Citing work", "publication_year": 2021,'
             ' "referenced_works": ["https://openalex.org/W100", "https://openalex.org/W999"],'
             ' "primary_location": {"landing_page_url": "https://example.org/b"}}]}')
    path = tmp_path / "works.json"
    path.write_text(works, encoding="utf-8")
    df = litscope.load([path]).papers
    assert df["url"].tolist() == ["https://openalex.org/W100", "https://openalex.org/W200"]
    result = bm.compute_citation_links(df)
    assert result.table[["citing_title", "cited_title", "matched_by"]].values.tolist() == [
        ["Citing work", "Cited work on graph agents", "OpenAlex id"]]


def test_pubmed_reference_lists_match_by_pubmed_id():
    # a real PubMed XML record whose 49 references are journal, date and pages with a PubMed id
    citing = litscope.load([FIXTURES / "pubmed_xml" / "biopython_pubmed7.xml"]).papers
    assert "Nature. 1994 Jul 21;370(6486):199-201. PMID: 8028666" in citing["references"].iloc[0]
    df = _with(citing, {"title": "A cited paper", "pmid": "8028666", "year": 1994},
               {"title": "Not cited", "pmid": "80286660", "year": 1994})
    result = bm.compute_citation_links(df)
    assert result.table[["cited", "matched_by"]].values.tolist() == [["x0", "PMID"]]


def test_matching_shows_progress_over_the_papers_and_the_same_links(tmp_path, monkeypatch, scopus):
    import json

    from litscope import progress

    path = tmp_path / "progress.jsonl"
    monkeypatch.setenv(progress.ENV_VAR, str(path))
    df = _with(scopus, {"title": "Epidemiology and risk factors for IBD", "year": 2015})
    shown = bm.compute_citation_links(df, progress=True)
    events = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert {e["desc"] for e in events} == {"Matching cited references"}
    assert events[-1]["state"] == "close" and events[-1]["n"] == events[-1]["total"] == len(df)
    assert shown.table.equals(bm.compute_citation_links(df).table) and len(shown.table) == 1


def test_the_papers_list_shows_citations_within_the_corpus_when_a_paper_is_cited(scopus):
    from litscope.report.papers_list import papers_list_html

    df = _with(scopus, {"title": "Epidemiology and risk factors for IBD", "year": 2015})
    refs = {pid: k + 1 for k, pid in enumerate(df["id"])}
    counts = bm.citation_counts(bm.compute_citation_links(df), df["id"])
    assert counts == [0] * len(scopus) + [1]
    extra = pd.DataFrame({"cited_in_corpus": counts}, index=df["id"])
    html = papers_list_html(df, refs, extra=extra)
    assert "Cited in corpus" in html
    cited_row = html[html.index("Epidemiology and risk factors for IBD"):].split("</tr>")[0]
    assert re.findall(r"<td[^>]*>([^<]*)</td>", cited_row)[-1] == "1"
    # nobody cited: no column
    assert "Cited in corpus" not in papers_list_html(df, refs, extra=extra * 0)
