"""A review with a research question and a decisions file: relevance, cited answer, complete PRISMA.

One review of the Kitchenham slice (tests/fixtures/screening, see PROVENANCE.txt) is run in this
process with the static embedder and k-means (the model is not the point here), from a copy of
the slice without its label column, with screening criteria and a decisions file. The expected
counts are worked out here from the papers and the decisions, by rules written out in the test.
"""

from __future__ import annotations

from pathlib import Path

import re
import shutil

import pandas as pd
import pytest

from litscope import pipeline, prisma, report
from litscope.schema import normalize_title_key as key
from litscope.screening import read_decisions

FIXTURES = Path(__file__).parent / "fixtures"

SLICE = "screening/kitchenham_2010_slice.csv"
QUESTION = "systematic literature reviews in software engineering: tertiary study"
FIRST_YEAR = 2005
EXCLUDED_WORD = "agile"


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory, request):

    tmp = tmp_path_factory.mktemp("screening-review")
    raw = pd.read_csv(FIXTURES / SLICE, dtype=str, keep_default_na=False)
    export = tmp / "kitchenham_unlabelled.csv"
    raw.drop(columns=["label_included"]).to_csv(export, index=False)  # no prior labels: the file decides
    titles = raw["title"].tolist()
    # Decisions by title: 3 includes, 4 excludes with two reasons, 1 maybe, 1 row matching no paper.
    rows = ([(titles[i], "include", "") for i in (0, 1, 2)]
            + [(titles[i], "exclude", "not a review") for i in (3, 4)]
            + [(titles[i], "exclude", "wrong population") for i in (5, 6)]
            + [(titles[7], "maybe", "unclear"), ("A paper that is not in the export", "exclude", "gone")])
    decisions = tmp / "decisions.csv"
    pd.DataFrame([{"title": t, "decision": d, "reason": r, "reviewer": "tester"} for t, d, r in rows]) \
        .to_csv(decisions, index=False)
    review = pipeline.run([str(export)], output_dir=tmp / "out", embedder="static", n_topics=3, cache=False,
                          research_question=QUESTION, years=[FIRST_YEAR, None], exclude_terms=[EXCLUDED_WORD],
                          term_fields=["title"], decisions=str(decisions))
    return review, decisions, rows


def test_papers_csv_has_the_relevance_and_its_rank(reviewed):
    review, _, _ = reviewed
    table = pd.read_csv(review.outputs["papers"], dtype={"id": str})
    assert {"relevance", "relevance_rank", "screening", "screening_reason"} <= set(table.columns)
    assert sorted(table["relevance_rank"]) == list(range(1, len(table) + 1))
    assert table["relevance"].between(0, 1).all()
    by_rank = table.sort_values("relevance_rank")["relevance"].to_numpy()
    assert (by_rank[:-1] >= by_rank[1:]).all()  # rank 1 is the most relevant
    # The ranking is about the question: the studies Kitchenham et al. included (the slice's labels,
    # which this review never saw) rank higher than the excluded ones on average.

    labels = pd.read_csv(FIXTURES / SLICE, dtype=str, keep_default_na=False)
    included = {key(t) for t in labels.loc[labels["label_included"] == "1", "title"]}
    is_included = table["title"].map(key).isin(included)
    assert is_included.sum() == 20
    assert table.loc[is_included, "relevance"].mean() > table.loc[~is_included, "relevance"].mean() + 0.1


def test_every_answer_sentence_is_verbatim_in_the_abstract_it_cites(reviewed):
    review, _, _ = reviewed
    answer = review.answer
    assert len(answer) >= 5
    abstracts = dict(zip(review.corpus.papers["id"], review.corpus.papers["abstract"]))
    for row in answer.itertuples():
        assert row.sentence.strip() and row.sentence in abstracts[row.id]
        assert abstracts[row.id][row.start:row.end] == row.sentence
    status = dict(zip(review.outcome.table["id"], review.outcome.table["status"]))
    assert not any(status[i] == "excluded" for i in answer["id"])
    # Grouped by topic: each topic's sentences are together.
    topics = answer["topic"].tolist()
    assert all(topics.index(t) + topics.count(t) - 1 == len(topics) - 1 - topics[::-1].index(t) for t in topics)
    # In the report, each sentence is followed by its paper's [n].
    html = report.answer_html(answer, review.refs, review.topics.topics)
    text = re.sub(r"<[^>]+>", "", html)
    for row in answer.itertuples():
        assert f"{row.sentence.strip()} [{review.ref_numbers[row.id]}]" in text.replace("&lt;", "<").replace(
            "&gt;", ">").replace("&amp;", "&").replace("&quot;", '"').replace("&#x27;", "'")


def test_relevance_section_lists_score_terms_and_closest_sentence(reviewed):
    review, _, _ = reviewed
    html = report.relevance_html(review.relevance, review.corpus.papers, review.refs, QUESTION)
    best = review.relevance.sort_values("rank").iloc[0]
    assert f"{best['relevance']:.3f}" in html
    assert all(term in html for term in best["matched_terms"])
    first_sentence = review.relevance.sort_values("rank")["closest_sentence"].iloc[0]
    assert first_sentence and first_sentence[:40].replace("&", "&amp;") in html
    topics = report.topic_relevance_html(review.topic_relevance, review.topics.topics)
    assert all(label in topics for label in review.topics.topics["label"].map(
        lambda s: s.replace("&", "&amp;")))


