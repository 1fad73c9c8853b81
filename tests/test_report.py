"""Tests of litscope.report: reference numbering, escaping, papers.csv, corpus counts."""

from __future__ import annotations

import csv
import re
from types import SimpleNamespace

import pandas as pd
import pytest

from litscope import report
from litscope.corpus import Corpus
from litscope.records import LoadEntry, SkippedRecord
from litscope.schema import to_frame
from litscope.timing import StageTimer

EVIL = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'


def corpus() -> pd.DataFrame:
    recs = [
        {"title": "Zeta functions in practice", "authors": ["Zimmer, Anna"], "year": 2020, "abstract": "Zeta."},
        {"title": EVIL, "authors": ["Évora, Bruno", "Roe, R"], "year": 2019, "abstract": "Evil <b>bold</b>.",
         "doi": "10.1000/evil"},
        {"title": "Alpha without authors", "year": None, "abstract": ""},
        {"title": "Beta study", "authors": ["Adams, Carl"], "year": 2021, "abstract": "Beta.",
         "arxiv_id": "2101.00001"},
        {"title": "Another Beta", "authors": ["Adams, Carl"], "year": 2018, "abstract": "Another."},
    ]
    df = to_frame(recs, source_format="ris", source_file="refs & co.ris")
    # to_frame strips tags, but an entity-encoded title (&lt;script&gt;) decodes to this: put it back.
    df.loc[1, "title"] = EVIL
    return df


def loaded(df: pd.DataFrame) -> Corpus:
    """The corpus load() would give for ``df``: its load report and a record it could not read."""
    return Corpus.from_frame(df).replace(
        load_entries=(LoadEntry("refs & co.ris", "ris", 5, 1, "utf-8", "ab" * 32, ""),),
        skipped=(SkippedRecord("refs & co.ris", 6, 40, "no <TI> or AB tag"),))


def topic_result(df: pd.DataFrame) -> SimpleNamespace:
    ids = df["id"].tolist()
    papers = pd.DataFrame({"id": ids, "topic": [0, 0, -1, 1, 1], "topic_label": ["Zeta <z>", "Zeta <z>", "", "Beta", "Beta"],
                           "confidence": [0.9, 0.8, 0.1, 0.7, 0.95], "parent": [0, 0, -1, 0, 0],
                           "x": [0.0, 1, 2, 3, 4], "y": [1.0, 2, 0, 1, 3]})
    topics = pd.DataFrame({"topic": [0, 1], "label": ["Zeta <z>", "Beta"], "size": [2, 2], "share": [0.4, 0.4],
                           "key_phrases": [["zeta", "<k>"], ["beta"]], "parent": [0, 0],
                           "parent_label": ["Greek", "Greek"], "representative_ids": [[ids[0]], [ids[3]]],
                           "mean_confidence": [0.85, 0.8]})
    parents = pd.DataFrame({"parent": [0], "label": ["Greek"], "size": [4], "topics": [[0, 1]]})
    sim = pd.DataFrame([[1.0, 0.3], [0.3, 1.0]], index=[0, 1], columns=[0, 1])
    unassigned = pd.DataFrame({"id": [ids[2]], "title": [df.loc[2, "title"]], "reason": ["far from <every> topic"]})
    return SimpleNamespace(papers=papers, topics=topics, parents=parents, similarity=sim,
                           unassigned=unassigned, params={"seed": 1})


def test_references_alphabetical_complete_and_stable():
    df = corpus()
    refs = report.compute_references(df)
    assert refs["ref"].tolist() == [1, 2, 3, 4, 5]
    assert sorted(refs["id"]) == sorted(df["id"])
    # Adams 2018, Adams 2021, 'Alpha' (no author: by title), Évora (accent folded), Zimmer
    assert refs["title"].tolist() == ["Another Beta", "Beta study", "Alpha without authors", EVIL,
                                      "Zeta functions in practice"]
    shuffled = report.compute_references(df.sample(frac=1, random_state=3).reset_index(drop=True))
    assert report.reference_numbers(shuffled) == report.reference_numbers(refs)


def test_reference_links_and_years():
    refs = report.compute_references(corpus()).set_index("title")
    assert refs.at[EVIL, "link"] == "https://doi.org/10.1000/evil"
    assert refs.at["Beta study", "link"] == "https://arxiv.org/abs/2101.00001"
    assert "(n.d.)" in refs.at["Alpha without authors", "citation_text"]
    assert refs.at["Beta study", "year"] == "2021"


def test_malicious_title_is_escaped_everywhere():
    df = corpus()
    refs = report.compute_references(df)
    res = topic_result(df)
    summaries = pd.Series({i: f"summary {EVIL}" for i in df["id"]})
    synth = pd.DataFrame({"topic": [0], "synthesis": [f"Evil <b>claim</b> [{refs.set_index('id').at[df.loc[1, 'id'], 'ref']}]."]})
    pieces = [
        report.references_html(refs),
        report.topic_sections_html(res, df, synth, summaries, refs),
        report.unassigned_html(res, df, summaries, refs),
        report.corpus_overview_html(loaded(df)),
        report.title_html(EVIL, research_question=EVIL, corpus=loaded(df)),
        report.topic_overview_html(res),
        report.appendix_html({"inputs": [EVIL]}, corpus=loaded(df), timer=StageTimer()),
    ]
    for piece in pieces:
        assert "<script>" not in piece and "<img" not in piece and "<b>claim" not in piece
        assert "<z>" not in piece and "<k>" not in piece and "<every>" not in piece and "<TI>" not in piece
    assert "&lt;script&gt;" in pieces[0]


