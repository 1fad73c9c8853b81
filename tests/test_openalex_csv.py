"""Issue 8, found in real exports: OpenAlex's web CSV export is recognised by the CSV reader.

Its columns are dotted API paths (``display_name`` is the title, ``authorships.author.display_name``
the authors separated by '|', ``primary_location.source.display_name`` the venue...).
"""

from __future__ import annotations

import io
from pathlib import Path

import litscope
from litscope.sources import detect_format
from litscope.sources.csv import read_csv

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "openalex_csv" / "openalex_works_web.csv"


def test_real_openalex_web_csv_loads_every_record_with_title_authors_venue():
    assert detect_format(FIXTURE) == "csv"
    df_result = read_csv(FIXTURE)
    df = df_result.frame
    assert len(df) == 5 and [s.as_dict() for s in df_result.skipped] == []
    assert df["title"].tolist()[:2] == ["Open University Learning Analytics dataset",
                                        "Educational Data Mining and Learning Analytics in Programming"]
    assert df.loc[0, "authors"] == ["Kužílek, Jakub", "Hlosta, Martin", "Zdráhal, Zdeněk"]
    assert len(df.loc[1, "authors"]) == 16 and df.loc[1, "authors"][5] == "Edwards, Stephen H."
    assert df["year"].tolist() == [2017, 2015, 2020, 2016, 2021]
    assert df["venue"].tolist() == ["Scientific Data", "", "Applied Sciences", "",
                                    "Computers and Education Artificial Intelligence"]
    assert df.loc[0, "doi"] == "10.1038/sdata.2017.171" and df.loc[0, "pmid"] == "29182599"
    assert df.loc[0, "issn"] == "2052-4463"
    # the topic is not the title, nor the funder
    assert "Online Learning and Analytics" not in df["title"].tolist()
    cols = df_result.details["columns"]
    assert cols["title"] == ["display_name"] and cols["authors"] == ["authorships.author.display_name"]


def test_openalex_csv_with_biblio_columns_and_inverted_abstract():
    header = ("id,doi,title,display_name,publication_year,publication_date,ids.openalex,ids.doi,"
              "authorships.author.display_name,primary_location.source.display_name,"
              "primary_location.source.issn,biblio.volume,biblio.issue,biblio.first_page,"
              "biblio.last_page,cited_by_count,abstract_inverted_index,keywords.display_name\n")
    row = ('https://openalex.org/W1,https://doi.org/10.1/A,,A study of things,2021,2021-03-01,'
           'https://openalex.org/W1,https://doi.org/10.1/A,Ada Lovelace|Charles Babbage,J. Things,'
           '1234-5678|8765-4321,12,3,101,110,7,"{""Hello"": [0], ""world."": [1]}",engines|looms\n')
    buf = io.BytesIO((header + row).encode())
    buf.name = "works.csv"
    df_corpus = litscope.load([buf])
    df = df_corpus.papers
    rec = df.iloc[0]
    assert rec["title"] == "A study of things" and rec["abstract"] == "Hello world."
    assert rec["authors"] == ["Lovelace, Ada", "Babbage, Charles"]
    assert (rec["volume"], rec["issue"], rec["pages"]) == ("12", "3", "101-110")
    assert rec["issn"] == "1234-5678; 8765-4321"
    assert rec["keywords"] == ["engines", "looms"]
    assert rec["url"] == "https://openalex.org/W1"


def test_display_name_alone_is_not_a_title():
    # an OpenAlex *authors* export also has display_name: it lists people, not works
    data = b"id,display_name,works_count,cited_by_count\nhttps://openalex.org/A1,Ada Lovelace,3,10\n"
    buf = io.BytesIO(data)
    buf.name = "authors.csv"
    assert "title" not in read_csv.__globals__["map_columns"](data.decode().splitlines()[0].split(","))
