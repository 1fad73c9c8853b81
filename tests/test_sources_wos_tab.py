"""The Web of Science tab-delimited reader."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import litscope
from litscope.errors import FormatDetectionError, RecordError
from litscope.schema import validate
from litscope.sources.csv import read_csv
from litscope.sources.wos_tab import read_wos_tab

WOS = Path(__file__).resolve().parent / "fixtures" / "wos_tab_delimited"
RECORDS = WOS / "scientopy_wos_tab_records4001-4071.txt"
CRITERIA = WOS / "scientopy_searchCriteria.txt"


def _data_lines(path: Path) -> int:
    # independent count: non-blank lines after the header (WoS cells hold no newlines)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    return sum(1 for line in lines[1:] if line.strip())


def test_fixture_table_is_complete():
    names = {p.name for p in WOS.iterdir() if p.name != "PROVENANCE.txt"}
    assert names == {RECORDS.name, CRITERIA.name}


def test_records_file():
    df_result = read_wos_tab(RECORDS)
    df = df_result.frame
    validate(df)
    assert _data_lines(RECORDS) == 71
    assert len(df) == 71 and [s.as_dict() for s in df_result.skipped] == []
    assert df["source_record"].tolist() == list(range(1, 72))
    row = df.iloc[0]
    assert row["title"] == ("Design and Implementation of a Wearable System Based on a Flexible "
                            "Capacitive Sensor, Monitoring Knee Laxity")
    assert row["authors"][:2] == ["Sheeja Prakash, Karthika", "Andersen, Erik"]  # AF (full names)
    assert row["venue"] == "ADVANCED SENSOR RESEARCH" and row["year"] == 2023
    assert row["doi"] == "10.1002/adsr.202300058"
    assert row["abstract"].startswith("The anterior cruciate ligament (ACL) tear")
    assert "bluetooth low energy" in row["keywords"] and "ANTERIOR LAXITY" in row["keywords"]  # DE + ID
    assert row["url"].endswith("WOS:001242600300012")
    assert df.loc[1, "pmid"] == "27106171"


def test_detection():
    assert litscope.detect_format(RECORDS) == "wos_tab"
    assert len(litscope.load(RECORDS)) == 71


def test_search_criteria_file_is_not_records():
    # One line ('"Bluetooth low energy", downloaded in ...') describing the search: no reader
    # should claim it, and forcing this reader names the problem.
    with pytest.raises(FormatDetectionError):
        litscope.detect_format(CRITERIA)
    with pytest.raises(FormatDetectionError, match="not a Web of Science tab-delimited file"):
        read_wos_tab(CRITERIA)
    with pytest.raises(FormatDetectionError):
        read_csv(CRITERIA)
    # in a folder it is reported, not fatal
    corpus = litscope.load(WOS)
    report = {Path(e.file).name: e for e in corpus.load_entries}
    assert report[CRITERIA.name].error and report[RECORDS.name].records == 71


def test_utf16_export_reads_the_same():
    data = RECORDS.read_text(encoding="utf-8-sig").replace("\n", "\r\n").encode("utf-16")
    df_result = read_wos_tab(io.BytesIO(data))
    df = df_result.frame
    assert df["title"].tolist() == read_wos_tab(RECORDS).frame["title"].tolist()


def test_partly_broken(tmp_path):
    head = "PT\tAU\tTI\tSO\tAB\tPY\tUT\n"
    path = tmp_path / "savedrecs.txt"
    path.write_text(head + "J\tDoe, J\tFirst\tJ1\tabc\t2020\tWOS:1\n"
                    "J\tRoe, R\t\tJ2\t\t2021\tWOS:2\n\n"
                    "J\tPoe, P\tThird\tJ3\t\t2022\tWOS:3\n", encoding="utf-8")
    df_result = read_wos_tab(path)
    df = df_result.frame
    assert df["title"].tolist() == ["First", "Third"]
    assert [s.as_dict() for s in df_result.skipped] == [{"file": str(path), "record": 2, "line": 3,
                                    "reason": "line has neither title (TI) nor abstract (AB)"}]
    with pytest.raises(RecordError, match=r"savedrecs.txt: record 2 \(line 3\)"):
        read_wos_tab(path, errors="raise")
