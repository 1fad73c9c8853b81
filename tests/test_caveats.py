"""Issue 8, item 11: edge corpora get a report that says plainly what happened and why.

Fast tests of :mod:`litscope.caveats` and :mod:`litscope.language` on tiny frames, and one
slow end-to-end review of a one-paper file and a titles-only file through the notebook.
"""

from __future__ import annotations

import csv
import socket
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from litscope import caveats, language
from litscope.caveats import caveats_html, compute_corpus_caveats

FIXTURES = Path(__file__).parent / "fixtures"


def _corpus(n: int, abstracts: list | None = None) -> pd.DataFrame:
    return pd.DataFrame({"id": [f"p{i}" for i in range(n)], "title": [f"Paper {i}" for i in range(n)],
                         "abstract": abstracts if abstracts is not None else ["We study X in detail."] * n})


def _topics(topic_of: list[int], **params) -> SimpleNamespace:
    """What compute_corpus_caveats reads of a TopicResult: params and papers."""
    papers = pd.DataFrame({"id": [f"p{i}" for i in range(len(topic_of))], "topic": topic_of})
    return SimpleNamespace(params={"min_topic_size": 5, "n_topics": None, **params}, papers=papers)


def _kinds(found) -> list[str]:
    return [c.kind for c in found]


# ------------------------------------------------------------------ (a) one paper is not a topic

def test_one_paper_corpus_says_it_is_too_small_for_topics():
    found = compute_corpus_caveats(_corpus(1), _topics([0], note="too few papers to split into topics"),
                                   languages=["en"])
    assert _kinds(found) == ["too_small"]
    text = found[0].message
    assert "only 1 paper" in text and "too few to find topics" in text
    assert "not a topic found in it" in text and "at least 10 papers" in text


def test_small_corpus_without_a_topic_result_still_says_so():
    assert _kinds(compute_corpus_caveats(_corpus(6), languages=["en"] * 6)) == ["too_small"]


@pytest.mark.parametrize("n, params", [(40, {}), (6, {"n_topics": 2})])
def test_corpus_with_enough_papers_or_asked_topics_gets_no_size_caveat(n, params):
    assert compute_corpus_caveats(_corpus(n), _topics([0] * n, **params), languages=["en"] * n) == []


# ------------------------------------------------------------------ (b) syntheses need abstracts

def test_titles_only_corpus_says_syntheses_need_abstracts():
    corpus = _corpus(12, abstracts=[None, ""] * 6)
    syntheses = pd.DataFrame({"topic": [0, 1], "synthesis": ["", ""]})
    found = compute_corpus_caveats(corpus, _topics([0] * 6 + [1] * 6), syntheses, languages=["en"] * 12)
    assert _kinds(found) == ["no_abstracts"]  # one message, not one per empty synthesis
    assert "None of the 12 papers has an abstract" in found[0].message
    assert "Syntheses and one-sentence summaries quote sentences from abstracts" in found[0].message


def test_few_abstracts_and_empty_syntheses_are_counted():
    corpus = _corpus(20, abstracts=["We study X in detail."] * 3 + [None] * 17)
    syntheses = pd.DataFrame({"topic": [0, 1, 2], "synthesis": ["We study X in detail. [1]", "", None]})
    found = compute_corpus_caveats(corpus, _topics([0] * 7 + [1] * 7 + [2] * 6), syntheses,
                                   languages=["en"] * 20)
    assert _kinds(found) == ["few_abstracts", "empty_syntheses"]
    assert found[0].message.startswith("Only 3 of 20 papers (15%) have an abstract.")
    assert found[1].message.startswith("Topics T1, T2 have no synthesis")
    assert "3 of 20 papers have an abstract" in found[1].message


def test_corpus_with_abstracts_gets_no_abstract_caveat():
    syntheses = pd.DataFrame({"topic": [0], "synthesis": ["We study X in detail. [1]"]})
    assert compute_corpus_caveats(_corpus(30), _topics([0] * 30), syntheses, languages=["en"] * 30) == []


# ------------------------------------------------------------------ (c) language mix

def test_non_english_corpus_reports_its_language_and_the_unassigned():
    n = 240
    languages = ["es"] * 212 + ["en"] * 28
    found = compute_corpus_caveats(_corpus(n), _topics([-1] * 200 + [0] * 40), languages=languages)
    assert _kinds(found) == ["language"]
    text = found[0].message
    assert text.startswith("212 of 240 papers are in Spanish; the embedding model reads English, "
                           "so topics may be poor")
    assert "200 of these 212 papers are unassigned" in text
    assert "language column of papers.csv" in text


