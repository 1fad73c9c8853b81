"""The review report's Bibliometrics section and its searchable papers list, read like a reader.

Two reviews are run with ``litscope.execute.run_review`` (papermill, HTML; the first also prints
the PDF) with the static embedder and k-means (the model is not the point here):

* a Scopus CSV export with "Cited by" and "References"
  (tests/fixtures/csv_exports/litstudy_scopus.csv, see PROVENANCE.txt), some rows given hostile
  text (an entity-encoded title, which the reader decodes into a real ``<script>`` string; a
  venue and keywords with ``&``, ``<`` and quotes). What the report shows is checked against the
  export's own columns, read here with the csv module.
* the bundled sample listing (titles, authors, abstracts; no counts, references, affiliations or
  keywords): every view says what the inputs lack instead of drawing an empty figure.
"""

from __future__ import annotations

import csv
import html as html_lib
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import FIXTURES, SAMPLE

SCOPUS = FIXTURES / "csv_exports" / "litstudy_scopus.csv"
PARAMS = {"embedder": "static", "n_topics": 3, "cache": False}
HOSTILE_ROW = 5  # 0-based data row given the hostile title
HOSTILE_VENUE_ROWS = (10, 11, 12)  # 3 papers: in the venue table
HOSTILE_KEYWORD_ROWS = tuple(range(20, 32))  # 12 papers: among the strongest keyword links
ATTACK_TITLE = "&lt;script&gt;alert(1)&lt;/script&gt; Petri nets of hostile titles"
ATTACK_KEYWORD = 'R&D <3 "nets"'  # no entity: Scopus lists split on ';', which an entity holds


