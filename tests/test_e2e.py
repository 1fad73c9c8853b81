"""End to end: run the review notebook on the sample corpus and read the report like a reader.

Runs ``litscope.execute.run_review`` (papermill + HTML + Chromium PDF) three times:
twice on the sample (the second time split over two files named in reverse order: every
paper must get the same topic and label) and once
on the sample plus a RIS file with one bad record (the report must list it). Minutes.
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "hf-papers-listing.txt"
N_SAMPLE = 91

BROKEN_RIS = """TY  - JOUR
TI  - Crafted test paper on tokenizer vocabulary for low-resource languages
AU  - Doe, Jane
PY  - 2021
AB  - We study tokenizer vocabularies for languages with little data.
ER  - 

TY  - JOUR
AU  - Nobody, N
PY  - 2020
ER  - 

TY  - JOUR
TI  - Crafted test paper on reasoning benchmarks for language models
AU  - Roe, Rick
PY  - 2022
AB  - We build a benchmark of reasoning problems.
ER  - 
"""


def _run(inputs, name: str, reports: Path, *, pdf: bool = True):
    if shutil.which("chromium") is None and pdf:
        pytest.skip("Chromium is needed to print the PDF")
    from litscope.execute import run_review

    return run_review([str(p) for p in inputs], name=name, reports_dir=reports, pdf=pdf, progress=False)


def _norm(text: str) -> str:
    """Letters and digits only, lower case: survives line breaks, hyphenation and ligature spacing."""
    import unicodedata

    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    return re.sub(r"[^0-9a-z]+", "", text.lower())


def _papers(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("reports")


@pytest.fixture(scope="module")
def sample_run(reports):
    return _run([SAMPLE], "sample-e2e", reports)


@pytest.fixture(scope="module")
def soup(sample_run):
    from bs4 import BeautifulSoup

    return BeautifulSoup(Path(sample_run.html).read_text(encoding="utf-8"), "html.parser")


def _sample_titles() -> list[str]:
    import litscope

    return litscope.load([str(SAMPLE)]).papers["title"].tolist()


def test_artifacts_exist(sample_run):
    out = Path(sample_run.output_dir)
    for name in ("review.html", "review.pdf", "review.ipynb", "papers.csv", "topics.csv",
                 "corpus.bib", "corpus.ris", "corpus.csv", "duplicates.csv"):
        assert (out / name).is_file() and (out / name).stat().st_size > 0, name


def test_every_synthesis_sentence_is_verbatim_from_a_cited_abstract(sample_run):
    import litscope

    out = Path(sample_run.output_dir)
    abstracts = dict(zip(*litscope.load([str(SAMPLE)]).papers[["id", "abstract"]].T.values))
    by_ref = {r["ref"]: r for r in _papers(out / "papers.csv")}
    topics = _papers(out / "topics.csv")
    assert topics and all(t["synthesis"] for t in topics)
    checked = 0
    for t in topics:
        # "Sentence one. [12] Sentence two. [3]": each sentence is followed by its citation
        for sentence, ref in re.findall(r"\s*(.+?)\s\[(\d+)\]", t["synthesis"]):
            paper = by_ref[ref]
            assert paper["topic"] == t["topic"], (sentence, ref)
            assert sentence in abstracts[paper["id"]], (sentence, ref)
            checked += 1
    assert checked >= 2 * len(topics)


def test_papers_csv_has_every_paper(sample_run):
    rows = _papers(Path(sample_run.output_dir) / "papers.csv")
    assert len(rows) == N_SAMPLE
    assert len({r["id"] for r in rows}) == N_SAMPLE
    assert sorted(int(r["ref"]) for r in rows) == list(range(1, N_SAMPLE + 1))
    assert all(r["summary"].strip() for r in rows)


def test_every_title_in_html_reference_list(soup):
    entries = soup.select("p.ls-ref")
    assert len(entries) == N_SAMPLE
    refs_text = _norm(" ".join(e.get_text(" ") for e in entries))
    missing = [t for t in _sample_titles() if _norm(t) not in refs_text]
    assert not missing, missing[:5]
    assert [e["id"] for e in entries] == [f"ref-{n}" for n in range(1, N_SAMPLE + 1)]


def test_every_title_in_pdf(sample_run):
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() or "" for page in PdfReader(str(sample_run.pdf)).pages)
    # Re-join words hyphenated at a line break, then compare letters and digits only.
    text = _norm(re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text)) + _norm(text)
    missing = [t for t in _sample_titles() if _norm(t) not in text]
    assert not missing, missing[:5]


def test_topics_are_many_and_labelled_with_content_words(soup):
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    sections = soup.select("section.ls-topic")
    assert len(sections) >= 6
    for section in sections:
        label = section.find("h2").get_text(" ", strip=True).split(".", 1)[1]
        words = re.findall(r"[a-z]+", label.lower())
        assert words and any(w not in ENGLISH_STOP_WORDS for w in words), label


def test_synthesis_citations_point_at_papers_of_their_topic(soup):
    cited_total = 0
    for section in soup.select("section.ls-topic"):
        listed = {a["href"] for a in section.select("table a[href^='#ref-']")}
        cited = {a["href"] for a in section.select("a.ls-cite")}
        assert listed, section.get("id")
        assert cited <= listed, (section.get("id"), cited - listed)
        # every cited anchor exists in the reference list
        for href in cited:
            assert soup.find(id=href[1:]) is not None
        cited_total += len(cited)
    assert cited_total > 0
    # no bracketed number left unlinked in a synthesis
    for p in soup.select("p.ls-synthesis"):
        plain = re.sub(r"<a [^>]*>.*?</a>", "", str(p))
        assert not re.search(r"\[\d+\]", plain), p.get_text()[:200]


def test_report_reads_in_order(soup):
    text = soup.get_text(" ")
    order = ["Scope", "Corpus overview", "Load report", "Topic overview", "Unassigned papers", "References",
             "Reproducibility appendix"]
    positions = [text.find(h) for h in order]
    assert all(p >= 0 for p in positions), dict(zip(order, positions))
    assert positions == sorted(positions)
    assert soup.find("script", id="litscope-plotlyjs") is not None
    assert len(soup.select(".plotly-graph-div")) >= 3


def test_same_topics_and_labels_in_a_new_run_with_inputs_reordered(sample_run, reports, tmp_path):
    # The same papers split over two files, named in reverse order, reviewed again in a new
    # kernel process: every paper must get the same topic, label and reference number.
    text = SAMPLE.read_text(encoding="utf-8")
    blocks = text.split("\n\n")
    header, papers = blocks[:5], blocks[5:]
    half = len(papers) // 2 // 2 * 2  # keep title/abstract pairs together
    first_half, second_half = tmp_path / "a-first.txt", tmp_path / "b-second.txt"
    first_half.write_text("\n\n".join(header + papers[:half]), encoding="utf-8")
    second_half.write_text("\n\n".join(header + papers[half:]), encoding="utf-8")
    again = _run([second_half, first_half], "sample-e2e-again", reports, pdf=False)
    key = lambda r: (r["topic"], r["topic_label"], r["ref"])
    first = {r["id"]: key(r) for r in _papers(Path(sample_run.output_dir) / "papers.csv")}
    second = {r["id"]: key(r) for r in _papers(Path(again.output_dir) / "papers.csv")}
    assert len(first) == N_SAMPLE
    assert first == second


def test_partly_broken_input_is_listed(reports, tmp_path):
    from bs4 import BeautifulSoup

    broken = tmp_path / "broken export.ris"
    broken.write_text(BROKEN_RIS, encoding="utf-8")
    out = _run([SAMPLE, broken], "broken-e2e", reports, pdf=False)
    rows = _papers(Path(out.output_dir) / "papers.csv")
    assert len(rows) == N_SAMPLE + 2
    page = BeautifulSoup(Path(out.html).read_text(encoding="utf-8"), "html.parser")
    text = " ".join(page.get_text(" ").split())
    assert "1 record could not be loaded" in text
    table = next(t for t in page.select("table.ls-table") if "Reason" in t.get_text())
    cells = [td.get_text(" ", strip=True) for td in table.select("tbody tr")[0].select("td")]
    assert cells[0].endswith("broken export.ris") and cells[1] == "2" and cells[2] == "8"
    assert "neither title nor abstract" in cells[3]