def test_topic_sections_link_citations_to_topic_papers_only():
    df = corpus()
    refs = report.compute_references(df)
    numbers = report.reference_numbers(refs)
    res = topic_result(df)
    n0 = numbers[df.loc[0, "id"]]
    n_other = numbers[df.loc[3, "id"]]  # a paper of topic 1
    synth = pd.DataFrame({"topic": [0, 1], "synthesis": [f"Zeta matters [{n0}]. Beta too [{n_other}].", "Beta."]})
    out = report.topic_sections_html(res, df, synth, None, refs)
    section0 = out.split('<section class="ls-topic" id="topic-0"')[1].split("</section>")[0]
    assert f'<a class="ls-cite" href="#ref-{n0}">[{n0}]</a>' in section0
    assert f'href="#ref-{n_other}">[{n_other}]</a>' not in section0.split("<table")[0]
    assert "<h2>T0. Zeta &lt;z&gt;</h2>" in out
    assert re.search(r'<a href="#ref-\d+">\[\d+\]</a>', section0)


def test_link_citations_groups_and_escaping():
    assert report.link_citations("a <x> [2, 5]", valid=[2]) == 'a &lt;x&gt; [<a class="ls-cite" href="#ref-2">2</a>, 5]'


def test_references_html_has_every_anchor():
    refs = report.compute_references(corpus())
    out = report.references_html(refs)
    for n in refs["ref"]:
        assert f'id="ref-{n}"' in out


