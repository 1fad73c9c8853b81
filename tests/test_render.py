"""HTML and PDF rendering of executed notebooks (built here with nbformat: no kernel needed)."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from litscope.errors import ChromiumNotFoundError, RenderError
from litscope.render import find_chromium, render_html, render_notebook, render_pdf

SOURCE_MARKER = "secret_source_code_marker"
ATTACK = "<script>alert(1)</script>"


def _figure_bundle(title: str) -> dict:
    """What litscope.figures.show(fig) displays: plotly JSON for Lab, HTML for the report."""
    import plotly.graph_objects as go

    fig = go.Figure(go.Bar(x=["a", "b", "c"], y=[5, 2, 7]), layout={"title": {"text": title}})
    return {
        "application/vnd.plotly.v1+json": fig.to_plotly_json(),
        "text/html": fig.to_html(full_html=False, include_plotlyjs=False,
                                 config={"displaylogo": False, "responsive": True}),
        "text/plain": "Figure()",
    }


def _notebook(path: Path) -> Path:
    cells = [
        new_markdown_cell("# Review of <em>agents</em> & tools\n\nAn introduction."),
        new_code_cell(f"{SOURCE_MARKER} = 1\nprint(x)", outputs=[
            new_output("stream", name="stdout", text=f"{ATTACK}\n")]),
        new_code_cell("import warnings", outputs=[
            new_output("stream", name="stderr", text="UserWarning: noisy progress bar\n")]),
        new_code_cell("no_output = 2"),
        new_code_cell("for _ in progress.bar(range(3)): pass", outputs=[new_output("display_data", data={
            "application/vnd.jupyter.widget-view+json": {"model_id": "abc", "version_major": 2,
                                                         "version_minor": 0},
            "text/plain": "HBox(children=(HTML(value='Embedding widget'),))"})]),
        new_markdown_cell("## Corpus overview\n\nText."),
        new_code_cell("show(fig)", outputs=[
            new_output("display_data", data=_figure_bundle("Papers per year"))]),
        new_code_cell("display(HTML(...))", outputs=[new_output("display_data", data={
            "text/html": "<h2>Topic 1: Retrieval &amp; reasoning</h2><p>Body.</p>"
                         "<h3>Key papers</h3><p>One.</p><h2>Topic 2: Agents</h2>"
                         "<h3>Key papers</h3><p>Two.</p>",
            "text/plain": "<IPython.core.display.HTML object>"})]),
        new_code_cell("show(fig2)", outputs=[
            new_output("display_data", data=_figure_bundle("Topic sizes"))]),
        new_code_cell("fig3.show()", outputs=[new_output("display_data", data={
            "application/vnd.plotly.v1+json": _figure_bundle("Shown by fig.show()")[
                "application/vnd.plotly.v1+json"],
            "text/html": '<script>require(["plotly"], function(Plotly) {})</script>',
            "text/plain": "Figure()"})]),
        new_code_cell("df", outputs=[new_output("execute_result", execution_count=5, data={
            "text/plain": f"title\n0 {ATTACK}", "text/markdown": "| a |\n|---|\n| 1 |"})]),
        new_markdown_cell("## References\n\n1. A paper."),
    ]
    nb = new_notebook(cells=cells, metadata={"kernelspec": {
        "name": "python3", "language": "python", "display_name": "Python 3"}})
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("render")
    ipynb = _notebook(folder / "out.ipynb")
    html = render_html(ipynb, folder / "out.html")
    return ipynb, html, html.read_text(encoding="utf-8")


def _has_chromium() -> bool:
    try:
        find_chromium()
    except ChromiumNotFoundError:
        return False
    return True


def test_no_code_no_prompts_no_stderr(rendered):
    _, _, html = rendered
    assert SOURCE_MARKER not in html
    assert "no_output" not in html
    assert "noisy progress bar" not in html
    assert "Embedding widget" not in html and "HBox" not in html  # progress widgets are not report content
    body = str(BeautifulSoup(html, "html.parser").find("main"))
    assert "jp-CodeMirrorEditor" not in body and "jp-InputPrompt" not in body
    assert "jp-CodeCell" in body  # outputs of code cells are there, their code is not
    assert "An introduction." in html  # markdown cells stay


def test_title_and_toc_link_every_heading(rendered):
    _, _, html = rendered
    soup = BeautifulSoup(html, "html.parser")
    assert soup.title.get_text() == "Review of agents & tools"
    headings = soup.find("main").find_all(["h1", "h2", "h3"])
    ids = [h.get("id") for h in headings]
    assert all(ids) and len(set(ids)) == len(ids)
    nav = soup.find("nav", class_="litscope-toc")
    assert nav is not None
    assert nav.find_previous("h1") is headings[0]  # right after the title
    links = [a["href"] for a in nav.find_all("a")]
    assert links == [f"#{i}" for i in ids[1:]]  # every heading but the title, in order
    texts = [a.get_text() for a in nav.find_all("a")]
    assert texts == ["Corpus overview", "Topic 1: Retrieval & reasoning", "Key papers",
                     "Topic 2: Agents", "Key papers", "References"]
    # h3 entries nest under their h2
    topic1 = nav.find("a", string="Topic 1: Retrieval & reasoning").parent
    assert topic1.find("ol").find("a").get_text() == "Key papers"


def test_plotly_inlined_once_before_first_figure_and_nothing_external(rendered):
    _, _, html = rendered
    assert html.count('id="litscope-plotlyjs"') == 1
    assert len(re.findall(r"plotly\.js v\d", html)) == 1  # the library's banner, once
    assert html.index('id="litscope-plotlyjs"') < html.index("Plotly.newPlot")
    # two figures shown by litscope.figures.show, one by fig.show() (redrawn from its JSON)
    assert html.count("Plotly.newPlot") == 3
    assert "Shown by fig.show()" in html and 'require(["plotly"]' not in html
    assert not re.search(r"<script[^>]*\bsrc\s*=", html)
    assert not re.search(r"<link[^>]*href\s*=\s*[\"']?(https?:)?//", html)
    assert not re.search(r"@import\s+url\(\s*[\"']?(https?:)?//", html)
    assert "require.js" not in html and "MathJax.Hub" not in html
    assert "@media print" in html and ".modebar" in html


def test_text_from_outputs_is_escaped(rendered):
    _, _, html = rendered
    assert ATTACK not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    soup = BeautifulSoup(html, "html.parser")
    scripts = [s.get_text() for s in soup.find_all("script")]
    assert not any("alert(1)" in s for s in scripts)


def test_files_are_readable_by_others(rendered):
    _, path, _ = rendered
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask


def test_not_a_notebook(tmp_path):
    bad = tmp_path / "x.ipynb"
    bad.write_text("not json")
    with pytest.raises(RenderError, match="x.ipynb"):
        render_html(bad, tmp_path / "x.html")
    assert not (tmp_path / "x.html").exists()


@pytest.mark.skipif(not _has_chromium(), reason="Chromium is not installed (make setup installs it)")
def test_pdf_is_a4_with_the_headings(rendered, tmp_path):
    import pypdf

    _, html, _ = rendered
    pdf = render_pdf(html, tmp_path / "out.pdf")
    reader = pypdf.PdfReader(str(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    text = " ".join(text.split())
    assert "Topic 1: Retrieval & reasoning" in text
    assert "Corpus overview" in text
    # Figure titles exist only inside the plotly JSON: in the PDF they prove plotly.js drew
    # every figure before Chromium printed.
    for title in ("Papers per year", "Topic sizes", "Shown by fig.show()"):
        assert title in text
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595) < 3 and abs(float(box.height) - 842) < 3  # A4
    assert not list(tmp_path.glob(".out.pdf.*"))  # no temporary file left


def _without_chromium(monkeypatch, tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


def test_missing_chromium_writes_html_then_says_how_to_install(tmp_path, monkeypatch):
    ipynb = _notebook(tmp_path / "nb.ipynb")
    _without_chromium(monkeypatch, tmp_path)
    monkeypatch.setenv("LITSCOPE_CHROMIUM", str(tmp_path / "nowhere" / "chromium"))
    with pytest.raises(ChromiumNotFoundError, match="apt-get install chromium"):
        render_notebook(ipynb)
    assert (tmp_path / "nb.html").is_file()
    assert not (tmp_path / "nb.pdf").exists()
    monkeypatch.delenv("LITSCOPE_CHROMIUM")
    with pytest.raises(ChromiumNotFoundError, match="not installed"):
        find_chromium()


def _fake_chromium(tmp_path: Path, body: str) -> Path:
    exe = tmp_path / "fake-chromium"
    exe.write_text(f"#!/bin/sh\n{body}\n")
    exe.chmod(0o755)
    return exe


def test_chromium_failure_reports_its_stderr(tmp_path, rendered):
    _, html, _ = rendered
    exe = _fake_chromium(tmp_path, 'echo "ERROR:zygote boom from fake chromium" >&2; exit 3')
    with pytest.raises(RenderError, match="boom from fake chromium") as info:
        render_pdf(html, tmp_path / "x.pdf", chromium=exe)
    assert "exit status 3" in str(info.value)
    assert not (tmp_path / "x.pdf").exists()


def test_chromium_timeout(tmp_path, rendered):
    _, html, _ = rendered
    exe = _fake_chromium(tmp_path, "echo starting >&2; exec sleep 30")
    with pytest.raises(RenderError, match="within 1 s"):
        render_pdf(html, tmp_path / "x.pdf", chromium=exe, timeout=1)
    assert not (tmp_path / "x.pdf").exists()


def test_markdown_images_are_embedded(tmp_path):
    import base64

    png = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
    (tmp_path / "dot.png").write_bytes(png)
    ipynb = tmp_path / "img.ipynb"
    nbformat.write(new_notebook(cells=[new_markdown_cell("# Figure\n\n![a dot](dot.png)")]), ipynb)
    html = render_html(ipynb, tmp_path / "img.html").read_text(encoding="utf-8")
    assert 'src="data:image/png;base64,' in html
    assert 'src="dot.png"' not in html
