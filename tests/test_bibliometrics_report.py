"""The bibliometric and "What's new" sections, executed in a kernel and rendered: escaped, self-contained."""

from __future__ import annotations

import re

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

SETUP = '''
import pandas as pd
from litscope import bibliometrics as bm
from litscope.schema import to_frame
rich = to_frame([
    {"title": "<script>alert(1)</script>", "authors": ["Doe, Jane", "Roe, Rick"], "year": 2019, "venue": "J. <AI>",
     "doi": "10.1000/a", "keywords": ["LLM", "<img src=x onerror=alert(2)>"]},
    {"title": "Agent planning", "authors": ["Doe, Jane", "Roe, Rick"], "year": 2020, "venue": "J. <AI>",
     "doi": "10.1000/b", "keywords": ["llm", "<img src=x onerror=alert(2)>"]},
], source_format="csv", source_file="scopus.csv")
# Markup set after to_frame (which strips tags) stands for whatever a reader lets through.
rich["title"] = ["<script>alert(1)</script>", "Agent planning"]
rich["venue"] = ["J. <AI>", "J. <AI>"]
rich["keywords"] = [["LLM", "<img src=x onerror=alert(2)>"], ["llm", "<img src=x onerror=alert(2)>"]]
rich["cited_by"] = pd.array([10, 3], dtype="Int64")
rich["references"] = [[], ["10.1000/a"]]
bare = to_frame([{"title": "No metadata", "year": 2020}], source_format="ris", source_file="a.ris")
'''

CELLS = [
    "bm.display_most_cited(bm.compute_most_cited(rich))",
    "bm.display_top_venues(bm.compute_top_venues(rich))",
    "bm.display_keyword_network(bm.compute_keyword_network(rich))",
    "bm.display_coauthor_network(bm.compute_coauthor_network(rich))",
    "bm.display_citation_links(bm.compute_citation_links(rich))",
    "bm.display_most_cited(bm.compute_most_cited(bare))",
    "bm.display_keyword_network(bm.compute_keyword_network(bare))",
    "bm.display_top_countries(bm.compute_top_countries(bare))",
]


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    from nbclient import NotebookClient

    from litscope.render import render_html

    folder = tmp_path_factory.mktemp("biblio")
    nb = new_notebook(cells=[new_code_cell(SETUP)] + [new_code_cell(c) for c in CELLS],
                      metadata={"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}})
    NotebookClient(nb, kernel_name="python3", timeout=300).execute()
    path = folder / "out.ipynb"
    nbformat.write(nb, path)
    return render_html(path, folder / "out.html").read_text(encoding="utf-8")


def test_sections_show_data_escaped(page):
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert "<img src=x" not in page and "J. &lt;AI&gt;" in page
    assert page.count("Plotly.newPlot") == 2  # the two networks
    assert "Doe, Jane" in page and "Roe, Rick" in page


def test_sections_say_what_bare_inputs_lack(page):
    assert "No input gives citation counts" in page
    assert "No input gives keywords" in page
    assert "No input gives author countries" in page


def test_no_external_requests(page):
    assert not re.search(r"<script[^>]*\bsrc\s*=", page)
    assert not re.search(r"<link[^>]*href\s*=\s*[\"']?(https?:)?//", page)
    # (plotly.js itself names cdn.plot.ly as the default map-data URL; no figure here loads maps)