def _expected(review, rows):
    """Each paper's status by the rules stated in the report, worked out independently."""
    papers = review.corpus.papers
    decided = {key(t): (d, r) for t, d, r in rows}  # the reader tidies titles; decisions match by this key
    expected = {}
    for pid, title, year in zip(papers["id"], papers["title"], papers["year"]):
        if key(title) in decided:
            d, r = decided[key(title)]
            expected[pid] = {"include": ("included", ""), "exclude": ("excluded", r),
                             "maybe": ("awaiting", "marked maybe")}[d]
        elif pd.isna(year):
            expected[pid] = ("excluded", "no publication year")
        elif int(year) < FIRST_YEAR:
            expected[pid] = ("excluded", f"published before {FIRST_YEAR}")
        elif re.search(rf"(?<!\w){EXCLUDED_WORD}(?!\w)", title, re.I):
            expected[pid] = ("excluded", f"contains the excluded term '{EXCLUDED_WORD}' (title)")
        else:
            expected[pid] = ("awaiting", "not screened yet")  # decisions exist: the rest wait for one
    return expected


def test_prisma_flow_has_the_right_counts_and_every_reason(reviewed):
    review, _, rows = reviewed
    expected = _expected(review, rows)
    got = dict(zip(review.outcome.table["id"], zip(review.outcome.table["status"], review.outcome.table["reason"])))
    assert got == expected
    flow = prisma.compute_prisma_flow(review.corpus, review.outcome)
    n = dict(zip(flow["key"], flow["n"]))
    statuses = [s for s, _ in expected.values()]
    assert n["identified"] == 150 and n["screened"] == len(review.corpus.papers) == n["identified"] - n["duplicates"]
    assert (n["included"], n["excluded"], n["awaiting"]) == (3, statuses.count("excluded"), statuses.count("awaiting"))
    reasons = flow[flow["key"] == "excluded_reason"]
    want = pd.Series([r for s, r in expected.values() if s == "excluded"]).value_counts().to_dict()
    assert dict(zip(reasons["source"], reasons["n"])) == want
    assert {"not a review", "wrong population", f"published before {FIRST_YEAR}"} <= set(want)
    drawn = " ".join(a.text for a in prisma.plot_prisma_flow(flow).layout.annotations)
    drawn = re.sub(r"<br>\s*", " ", drawn)  # long reasons are wrapped in the box
    for reason, count in want.items():
        assert f"{reason} (n = {count:,})".replace("'", "&#x27;") in drawn
    assert "Studies included in review</b> (n = 3)" in drawn
    section = report.screening_html(review)
    assert "1 decision row" in section and "gone" not in section


def test_decisions_file_is_written_back_with_new_papers_undecided(reviewed):
    review, decisions, rows = reviewed
    back = read_decisions(decisions)
    assert len(back) == len(review.corpus.papers) + 1  # every paper, then the row that matched none
    decided = back[back["decision"] != ""]
    assert sorted(zip(decided["title"].map(key), decided["decision"], decided["reason"])) == sorted(
        (key(t), d, r) for t, d, r in rows)
    assert (back.loc[back["decision"] == "", "id"] != "").all()  # the new ones carry their id
    copy = read_decisions(review.outputs["decisions"])
    assert copy.drop(columns="line").equals(back.drop(columns="line"))


def test_prior_labels_in_the_export_are_decisions(tmp_path):
    from litscope.screen import read_export_decisions
    from litscope.sources import load

    export = tmp_path / "slice.csv"
    shutil.copyfile(FIXTURES / SLICE, export)
    corpus = load([str(export)])
    labels = pd.read_csv(export, dtype=str)["label_included"]
    prior = read_export_decisions(corpus)
    assert len(prior) == len(labels)
    assert (prior["decision"] == "include").sum() == (labels == "1").sum() == 20


def test_scope_included_restricts_topics_and_syntheses_to_the_included_papers(tmp_path):

    export = tmp_path / "slice.csv"
    shutil.copyfile(FIXTURES / SLICE, export)  # its label column: 20 included records
    review = pipeline.run([str(export)], output_dir=tmp_path / "out", embedder="static", n_topics=2, cache=False,
                          scope="included")
    included = set(review.outcome.included_ids())
    assert len(included) == 20
    assert set(review.topics.papers["id"]) == included
    cited = {i for ids in review.syntheses["cited_ids"] for i in ids}
    assert cited and cited <= included
    assert len(review.summaries) == len(review.corpus.papers)  # every paper keeps its summary in papers.csv


