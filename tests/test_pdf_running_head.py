"""Page numbers and the running title of the printed report (issue 9), and the escaping of that title."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_markdown_cell, new_notebook

from litscope.errors import ChromiumNotFoundError
from litscope.render import _running_title, css_string, find_chromium, render_html, render_pdf

HOSTILE = 'Drugs "A" & \'B\' \\ C:\n</style><script>alert(1)</script>\r\n<b>bold</b> \\"} @page{'


def _has_chromium() -> bool:
    try:
        find_chromium()
    except ChromiumNotFoundError:
        return False
    return shutil.which("pdftotext") is not None


needs_pdf = pytest.mark.skipif(not _has_chromium(), reason="needs Chromium and pdftotext (poppler-utils)")


def _long_notebook(path: Path, *, h1: str | None, title: str | None = None, sections: int = 6) -> Path:
    """A report long enough for several A4 pages."""
    prose = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 50
    text = "\n\n".join(f"## Section {i}\n\n{prose}" for i in range(sections))
    cells = [new_markdown_cell((f"# {h1}\n\n" if h1 else "") + text)]
    nb = new_notebook(cells=cells, metadata={"title": title} if title else {})
    nbformat.write(nb, path)
    return path


def _pages(pdf: Path) -> list[str]:
    """The text of each page, as pdftotext reads it (pages end with a form feed)."""
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")[:-1]


def _css_unescape(literal: str) -> str:
    assert literal[0] == literal[-1] == '"'
    return re.sub(r"\\([0-9A-Fa-f]{1,6}) ?", lambda m: chr(int(m.group(1), 16)), literal[1:-1])


def test_css_string_escapes_what_could_end_the_string_or_the_style_element():
    literal = css_string(HOSTILE)
    body = literal[1:-1]
    assert not set('"\'<>&\n\r') & set(body)
    assert "\\" not in re.sub(r"\\[0-9A-F]+ ", "", body)  # every backslash starts a hex escape
    assert _css_unescape(literal) == HOSTILE.replace("\r", " ").replace("\n", " ")


def test_long_titles_are_cut_at_a_word_for_the_header():
    title = "Large language models for systematic review screening: " * 4
    short = _running_title(title)
    assert len(short) <= 90 and short.endswith("\u2026")
    words, kept = title.split(), short[:-1].split()  # whole words, a trailing colon may go
    assert kept[:-1] == words[:len(kept) - 1] and words[len(kept) - 1].rstrip(":") == kept[-1]
    assert _running_title("Short\n title ") == "Short title"


def test_hostile_title_stays_inside_its_print_style(tmp_path):
    ipynb = _long_notebook(tmp_path / "nb.ipynb", h1=None, title=HOSTILE, sections=1)
    html = render_html(ipynb, tmp_path / "nb.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    styles = soup.find_all("style", id="litscope-running-title")
    assert len(styles) == 1 and styles[0].get("media") == "print"
    css = styles[0].string
    assert "<" not in css and ">" not in css
    literal = re.fullmatch(r'@page \{ @top-left \{ content: (".*"); \} \}', css).group(1)
    assert _css_unescape(literal) == " ".join(HOSTILE.split())
    # nothing of the title became markup: no script, no <b>, one <style> per stylesheet we wrote
    assert not [s for s in soup.find_all("script") if "alert(1)" in (s.string or "")]
    assert soup.find("b") is None
    assert " ".join(soup.title.string.split()) == " ".join(HOSTILE.split())  # text, not markup


@needs_pdf
def test_every_printed_page_has_its_number_and_the_title(tmp_path):
    title = "Screening tools for systematic reviews"
    ipynb = _long_notebook(tmp_path / "nb.ipynb", h1=title)
    pdf = render_pdf(render_html(ipynb, tmp_path / "nb.html"), tmp_path / "nb.pdf")
    pages = _pages(pdf)
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        assert title in lines, (number, lines[:3])
        assert re.fullmatch(rf"{number}\s*/\s*{len(pages)}", lines[-1]), (number, lines[-3:])


@needs_pdf
def test_hostile_title_prints_as_text(tmp_path):
    ipynb = _long_notebook(tmp_path / "nb.ipynb", h1=None, title=HOSTILE, sections=1)
    pdf = render_pdf(render_html(ipynb, tmp_path / "nb.html"), tmp_path / "nb.pdf")
    first = [line.strip() for line in _pages(pdf)[0].splitlines() if line.strip()]
    assert first[0] == " ".join(HOSTILE.split())
    assert re.fullmatch(r"1\s*/\s*1", first[-1])