def test_papers_csv_extra_columns_follow_by_id_and_are_neutralised(tmp_path):
    df = corpus()
    refs = report.compute_references(df)
    ids = list(df["id"].astype(str))
    # given in reverse order and without the first paper: matched by id, empty where missing
    reason = pd.Series(["=HYPERLINK(\"x\")"] + ["ok"] * (len(ids) - 2), index=ids[:0:-1])
    status = pd.DataFrame({"screening": ["included"] * len(ids)}, index=ids)
    plain = report.write_papers_csv(tmp_path / "plain.csv", df, None, None, refs)
    for i, extra in enumerate(({"reason": reason}, status)):
        path = report.write_papers_csv(tmp_path / f"extra{i}.csv", df, None, None, refs, extra=extra)
        with open(path, encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        with open(plain, encoding="utf-8", newline="") as fh:
            before = list(csv.DictReader(fh))
        assert [{k: r[k] for k in before[0]} for r in rows] == before  # the other columns as without extra
        assert list(rows[0])[-1] == list(extra)[-1]  # the extra columns come last
    assert [r["screening"] for r in rows] == ["included"] * len(ids)
    with open(tmp_path / "extra0.csv", encoding="utf-8", newline="") as fh:
        by_id = {r["id"]: r["reason"] for r in csv.DictReader(fh)}
    assert by_id[ids[0]] == ""
    assert by_id[ids[-1]] == "'=HYPERLINK(\"x\")"  # a formula is neutralised like the other columns
    assert all(by_id[i] == "ok" for i in ids[1:-1])


def test_papers_csv_one_row_per_paper(tmp_path):
    df = corpus()
    refs = report.compute_references(df)
    res = topic_result(df)
    summaries = pd.Series({i: "Ünïcode summary, with comma" for i in df["id"]})
    path = report.write_papers_csv(tmp_path, df, res.papers, summaries, refs)
    assert path.name == "papers.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(df)
    assert {"ref", "id", "title", "year", "topic", "topic_label", "summary", "source_file", "source_record",
            "confidence"} <= set(rows[0])
    assert [int(r["ref"]) for r in rows] == [1, 2, 3, 4, 5]
    assert sorted(r["id"] for r in rows) == sorted(df["id"])
    by_title = {r["title"]: r for r in rows}
    assert by_title["Alpha without authors"]["year"] == ""
    assert by_title["Alpha without authors"]["topic"] == "-1"
    assert by_title["Beta study"]["year"] == "2021"
    assert by_title[EVIL]["summary"] == "Ünïcode summary, with comma"
    assert by_title["Beta study"]["source_record"] == "4"


def test_corpus_overview_counts():
    df = corpus()
    merged = df.iloc[[0, 1, 2, 3]].copy()
    ov = dict(zip(*report.compute_corpus_overview(loaded(df).replace(papers=merged)).T.values))
    assert ov["Input files"] == 1
    assert ov["Records loaded"] == 5
    assert ov["Records not loaded (see load report)"] == 1
    assert ov["Duplicate records merged"] == 1
    assert ov["Unique papers"] == 4
    assert ov["Papers with an abstract"] == 3
    assert ov["Papers without an abstract"] == 1
    assert ov["Papers with a known year"] == 3
    assert ov["Publication years"] == "2019–2021"


def test_load_report_lists_skipped_records():
    out = report.load_report_html(loaded(corpus()))
    assert "1 record could not be loaded" in out
    assert "no &lt;TI&gt; or AB tag" in out and "<td class=\"ls-num\">40</td>" in out
    assert "refs &amp; co.ris" in out


def test_merge_duplicates_switched_off_keeps_rows_and_provenance():
    before = loaded(corpus())
    merged = report.merge_duplicates(before, enabled=False)
    assert isinstance(merged, Corpus) and len(merged) == len(before.records) and merged.deduplicated is False
    assert merged.skipped == before.skipped and merged.load_entries == before.load_entries
    assert merged.papers["merged_from"].tolist() == [[f"refs & co.ris#{i}"] for i in range(1, 6)]
    assert "switched off" in report.dedupe_html(merged)
    on = report.merge_duplicates(before)
    assert on.deduplicated and on.skipped == before.skipped and "No de-duplication" not in report.dedupe_html(on)


def test_resolve_inputs_relative_to_project_root(tmp_path):
    from litscope import paths

    out = report.resolve_inputs(["data/samples/hf-papers-listing.txt", str(tmp_path)])
    assert out[0] == str(paths.project_root() / "data/samples/hf-papers-listing.txt")
    assert out[1] == str(tmp_path)


def test_environment_lists_required_packages():
    env = report.compute_environment()
    assert env["package"].tolist()[0] == "python"
    assert {"pandas", "numpy", "plotly", "papermill", "nbconvert", "litscope"} <= set(env["package"])
    assert env.set_index("package").at["pandas", "version"] == pd.__version__


def test_input_hashes(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(b"abc")
    h = report.input_hashes([p])
    assert h.loc[0, "sha256"] == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert h.loc[0, "bytes"] == 3


def test_html_table_escapes_header_and_cells_but_not_html_columns():
    t = pd.DataFrame({"a": ["<i>x</i>"], "b": ['<a href="#r">ok</a>']})
    out = report.html_table(t, {"a": "<A>", "b": "B"}, html_columns=["b"], widths={"a": "50%"})
    assert "&lt;i&gt;x&lt;/i&gt;" in out and '<a href="#r">ok</a>' in out and "&lt;A&gt;" in out
    assert 'style="width:50%"' in out


def test_stage_timer_accumulates():
    timer = StageTimer()
    with timer("embed"):
        pass
    timer.add("embed", 1.5)
    frame = timer.frame()
    assert frame["stage"].tolist() == ["embed"] and frame.loc[0, "calls"] == 2
    assert frame.loc[0, "seconds"] >= 1.5


@pytest.mark.parametrize("authors,expected", [(["Doe, Jane"], "Doe, J."),
                                              ([f"A{i}, B" for i in range(12)], "A0, B., A1, B., A2, B., A3, B., A4, B., A5, B., A6, B., … et al.")])
def test_format_authors(authors, expected):
    assert report.format_authors(authors) == expected


def test_corpus_exports_read_back_and_audit_lists_merges(tmp_path):
    import litscope

    df = to_frame([
        {"title": "Deep learning for reviews", "authors": ["Doe, Jane"], "year": 2020, "doi": "10.1000/a"},
        {"title": "Deep Learning for Reviews", "authors": ["Doe, J."], "year": 2020, "doi": "10.1000/A",
         "abstract": "Longer."},
        {"title": "Screening with active learning", "authors": ["Roe, Rick"], "year": 2021},
    ], source_format="test", source_file="x.ris")
    merged = report.merge_duplicates(df)
    written = report.write_corpus_exports(tmp_path, merged)
    assert set(written) == {"bibtex", "ris", "csv", "duplicates"}
    for key in ("bibtex", "ris", "csv"):
        back = litscope.load(written[key]).papers
        assert sorted(back["title"]) == ["Deep Learning for Reviews", "Screening with active learning"] or \
            sorted(back["title"]) == ["Deep learning for reviews", "Screening with active learning"], key
    audit = pd.read_csv(written["duplicates"])
    assert len(audit) == 2 and set(audit["reason"].dropna()) >= {"doi"}


def test_large_topic_tables_list_the_most_confident_papers(monkeypatch):
    """Issue 7: a topic bigger than MAX_TABLE_ROWS lists its most confident papers and says so."""
    df = corpus()
    refs = report.compute_references(df)
    res = topic_result(df)
    monkeypatch.setattr(report, "MAX_TABLE_ROWS", 1)
    topic0 = res.papers[res.papers["topic"] == 0]
    assert len(topic0) >= 2
    best = topic0.sort_values("confidence", ascending=False, kind="stable")["id"].iloc[0]
    section0 = report.topic_sections_html(res, df, None, None, refs).split('id="topic-0"')[1].split("</section>")[0]
    assert f"lists 1 of the {len(topic0)} papers of this topic" in section0
    assert section0.count('<a href="#ref-') == 1
    assert f'href="#ref-{report.reference_numbers(refs)[best]}"' in section0