def test_language_mix_lists_each_language_and_the_undetermined():
    languages = ["pt"] * 5 + ["de"] * 2 + ["und"] * 3 + ["en"] * 30
    found = compute_corpus_caveats(_corpus(40), languages=languages)
    assert _kinds(found) == ["language"]
    assert found[0].message.startswith("7 of 40 papers are not in English (5 in Portuguese, 2 in German)")
    assert "The language of 3 papers could not be told" in found[0].message


def test_english_corpus_gets_no_language_caveat():
    assert compute_corpus_caveats(_corpus(30), languages=["en"] * 29 + ["und"]) == []


def test_caveats_are_html_escaped_and_absent_when_none():
    html = caveats_html([caveats.Caveat("language", 'x <script>alert("1")</script> & y')])
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp; y" in html
    assert caveats_html([]) == ""


# ------------------------------------------------------------------ offline language detection

@pytest.fixture
def no_network(monkeypatch):
    """Detection must not reach the network, even to load its model."""
    def refuse(*args, **kwargs):
        raise AssertionError("language detection tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(language, "_IDENTIFIER", None)  # load the model under the guard


def test_languages_are_detected_offline(no_network):
    from litscope import sources

    russian = sources.read(FIXTURES / "ris" / "rispy" / "rispy_example_utf_chars.ris").frame  # a real Russian record
    assert language.detect_languages(russian).tolist() == ["ru"]
    assert [language.detect_language(t) for t in [
        "Evaluación de la calidad de vida en pacientes con diabetes tipo 2 en atención primaria",
        "Efeito do exercício físico na qualidade de vida de idosos institucionalizados",
        "Die Wirkung von Bewegung auf die kognitive Leistung älterer Menschen",
        "Étude de la qualité de vie des patients atteints de diabète de type 2",
        "Emergency management of migraine: is the headache really over after you leave the emergency department?",
        "COVID-19", "", None,
    ]] == ["es", "pt", "de", "fr", "en", "und", "und", "und"]
    assert language.language_name("es") == "Spanish"


def test_language_column_is_added_to_papers_csv_without_changing_other_cells(tmp_path):
    from litscope import report

    df = pd.DataFrame({"id": ["a", "b"], "title": ['=HYPERLINK("x")', "Calidad de vida"],
                       "abstract": ['Multi\nline, "quoted"', ""], "year": [2020, None]})
    refs = report.compute_references(df)
    plain = report.write_papers_csv(tmp_path / "plain.csv", df, None, None, refs)
    tagged = report.write_papers_csv(tmp_path / "tagged.csv", df, None, None, refs,
                                     extra={"language": pd.Series(["es", "und"], index=["a", "b"])})
    with plain.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    with tagged.open(newline="", encoding="utf-8") as fh:
        back = list(csv.reader(fh))
    ids = [r[rows[0].index("id")] for r in rows[1:]]
    assert back == [rows[0] + ["language"]] + [r + [{"a": "es"}.get(i, "und")] for r, i in zip(rows[1:], ids)]


# ------------------------------------------------------------------ end to end

@pytest.mark.slow
def test_report_explains_one_paper_and_titles_only_corpora(tmp_path, monkeypatch, sample_path):
    """The notebook, run on a one-paper file and on a titles-only file, says what each cannot give."""
    from litscope import sources
    from litscope.execute import run_review

    monkeypatch.setenv("LITSCOPE_CACHE", str(tmp_path / "cache"))
    sample = sources.read(sample_path).frame
    one = tmp_path / "one.csv"
    sample[["title", "abstract"]].head(1).to_csv(one, index=False)
    titles = tmp_path / "titles.csv"
    sample[["title", "authors", "year"]].head(30).to_csv(titles, index=False)  # a title column alone is no export
    params = {"embedder": "static"}  # the static model keeps this test short

    out = run_review([str(one)], name="one", reports_dir=tmp_path / "reports", pdf=False, progress=False,
                     params=params)
    page = Path(out.html).read_text(encoding="utf-8")
    assert "About this corpus." in page and "only 1 paper: too few to find topics" in page
    with (Path(out.output_dir) / "papers.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 1 and rows[0]["language"] == "en"

    out = run_review([str(titles)], name="titles", reports_dir=tmp_path / "reports", pdf=False,
                     progress=False, params=params)
    page = Path(out.html).read_text(encoding="utf-8")
    assert "None of the 30 papers has an abstract" in page
    assert "Syntheses and one-sentence summaries quote sentences from abstracts" in page