def test_screening_parameters_are_declared_and_checked():
    from litscope import paths
    from litscope.errors import ParameterError
    from litscope.params import notebook_parameters, parse_param, resolve_parameters

    known = notebook_parameters(paths.review_notebook())
    given = ["years=[2005, null]", "languages=[en]", "document_types=[article]", "include_terms=[review*]",
             "exclude_terms=[agile, 'pair programming']", "term_fields=[title, abstract]", "min_relevance=0.2",
             "decisions=decisions.csv", "scope=included"]
    values = resolve_parameters(known, params=dict(parse_param(p) for p in given))
    assert values["years"] == [2005, None] and values["min_relevance"] == 0.2 and values["scope"] == "included"
    assert set(pipeline.run_settings()) >= set(values)  # each is a setting of the review
    for bad in ("years=[2010, 2000]", "min_relevance=1.5", "scope=some", "term_fields=[body]",
                "years=[2000]"):
        with pytest.raises(ParameterError):
            resolve_parameters(known, params=dict([parse_param(bad)]))


@pytest.mark.slow
def test_the_report_shows_the_sections_the_answer_and_the_complete_prisma_flow(tmp_path, reviewed):
    from litscope.execute import run_review

    _, _, rows = reviewed
    export = tmp_path / "records.csv"

    pd.read_csv(FIXTURES / SLICE, dtype=str, keep_default_na=False).drop(columns=["label_included"]) \
        .to_csv(export, index=False)
    decisions = tmp_path / "decisions.csv"
    pd.DataFrame([{"title": t, "decision": d, "reason": r} for t, d, r in rows]).to_csv(decisions, index=False)
    out = run_review([str(export)], name="screened", reports_dir=tmp_path / "reports", pdf=False, progress=False,
                     params={"research_question": QUESTION, "embedder": "static", "n_topics": 3, "cache": False,
                             "years": [FIRST_YEAR, None], "exclude_terms": [EXCLUDED_WORD],
                             "term_fields": ["title"], "decisions": str(decisions)})
    html = out.html.read_text(encoding="utf-8")
    for heading in ("Screening", "Papers most relevant to the question", "Relevance of each topic",
                    "An answer from the abstracts"):
        assert heading in html
    for reason in ("not a review", "wrong population", f"published before {FIRST_YEAR}"):
        assert reason in html
    assert "Studies included in review" in html
    papers = pd.read_csv(out.papers_csv)
    assert {"relevance", "relevance_rank", "screening"} <= set(papers.columns)
    assert (papers["screening"] == "included").sum() == 3


class _Shown(list):
    """What the report's display functions show: HTML texts and plotly figures, in order."""

    def html(self) -> str:
        return "".join(o.data for o in self if hasattr(o, "data") and isinstance(o.data, str))

    def figures(self) -> list:
        """The plotly figures, as the JSON of the bundles :func:`litscope.figures.show` displays."""
        return [o["application/vnd.plotly.v1+json"] for o in self
                if isinstance(o, dict) and "application/vnd.plotly.v1+json" in o]


@pytest.fixture
def shown(monkeypatch):
    import IPython.display

    out = _Shown()
    monkeypatch.setattr(IPython.display, "display", lambda *objs, **_: out.extend(objs))
    return out


def _figure_text(fig) -> str:
    return re.sub(r"<br>\s*", " ", " ".join(a.get("text", "") for a in fig["layout"]["annotations"]))


@pytest.fixture(scope="module")
def unscreened(tmp_path_factory):
    """The same export without its labels, no question, no criteria, no decisions: nothing screens it."""

    tmp = tmp_path_factory.mktemp("unscreened-review")
    export = tmp / "kitchenham_unlabelled.csv"
    pd.read_csv(FIXTURES / SLICE, dtype=str, keep_default_na=False).drop(columns=["label_included"]) \
        .to_csv(export, index=False)
    return pipeline.run([str(export)], output_dir=tmp / "out", embedder="static", n_topics=3, cache=False)


def test_without_a_question_or_screening_the_report_has_no_such_sections_and_one_prisma_flow(unscreened, shown):
    assert not report.screening_ran(unscreened)
    report.display_relevance(unscreened)
    report.display_answer(unscreened)
    assert not shown  # no "Papers most relevant to the question" heading, nor any text under it
    report.display_screening(unscreened)
    assert not shown.figures()
    text = shown.html()
    assert "Nothing was screened" in text and f"all {len(unscreened.corpus.papers)} papers are kept" in text
    shown.clear()
    report.display_dedupe(unscreened.corpus, identification_flow=not report.screening_ran(unscreened))
    (fig,) = shown.figures()  # the identification flow, drawn once
    drawn = _figure_text(fig)
    assert "Records identified from databases" in drawn and "Studies included in review" not in drawn


def test_a_screened_review_draws_only_the_complete_prisma_flow(reviewed, shown):
    review, _, _ = reviewed
    assert report.screening_ran(review)
    report.display_dedupe(review.corpus, identification_flow=not report.screening_ran(review))
    assert shown.html() and not shown.figures()  # the de-duplication summary, no diagram
    shown.clear()
    report.display_screening(review)
    (fig,) = shown.figures()
    assert "Studies included in review</b> (n = 3)" in _figure_text(fig)
    assert "Nothing was screened" not in shown.html()
    shown.clear()
    report.display_relevance(review)
    assert "<h2>Papers most relevant to the question</h2>" in shown.html()