def _raw_rows(path: Path) -> list[dict[str, str]]:
    """The export's rows, entities decoded as the reader decodes them."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [{k: html_lib.unescape(v) for k, v in row.items()} for row in csv.DictReader(fh)]


def _hostile_copy(folder: Path) -> Path:
    """The Scopus export with one row's title, venue and keywords carrying markup."""
    with open(SCOPUS, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    rows[1 + HOSTILE_ROW][header.index("Title")] = ATTACK_TITLE
    for k in HOSTILE_VENUE_ROWS:
        rows[1 + k][header.index("Source title")] = "J. &lt;AI&gt; &amp; Co"
    for k in HOSTILE_KEYWORD_ROWS:
        rows[1 + k][header.index("Author Keywords")] = f"{ATTACK_KEYWORD}; Petri nets"
    out = folder / "scopus_export.csv"
    with open(out, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return out


def _review(inputs: list[Path], name: str, reports: Path, *, pdf: bool):
    if pdf and shutil.which("chromium") is None:
        pytest.skip("Chromium is needed to print the PDF")
    from litscope.execute import run_review

    return run_review([str(p) for p in inputs], name=name, reports_dir=reports, params=PARAMS, pdf=pdf,
                      progress=False)


def _section(soup: BeautifulSoup, heading: str, level: str = "h3") -> list:
    """The elements after the heading whose text is ``heading``, up to the next heading of its level or above."""
    start = soup.find(level, string=lambda s: s is not None and s.strip() == heading)
    if start is None:
        start = next(h for h in soup.find_all(level) if h.get_text(" ", strip=True).startswith(heading))
    stop = {"h2": ("h1", "h2"), "h3": ("h1", "h2", "h3"), "h4": ("h1", "h2", "h3", "h4")}[level]
    out = []
    for el in start.find_all_next():
        if el.name in stop:
            break
        out.append(el)
    return out


def _first_table(elements: list) -> list[list[str]]:
    table = next(el for el in elements if el.name == "table")
    return [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in table.find("tbody").find_all("tr")]


def _text(elements: list) -> str:
    return " ".join(el.get_text(" ", strip=True) for el in elements if el.name in ("p", "table"))


@pytest.fixture(scope="module")
def scopus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("biblio-review")
    export = _hostile_copy(folder)
    out = _review([export], "scopus-biblio", folder / "reports", pdf=True)
    html = Path(out.html).read_text(encoding="utf-8")
    return out, html, BeautifulSoup(html, "html.parser"), _raw_rows(export)


@pytest.fixture(scope="module")
def bare(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bare-review")
    out = _review([SAMPLE], "bare-biblio", folder / "reports", pdf=False)
    return BeautifulSoup(Path(out.html).read_text(encoding="utf-8"), "html.parser")


def test_most_cited_papers_in_the_order_of_the_exports_counts(scopus):
    _, _, soup, raw = scopus
    rows = _first_table(_section(soup, "Most cited papers"))
    counts = sorted((int(r["Cited by"]) for r in raw if r["Cited by"].strip()), reverse=True)
    assert [int(r[3]) for r in rows] == counts[:20]
    by_title = {" ".join(r["Title"].split()).lower(): int(r["Cited by"]) for r in raw if r["Cited by"].strip()}
    for ref, title, year, cited, *rest in rows:
        assert re.fullmatch(r"\[\d+\]", ref)
        assert by_title[" ".join(title.split()).lower()] == int(cited)
        assert rest[0] == "Scopus"  # the count's source; no export date in this export, so no date column
    assert rows[0][1] == "Scalable molecular dynamics with NAMD" and int(rows[0][3]) == 13169
    note = _text(_section(soup, "Most cited papers"))
    missing = sum(1 for r in raw if not r["Cited by"].strip())
    assert f"{missing} papers without a count" in note


def test_author_and_venue_tables_count_the_papers_of_the_export(scopus):
    _, _, soup, raw = scopus
    authors = _first_table(_section(soup, "Authors", "h4"))
    # Scopus writes 'Family I.', the report 'Family, I.'.
    expected = Counter(a for r in raw for a in set(r["Authors"].split(", ")) if a.strip() and not a.startswith("[No"))
    papers = [int(r[1]) for r in authors]
    assert papers == sorted(papers, reverse=True) and len(authors) == 20
    assert papers[0] == expected.most_common(1)[0][1]
    for name, n, *_ in authors:
        assert expected[name.replace(", ", " ")] == int(n)
    venues = _first_table(_section(soup, "Venues", "h4"))
    venue_counts = Counter(r["Source title"].strip() for r in raw)
    assert [(v[0], int(v[1])) for v in venues[:3]] == [(v, n) for v, n in venue_counts.most_common(3)]
    countries = _first_table(_section(soup, "Countries", "h4"))
    assert countries and all(int(c[1]) > 0 for c in countries)


def _papers_by_ref(out) -> dict[int, dict[str, str]]:
    with open(Path(out.output_dir) / "papers.csv", encoding="utf-8", newline="") as fh:
        return {int(r["ref"]): r for r in csv.DictReader(fh)}


def test_keyword_and_coauthor_networks_are_drawn_and_each_edge_traces_to_its_papers(scopus):
    out, html, soup, raw = scopus
    section = html[html.index('id="Bibliometrics"'):html.index('id="All-papers"')]
    assert section.count("Plotly.newPlot") == 3  # topic shares per year, the two networks
    keywords = _section(soup, "Keywords that appear together")
    assert any(el.name == "div" and "plotly-graph-div" in (el.get("class") or []) for el in keywords)
    edges = _first_table(keywords)
    assert edges and int(edges[0][2]) >= 2
    refs = _papers_by_ref(out)
    raw_by_title = {" ".join(r["Title"].split()).lower(): r for r in raw}
    for source, target, weight, papers in edges[:10]:
        numbers = [int(n) for n in re.findall(r"\[(\d+)\]", papers)]
        assert len(numbers) == int(weight) and numbers == sorted(numbers)
        for n in numbers:
            row = raw_by_title[" ".join(refs[n]["title"].split()).lower()]
            words = {k.strip().lower() for k in (row["Author Keywords"] + ";" + row["Index Keywords"]).split(";")}
            assert {source, target} <= words
    coauthors = _section(soup, "Co-authors")
    assert any(el.name == "div" and "plotly-graph-div" in (el.get("class") or []) for el in coauthors)
    pairs = _first_table(coauthors)
    for a, b, weight, papers in pairs[:10]:
        for n in (int(n) for n in re.findall(r"\[(\d+)\]", papers)):
            names = set(raw_by_title[" ".join(refs[n]["title"].split()).lower()]["Authors"].split(", "))
            assert {a.replace(", ", " "), b.replace(", ", " ")} <= names


def test_topic_trends_are_marked_by_the_stated_test(scopus):
    _, _, soup, _ = scopus
    trends = _section(soup, "Emerging and declining topics")
    rows = _first_table(trends)
    assert len(rows) == 3
    for label, trend, slope, low, high, years in rows:
        low, high = float(low), float(high)
        assert trend == ("emerging" if low > 0 else "declining" if high < 0 else "no clear trend")
    assert "95% confidence interval of the slope" in _text(trends)


def test_citations_within_the_corpus_say_why_there_are_none(scopus):
    _, _, soup, raw = scopus
    text = _text(_section(soup, "Citations within the corpus"))
    with_refs = sum(1 for r in raw if r["References"].strip())
    # Scopus lists references as text without DOIs: none is matched, and the report says so.
    assert f"{with_refs} papers list their references, but none of them cites another paper" in text


def test_hostile_text_is_escaped_and_the_page_fetches_nothing(scopus):
    _, html, soup, _ = scopus
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; Petri nets" in html
    assert "J. &lt;AI&gt; &amp; Co" in html  # the venue table
    keywords = " ".join(str(el) for el in _section(soup, "Keywords that appear together"))
    assert "r&amp;d &lt;3 &quot;nets&quot;" in keywords  # the edges table (keywords compared lower-cased)
    for script in soup.find_all("script"):  # figures (the map's hover titles) carry texts as escaped data
        assert not script.get("src")
        assert "<script>alert" not in script.get_text()
    assert not soup.find_all(["link", "img", "iframe"], attrs={"src": re.compile(r"^(https?:)?//")})
    assert not soup.find_all("link", attrs={"href": re.compile(r"^(https?:)?//")})
    assert not re.search(r"@import\s+url\(\s*[\"']?(https?:)?//", html)


def test_papers_list_is_one_searchable_sortable_table_of_every_paper(scopus):
    out, html, soup, raw = scopus
    box = soup.find("div", class_="ls-interactive")
    rows = box.find("table").find("tbody").find_all("tr")
    assert len(rows) == len(raw) == len(_papers_by_ref(out))
    refs = [int(r.find("td").get_text(strip=True).strip("[]")) for r in rows]
    assert refs == list(range(1, len(raw) + 1))
    headers = [th.get_text(strip=True) for th in box.find("thead").find_all("th")]
    assert headers == ["Ref.", "Title", "Authors", "Year", "Venue", "Topic", "Cited by"]
    # The search and sort script is the template's own, inlined once, with no data in it.
    script = next(s.get_text() for s in soup.find_all("script") if "ls-interactive" in s.get_text())
    assert "fetch(" not in script and "XMLHttpRequest" not in script and "http" not in script
    assert html.count("div.ls-interactive") == 1


def test_pdf_prints_the_sections_and_no_search_box(scopus):
    import pypdf

    out, _, _, raw = scopus
    text = " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(str(out.pdf)).pages)
    for heading in ("Bibliometrics", "Most cited papers", "Keywords that appear together", "Co-authors",
                    "Emerging and declining topics", "All papers"):
        assert heading in text
    assert "Scalable molecular dynamics with NAMD" in text
    assert "Search the papers" not in text
    assert f"The HTML report lists the {len(raw)} papers here in one table" in text


def test_a_review_without_the_metadata_says_what_is_missing(bare):
    def said(heading: str, level: str = "h3") -> str:
        return _text(_section(bare, heading, level))

    assert "No input gives citation counts" in said("Most cited papers")
    assert "No input gives author countries" in said("Countries", "h4")
    assert "No input gives keywords" in said("Keywords that appear together")
    assert "No input gives cited references" in said("Citations within the corpus")
    section = str(bare)[str(bare).index('id="Bibliometrics"'):str(bare).index('id="All-papers"')]
    # Authors are in the listing, so the co-author network is drawn; nothing else is a figure
    # except the topic shares per year.
    assert section.count("Plotly.newPlot") <= 2
    keywords = _section(bare, "Keywords that appear together")
    assert not any(el.name == "div" and "plotly-graph-div" in (el.get("class") or []) for el in keywords)
    box = bare.find("div", class_="ls-interactive")
    headers = [th.get_text(strip=True) for th in box.find("thead").find_all("th")]
    assert "Cited by" not in headers  # no count in any input: no empty column


def test_search_and_sort_work_in_a_browser(scopus, tmp_path):
    """The page's own script, run by headless Chromium: type two words, sort by citations."""
    import subprocess

    from litscope.errors import ChromiumNotFoundError
    from litscope.render import find_chromium

    try:
        chromium = find_chromium()
    except ChromiumNotFoundError:
        pytest.skip("Chromium is not installed")
    _, html, soup, _ = scopus
    driver = """<script>
window.addEventListener("load", function () {
  var box = document.querySelector("div.ls-interactive"), input = box.querySelector("input.ls-search");
  input.value = "Petri  NET"; input.dispatchEvent(new Event("input"));
  var cited = Array.prototype.find.call(box.querySelectorAll("th"),
                                        function (th) { return th.textContent === "Cited by"; });
  cited.click(); cited.click();  // ascending, then descending
});
</script></body>"""
    page = tmp_path / "driven.html"
    page.write_text(html.replace("</body>", driver), encoding="utf-8")
    dom = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=10000",
                          "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120).stdout
    driven = BeautifulSoup(dom, "html.parser").find("div", class_="ls-interactive")
    assert driven.find("input", class_="ls-search") is not None
    rows = driven.find("tbody").find_all("tr")
    shown = [r for r in rows if not r.has_attr("hidden")]
    # Expected from the static table: rows whose text holds both words, in any case.
    static = soup.find("div", class_="ls-interactive").find("tbody").find_all("tr")
    matching = [r for r in static if all(w in r.get_text(" ").lower() for w in ("petri", "net"))]
    assert 0 < len(shown) == len(matching) < len(rows) == len(static)
    assert driven.find("span", class_="ls-count").get_text() == f"{len(shown)} of {len(rows)} papers shown"
    counts = [r.find_all("td")[-1].get_text(strip=True) for r in shown]
    known = [int(c) for c in counts if c]
    assert known == sorted(known, reverse=True)
    assert counts == [str(k) for k in known] + [""] * (len(counts) - len(known))  # unknown counts last
    header = next(th for th in driven.find("thead").find_all("th") if th.get_text() == "Cited by")
    assert header["aria-sort"] == "descending"
