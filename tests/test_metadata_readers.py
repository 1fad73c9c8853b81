"""Each reader keeps the metadata its format carries, read from real exports in tests/fixtures/
(provenance in each folder's PROVENANCE.txt)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from litscope.bibliometrics import compute_most_cited
from litscope.export import write_bibtex, write_ris
from litscope.schema import validate
from litscope.sources import read

FIXTURES = Path(__file__).parent / "fixtures"


def _read(relative: str, **options) -> pd.DataFrame:
    return validate(read(FIXTURES / relative, **options).frame)


def _raw_rows(relative: str, **options) -> tuple[list[str], list[list[str]]]:
    with open(FIXTURES / relative, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, **options))
    return rows[0], rows[1:]


# ---------------------------------------------------------------- tabular


def test_scopus_csv_citations_references_and_affiliations():
    df = _read("csv_exports/litstudy_scopus.csv")
    header, rows = _raw_rows("csv_exports/litstudy_scopus.csv")
    first = df.iloc[0]
    assert (int(first["cited_by"]), first["cited_by_source"], first["cited_by_date"]) == (13169, "Scopus", "")
    # Scopus separates references with '; ' (and writes '; ' inside some, between editors): every
    # piece is kept in the export's order, a piece repeated within one paper once
    raw_refs = list(dict.fromkeys(rows[0][header.index("References")].split("; ")))
    assert first["references"] == raw_refs and len(raw_refs) == 148
    assert first["references"][0].startswith("Kalé, L., Skeel, R.")
    assert first["affiliations"][0] == ("Beckman Institute, University of Illinois at Urbana-Champaign, Urbana, "
                                        "IL 61801, United States")
    assert first["countries"] == ["United States", "France"]
    assert (first["language"], first["document_type"]) == ("en", "Review")
    assert first["funding"] == ["National Center for Research Resources, NCRR: P41RR005969"]
    # the counts are the export's own, row by row (an empty cell gives no count)
    cited = [r[header.index("Cited by")] for r in rows[:4]]
    assert [int(v) for v in df["cited_by"].iloc[:4]] == [int(c) for c in cited]


def test_scopus_csv_most_cited_in_the_right_order():
    df = _read("csv_exports/litstudy_scopus.csv")
    result = compute_most_cited(df, top=3)
    assert result.lacking == ""
    assert result.table["title"].tolist()[:2] == ["Scalable molecular dynamics with NAMD",
                                                  "Petri Nets: Properties, Analysis and Applications"]
    assert result.table["cited_by"].tolist()[:2] == [13169, 8097]
    assert set(result.table["cited_by_source"]) == {"Scopus"}


def test_openalex_csv_counts_types_and_stated_country_codes():
    df = _read("openalex_csv/openalex_works_web.csv")
    first = df.iloc[0]
    assert (int(first["cited_by"]), first["cited_by_source"]) == (432, "OpenAlex")
    assert (first["language"], first["document_type"]) == ("en", "article")
    assert first["countries"] == ["Czech Republic", "United Kingdom"]  # 'CZ|GB|GB|CZ|GB'
    assert first["affiliations"] == ["The Open University", "Czech Technical University in Prague"]


def test_wos_tab_times_cited_export_date_addresses_and_funding():
    df = _read("wos_tab_delimited/scientopy_wos_tab_records4001-4071.txt")
    header, rows = _raw_rows("wos_tab_delimited/scientopy_wos_tab_records4001-4071.txt", delimiter="\t",
                             quoting=csv.QUOTE_NONE)
    assert [int(v) for v in df["cited_by"]] == [int(r[header.index("TC")]) for r in rows if any(r)]
    first = df.iloc[0]
    assert (first["cited_by_source"], first["cited_by_date"]) == ("Web of Science", "2026-04-02")
    assert first["affiliations"][:2] == ["Univ Freiburg, Dept Microsyst Engn IMTEK, D-79110 Freiburg, Germany",
                                         "Univ Utah, Dept Mech Engn, Salt Lake City, UT 84112 USA"]
    assert first["countries"] == ["Germany", "United States"]
    assert first["funding"][0] == "German Science Foundation [ECCS-1651438]"
    assert (first["language"], first["document_type"]) == ("en", "Article")


# ---------------------------------------------------------------- tagged


def test_wos_plaintext_tc_cr_c1_and_bibliographic_fields():
    row = _read("wos_plaintext/wostools_single-article.txt").iloc[0]
    assert (int(row["cited_by"]), row["cited_by_source"]) == (0, "Web of Science")
    assert len(row["references"]) == 28
    assert row["references"][0] == "Albrecht TR, 2013, IEEE T MAGN, V49, P773, DOI 10.1109/TMAG.2012.2227303"
    assert row["references"][-1] == "Zhu JG, 2008, IEEE T MAGN, V44, P125, DOI 10.1109/TMAG.2007.911031"
    assert row["affiliations"] == ["Waseda Univ, Dept Appl Chem, Shinjuku Ku, Tokyo 1698555, Japan.",
                                   "Akita Univ, Dept Mat Sci, Akita 0108502, Japan."]
    assert row["countries"] == ["Japan"]
    assert row["funding"] == ["JSPS KAKENHI Grant [25249104]"]
    assert (row["volume"], row["pages"], row["issn"]) == ("430", "52-58", "0304-8853; 1873-4766")


def test_medline_language_types_addresses_and_bibliographic_fields():
    df = _read("medline_nbib/biopython_pubmed_result2.txt")
    row = df.iloc[1]
    assert (row["volume"], row["issue"], row["pages"], row["issn"]) == ("22", "5", "616-7", "1367-4803")
    assert row["language"] == "en"
    assert row["document_type"] == "Journal Article; Research Support, Non-U.S. Gov't"
    assert row["affiliations"][0].startswith("Plant Pathogen Programme, Scottish Crop Research Institute")
    assert row["countries"] == ["United Kingdom"]
    assert df.iloc[2]["countries"] == ["Japan"]


def test_ris_scopus_labelled_notes_give_count_and_export_date():
    df = _read("ris/asreview/asreview_ris_issue_1099.txt")
    first = df.iloc[0]
    assert (int(first["cited_by"]), first["cited_by_source"], first["cited_by_date"]) == (9, "Scopus", "2022-05-12")
    assert first["countries"] == ["Estonia"]
    assert (first["language"], first["document_type"]) == ("en", "Journal Article")  # TY JOUR, no M3


def test_ris_scopus_references_funding_and_m3():
    row = _read("ris/asreview/asreview_scopus.ris").iloc[0]
    assert len(row["references"]) == 186
    assert row["references"][0].startswith("Agostini, A., Ballotta, D., Righi, S.")
    assert row["funding"][0] == "Deutsche Forschungsgemeinschaft, DFG"
    assert row["document_type"] == "Review"  # M3
    assert pd.isna(row["cited_by"]) and row["cited_by_date"] == ""  # an export date alone is no count


def test_ris_psycinfo_classification_is_not_a_document_type():
    df = _read("ris/asreview/asreview_ovid_psycinfo.ris")
    assert not any("[" in t for t in df["document_type"])


def test_endnote_bibliographic_fields_and_type():
    row = _read("endnote/colrev_enl_data.enl").iloc[0]
    assert (row["volume"], row["issue"], row["pages"], row["document_type"]) == ("45", "3", "1309-1348",
                                                                                  "Journal Article")


def test_bibtex_scopus_notes_and_document_type():
    df = _read("bibtex/colrev_database_exports/colrev_scopus_bib.bib")
    assert [int(v) for v in df["cited_by"]] == [0, 0, 4, 5, 0, 11, 0, 0, 0, 0, 0]
    assert set(df["cited_by_source"]) == {"Scopus"}
    assert df["document_type"].tolist()[:3] == ["Article", "Article", "Data Paper"]


def test_bibtex_language_and_entry_type():
    df = _read("bibtex/bibtexparser_v1/biber-examples.bib")
    assert {"en", "de", "fr"} <= set(df["language"])
    assert df.iloc[0]["document_type"] == "incollection"


# ---------------------------------------------------------------- XML and JSON


def test_pubmed_xml_language_types_affiliations_grants():
    row = _read("pubmed_xml/biopython_pubmed4.xml").iloc[0]
    assert row["language"] == "en"
    assert "Observational Study" in row["document_type"].split("; ")
    assert row["affiliations"][0].startswith("Channing Division of Network Medicine")
    assert row["countries"][0] == "United States"
    assert row["funding"][0] == "NCATS NIH HHS: KL2 TR001100"
    assert (row["volume"], row["issue"], row["pages"], row["issn"]) == ("66", "6", "1116-1122", "1468-3288")


def test_pubmed_xml_reference_list():
    row = _read("pubmed_xml/biopython_pubmed7.xml").iloc[0]
    assert len(row["references"]) == 49
    # PubMed's citation text names no title: its PubMed id goes with it
    assert row["references"][0] == "Radiology. 2015 Jan;274(1):250-9. PMID: 25144646"


def test_crossref_count_references_funders_affiliations():
    row = _read("crossref_json/colrev_10.1177_02683962211048201.json").iloc[0]
    assert (int(row["cited_by"]), row["cited_by_source"], row["cited_by_date"]) == (16, "Crossref", "2023-05-15")
    assert len(row["references"]) == 120
    assert row["references"][:2] == ["10.1111/jebm.12072",  # a DOI where the reference has one
                                     "Alter S, 2005, Communications of the Association for Information Systems, 15, 1"]
    assert row["countries"] == ["Canada"]
    assert (row["language"], row["document_type"], row["pages"]) == ("en", "journal-article", "209-226")


def test_semantic_scholar_count_references_types():
    row = _read("semantic_scholar_api/Paper.json").iloc[0]
    assert (int(row["cited_by"]), row["cited_by_source"]) == (10059, "Semantic Scholar")
    assert len(row["references"]) == 14 and row["references"][0] == "10.2307/3610576"
    assert row["document_type"] == "JournalArticle; Review"


def test_csl_json_language_and_type():
    df = _read("csl_json/Pandoc-LaTeX-SCHOMD_Citation_Export.csl.json")
    assert df["document_type"].tolist()[:2] == ["article-journal", "article-journal"]
    assert df.iloc[1]["language"] == "de"


def test_openalex_json_work(tmp_path):
    # field names as in the OpenAlex Work object (docs.openalex.org/api-entities/works/work-object)
    work = ('{"results": [{"id": "https://openalex.org/W2741809807", "display_name": "The state of OA",'
            ' "publication_year": 2018, "cited_by_count": 843, "updated_date": "2024-02-03T04:05:06.1",'
            ' "language": "en", "type": "article", "referenced_works": ["https://openalex.org/W1", '
            '"https://openalex.org/W2"], "biblio": {"volume": "6", "issue": null, "first_page": "e4375",'
            ' "last_page": "e4375"}, "grants": [{"funder_display_name": "Alfred P. Sloan Foundation",'
            ' "award_id": "G-2017-1"}], "authorships": [{"author": {"display_name": "Heather Piwowar"},'
            ' "institutions": [{"display_name": "Impactstory", "country_code": "US"}],'
            ' "raw_affiliation_strings": ["Impactstory, Sanford, NC, USA"]}]}]}')
    path = tmp_path / "works.json"
    path.write_text(work, encoding="utf-8")
    row = _read(str(path)).iloc[0]
    assert (int(row["cited_by"]), row["cited_by_source"], row["cited_by_date"]) == (843, "OpenAlex", "2024-02-03")
    assert row["references"] == ["https://openalex.org/W1", "https://openalex.org/W2"]
    assert row["affiliations"] == ["Impactstory, Sanford, NC, USA"] and row["countries"] == ["United States"]
    assert row["funding"] == ["Alfred P. Sloan Foundation: G-2017-1"]
    assert (row["volume"], row["pages"], row["language"], row["document_type"]) == ("6", "e4375", "en", "article")


# ---------------------------------------------------------------- exports


def test_ris_and_bibtex_exports_write_language_and_type_and_read_back():
    df = _read("ris/asreview/asreview_scopus.ris")
    buf = io.StringIO()
    write_ris(df, buf)
    assert "LA  - en\n" in buf.getvalue() and "M3  - Review\n" in buf.getvalue()
    back = read(io.BytesIO(buf.getvalue().encode("utf-8")), format="ris").frame
    assert back["language"].tolist() == df["language"].tolist()
    assert back["document_type"].tolist() == df["document_type"].tolist()
    bib = io.StringIO()
    write_bibtex(df, bib)
    assert "  language = {en},\n" in bib.getvalue()
