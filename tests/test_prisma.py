"""Tests for litscope.prisma: identification counts and the flow diagram."""

from __future__ import annotations

import pandas as pd
import pytest

from litscope.corpus import Corpus
from litscope.dedupe import deduplicate, skip_deduplication
from litscope.errors import ParameterError
from litscope.prisma import compute_prisma_identification, plot_prisma_flow
from litscope.records import SkippedRecord
from litscope.schema import to_frame


@pytest.fixture
def corpus() -> Corpus:
    a = to_frame([{"title": "Alpha", "doi": "10.1000/1"}, {"title": "Beta", "doi": "10.1000/2"},
                  {"title": "Gamma", "doi": "10.1000/3"}], source_format="ris", source_file="/data/scopus.ris")
    b = to_frame([{"title": "Alpha", "doi": "10.1000/1"}, {"title": "Delta", "doi": "10.1000/4"}],
                 source_format="csv", source_file="/data/<img onerror=x>wos&co.csv")
    c = to_frame([{"title": "Beta", "doi": "10.1000/2"}, {"title": "Alpha", "doi": "10.1000/1"}],
                 source_format="bibtex", source_file="/data/pubmed.bib")
    return Corpus.from_frame(pd.concat([a, b, c], ignore_index=True)).replace(skipped=(
        SkippedRecord("/data/scopus.ris", 4, 40, "no title"), SkippedRecord("/data/broken.ris", 1, 1, "no title")))


def counts_by_key(counts: pd.DataFrame) -> dict[str, int]:
    return {k: int(n) for k, n in zip(counts["key"], counts["n"]) if k != "identified_source"}


def test_identification_arithmetic(corpus):
    counts = compute_prisma_identification(deduplicate(corpus))
    totals = counts_by_key(counts)
    assert totals == {"identified": 9, "duplicates": 3, "not_readable": 2, "screened": 4}
    assert totals["identified"] == totals["duplicates"] + totals["not_readable"] + totals["screened"]
    per_source = counts[counts["key"] == "identified_source"].set_index("source")["n"].to_dict()
    assert per_source == {"/data/<img onerror=x>wos&co.csv": 2, "/data/broken.ris": 1, "/data/pubmed.bib": 2,
                          "/data/scopus.ris": 4}
    assert sum(per_source.values()) == totals["identified"]
    assert list(counts["stage"].unique()) == ["identification", "removed", "screening"]


def test_skipped_records_of_the_corpus_are_counted(corpus):
    merged = deduplicate(corpus.replace(skipped=()))
    assert counts_by_key(compute_prisma_identification(merged))["not_readable"] == 0
    counts = compute_prisma_identification(deduplicate(corpus.replace(skipped=(SkippedRecord("x.ris", 1, 1, "bad"),) * 3)))
    assert counts_by_key(counts)["not_readable"] == 3 and counts_by_key(counts)["identified"] == 10


def test_counts_without_deduplication(corpus):
    totals = counts_by_key(compute_prisma_identification(skip_deduplication(corpus, "off")))
    assert totals == {"identified": 9, "duplicates": 0, "not_readable": 2, "screened": 7}


def test_inconsistent_frames_are_refused(corpus):
    merged = deduplicate(corpus)
    with pytest.raises(ParameterError):  # more papers than records
        compute_prisma_identification(merged.replace(records=corpus.records.iloc[:2]))
    with pytest.raises(ParameterError):  # merged_from does not account for every record
        compute_prisma_identification(merged.replace(records=corpus.records.iloc[:6]))


def test_flow_diagram_boxes_and_texts(corpus):
    counts = compute_prisma_identification(deduplicate(corpus))
    fig = plot_prisma_flow(counts)
    boxes = [s for s in fig.layout.shapes if s.type == "rect" and not (s.name or "").startswith("phase")]
    assert sorted(s.name for s in boxes) == ["identified", "removed", "screened"]
    texts = [a.text for a in fig.layout.annotations]
    joined = "\n".join(texts)
    assert "Records identified from databases (n = 9):" in joined
    assert "Duplicate records removed (n = 3)" in joined
    assert "Records not readable (n = 2)" in joined
    assert "Records screened<br>(n = 4)" in joined
    assert "scopus.ris (n = 4)" in joined and "pubmed.bib (n = 2)" in joined
    # names from input are escaped: plotly would render the tags otherwise
    assert "&lt;img onerror=x&gt;wos&amp;co.csv (n = 2)" in joined and "<img" not in joined
    arrows = [a for a in fig.layout.annotations if a.showarrow]
    assert len(arrows) == 2
    assert fig.layout.paper_bgcolor == "white" and fig.layout.plot_bgcolor == "white"
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
    # the identification box holds one line per source and is tall enough for them
    ident = next(s for s in boxes if s.name == "identified")
    n_lines = next(t for t in texts if t.startswith("Records identified")).count("<br>") + 1
    assert n_lines == 5 and ident.y1 - ident.y0 >= n_lines * 19


def test_flow_diagram_many_sources_are_summarised():
    rows = [("identification", "identified_source", "Records identified", f"db{i}.ris", 1) for i in range(30)]
    rows += [("identification", "identified", "", "", 30), ("removed", "duplicates", "", "", 0),
             ("removed", "not_readable", "", "", 0), ("screening", "screened", "", "", 30)]
    fig = plot_prisma_flow(pd.DataFrame(rows, columns=["stage", "key", "label", "source", "n"]))
    text = next(a.text for a in fig.layout.annotations if a.text.startswith("Records identified"))
    assert "… and 19 more (n = 19)" in text and text.count("<br>") == 12


def test_flow_diagram_cuts_long_file_names_to_fit_the_box():
    """plotly does not wrap: a long export name (a WoS batch file) would run over the arrow."""
    long_name = "scientopy_wos_tab_records4001-4071.txt"
    rows = [("identification", "identified_source", "Records identified", f"/data/{long_name}", 71),
            ("identification", "identified_source", "Records identified", "/data/a.ris", 5),
            ("identification", "identified", "", "", 76), ("removed", "duplicates", "", "", 0),
            ("removed", "not_readable", "", "", 0), ("screening", "screened", "", "", 76)]
    fig = plot_prisma_flow(pd.DataFrame(rows, columns=["stage", "key", "label", "source", "n"]))
    text = next(a.text for a in fig.layout.annotations if a.text.startswith("Records identified"))
    lines = text.split("<br>")[1:]
    assert lines == ["• scientopy_wos_…ds4001-4071.txt (n = 71)", "• a.ris (n = 5)"]
    assert max(len(line) for line in lines) <= len("Records identified from databases (n = 76):")


def test_flow_diagram_rejects_other_frames():
    with pytest.raises(ParameterError):
        plot_prisma_flow(pd.DataFrame({"x": [1]}))
