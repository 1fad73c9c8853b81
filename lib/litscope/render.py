"""Render an executed review notebook to a self-contained HTML report and print it to PDF.

The HTML comes from nbconvert's JupyterLab template (``templates/litscope``), without
code, prompts or anything fetched from the network: plotly.js is inlined once, before
the first figure, and a table of contents is built from the headings of the final
page (markdown cells *and* HTML outputs). The PDF is printed by headless Chromium
from that HTML, so what is printed is exactly what a reader sees in a browser.

Examples
--------
>>> from litscope.render import slugify
>>> slugify("Topic 3: Retrieval-augmented generation")
'topic-3-retrieval-augmented-generation'
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path
from typing import Any

from ._optional import import_optional
# under this module's own name, so a test can make the disk fill up here
from .atomic import atomic_write as _write_atomic
from .errors import RenderError
# Printing lives in litscope.pdf; its names are re-exported here, where callers found them.
from .pdf import CHROMIUM_CANDIDATES, find_chromium, render_pdf

__all__ = ["render_html", "render_pdf", "render_notebook", "find_chromium", "slugify", "css_string",
           "CHROMIUM_CANDIDATES"]

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "litscope"

# Widget views and raw JavaScript need a live kernel or a CDN; the report shows their
# static fallback (HTML, image or text) instead.
_DISPLAY_PRIORITY = [
    "text/html",
    "text/markdown",
    "image/svg+xml",
    "image/png",
    "image/jpeg",
    "text/latex",
    "text/plain",
]

_PLOTLY_CALL = "Plotly.newPlot"
_PLOTLY_MIME = "application/vnd.plotly.v1+json"
_PLOTLY_SCRIPT_ID = "litscope-plotlyjs"


def slugify(text: str) -> str:
    """A lowercase ASCII id for a heading ("" when nothing usable is left).

    Examples
    --------
    >>> slugify("  Méthodes & données ")
    'methodes-donnees'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


# --------------------------------------------------------------------------- HTML

_RUNNING_TITLE_MAX = 90  # characters of the title in the header of a printed page


def css_string(text: str) -> str:
    r"""``text`` as a double-quoted CSS string, safe to write inside an HTML ``<style>`` element.

    Backslashes, quotes and ``<``, ``>``, ``&`` become CSS hex escapes (so no ``</style>``
    can end the element), line breaks and other control characters become spaces.

    Examples
    --------
    >>> print(css_string('Say "hi" </style> \\ x'))
    "Say \22 hi\22  \3C /style\3E  \5C  x"
    """
    out = []
    for ch in text:
        if ch in '"\'\\<>&':
            out.append(f"\\{ord(ch):X} ")  # a hex escape ends at the one space after it
        elif unicodedata.category(ch) in ("Cc", "Zl", "Zp"):
            out.append(" ")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _running_title(title: str) -> str:
    """The title on one line, shortened at a word to fit the page header."""
    text = " ".join(title.split())
    if len(text) <= _RUNNING_TITLE_MAX:
        return text
    cut = text[:_RUNNING_TITLE_MAX - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:-") + "\u2026"


def _report_cells(nb: Any) -> Any:
    """The notebook as a reader sees it: outputs and prose, no code, no stderr noise.

    Code cells without any output are dropped (they would leave empty boxes), as are
    stderr streams (warnings, text progress bars) and widget views (progress bars drawn
    in JupyterLab, or under plain papermill with ipywidgets installed: outside a live
    kernel they are an empty "HBox(...)"); the executed ``.ipynb`` keeps them all.
    """
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            outputs = [o for o in cell.get("outputs", [])
                       if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
                       and _WIDGET_MIME not in (o.get("data") or {})]
            if not outputs:
                continue
            for output in outputs:
                _static_plotly_html(output)
            cell.outputs = outputs
        cells.append(cell)
    nb.cells = cells
    return nb


_WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def _static_plotly_html(output: Any) -> None:
    """Give a plotly figure an HTML part that works offline, when it has none that does.

    :func:`litscope.figures.show` already displays one. A figure shown another way (e.g.
    ``fig.show()`` under papermill) has only the plotly JSON, or HTML that loads plotly
    through require.js from a CDN; it is redrawn here from its JSON.
    """
    data = output.get("data") or {}
    spec = data.get(_PLOTLY_MIME)
    if spec is None:
        return
    html = data.get("text/html", "")
    if isinstance(html, list):
        html = "".join(html)
    if _PLOTLY_CALL in html and "require(" not in html and "requirejs" not in html:
        return
    try:
        import plotly.io as pio

        data["text/html"] = pio.to_html(spec, full_html=False, include_plotlyjs=False,
                                        config={"displaylogo": False, "responsive": True},
                                        validate=False)
    except Exception:  # an unreadable figure keeps whatever fallback it had
        return


def _plotly_js() -> str:
    plotly = import_optional("plotly", "Embedding figures in the report", None)
    path = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
    try:
        code = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RenderError(f"cannot read plotly.js from the plotly package ({path}): {exc}") from exc
    # Inline <script> content must not close the element early.
    return code.replace("</script", "<\\/script")


def _postprocess(html: str, *, fallback_title: str) -> str:
    """Title, heading ids, table of contents and plotly.js, done on the final page."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    main = soup.find("main") or soup.body or soup

    # Heading ids: keep a unique id nbconvert already gave, else a slug of the text.
    headings = main.find_all(["h1", "h2", "h3"])
    used: set[str] = set()
    for el in soup.find_all(id=True):
        if el.name not in ("h1", "h2", "h3"):
            used.add(el["id"])
    entries = []
    for h in headings:
        for anchor in h.find_all("a", class_="anchor-link"):
            anchor.decompose()
        text = " ".join(h.get_text(" ", strip=True).split())
        if not text:
            continue
        hid = h.get("id")
        if not hid or hid in used:
            base = slugify(text) or "section"
            hid, n = base, 2
            while hid in used:
                hid, n = f"{base}-{n}", n + 1
        h["id"] = hid
        used.add(hid)
        entries.append((int(h.name[1]), text, hid, h))

    # Page title: the first h1, else the notebook's metadata/name.
    title_text = next((t for level, t, _, _ in entries if level == 1), fallback_title)
    if soup.title is None and soup.head is not None:
        soup.head.append(soup.new_tag("title"))
    if soup.title is not None:
        soup.title.string = title_text
    if soup.head is not None:  # the running title of the printed pages (see litscope.css @page)
        style = soup.new_tag("style", attrs={"media": "print", "id": "litscope-running-title"})
        style.string = f"@page {{ @top-left {{ content: {css_string(_running_title(title_text))}; }} }}"
        soup.head.append(style)

    # Table of contents after the title: every heading but the title itself.
    title_el = next((h for level, _, _, h in entries if level == 1), None)
    toc_entries = [e for e in entries if e[3] is not title_el]
    if toc_entries:
        nav = soup.new_tag("nav", attrs={"class": "litscope-toc", "aria-label": "Contents"})
        label = soup.new_tag("p", attrs={"class": "litscope-toc-title"})
        label.string = "Contents"
        nav.append(label)
        top = min(level for level, _, _, _ in toc_entries)
        root = soup.new_tag("ol")
        nav.append(root)
        stack = [(top, root)]  # (level, <ol>)
        last_li = None
        for level, text, hid, _ in toc_entries:
            level = max(level, top)
            while level > stack[-1][0] and last_li is not None:
                sub = soup.new_tag("ol")
                last_li.append(sub)
                stack.append((stack[-1][0] + 1, sub))
            while level < stack[-1][0]:
                stack.pop()
            li = soup.new_tag("li")
            a = soup.new_tag("a", href=f"#{hid}")
            a.string = text
            li.append(a)
            stack[-1][1].append(li)
            last_li = li
        if title_el is not None:
            title_el.insert_after(nav)
        else:
            main.insert(0, nav)

    # plotly.js once, inline, before the first figure's script.
    if _PLOTLY_CALL in html and soup.find(id=_PLOTLY_SCRIPT_ID) is None:
        first = next((s for s in soup.find_all("script") if s.string and _PLOTLY_CALL in s.string), None)
        if first is not None:
            tag = soup.new_tag("script", attrs={"type": "text/javascript", "id": _PLOTLY_SCRIPT_ID})
            tag.string = _plotly_js()
            first.insert_before(tag)
    return str(soup)


def render_html(notebook_path: str | os.PathLike, html_path: str | os.PathLike) -> Path:
    """Write the reader's view of an executed notebook as one self-contained HTML file.

    Parameters
    ----------
    notebook_path : path
        An executed ``.ipynb``.
    html_path : path
        Where to write the HTML (written atomically; parent folders are created).

    Returns
    -------
    pathlib.Path
        ``html_path``.

    Raises
    ------
    RenderError
        The notebook cannot be read or converted.
    """
    import nbformat
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    notebook_path, html_path = Path(notebook_path), Path(html_path)
    try:
        nb = nbformat.read(notebook_path, as_version=4)
    except FileNotFoundError as exc:
        raise RenderError(f"{notebook_path}: no such notebook") from exc
    except Exception as exc:  # nbformat raises several unrelated types for bad files
        raise RenderError(f"{notebook_path}: not a readable notebook ({exc})") from exc
    nb = _report_cells(nb)

    config = Config()
    config.NbConvertBase.display_data_priority = list(_DISPLAY_PRIORITY)
    config.HTMLExporter.exclude_input = True
    config.HTMLExporter.exclude_input_prompt = True
    config.HTMLExporter.exclude_output_prompt = True
    config.HTMLExporter.embed_images = True  # markdown images inline: one file to share
    exporter = HTMLExporter(config=config, template_name=TEMPLATE_NAME,
                            extra_template_basedirs=[str(TEMPLATES_DIR)])
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    fallback_title = str(nb.metadata.get("title") or notebook_path.stem)
    try:
        body, _ = exporter.from_notebook_node(
            nb, resources={"metadata": {"name": fallback_title,
                                        "path": str(notebook_path.resolve().parent)}})
    except Exception as exc:
        raise RenderError(f"{notebook_path}: cannot convert to HTML: {exc}") from exc
    html = _postprocess(body, fallback_title=fallback_title)
    try:
        _write_atomic(html_path, html)
    except OSError as exc:  # a missing folder that cannot be made, a full or read-only disk
        raise RenderError(f"cannot write {html_path}: {_os_reason(exc)}") from exc
    return html_path


def _os_reason(exc: OSError) -> str:
    """Why a write failed, for a one-line message ("No space left on device")."""
    reason = exc.strerror or " ".join(str(exc).split()) or type(exc).__name__
    return f"{reason} ({exc.filename})" if exc.filename else reason


# --------------------------------------------------------------------------- both

def render_notebook(ipynb: str | os.PathLike, *, html: str | os.PathLike | None = None,
                    pdf: str | os.PathLike | bool | None = None,
                    chromium: str | os.PathLike | None = None) -> tuple[Path, Path | None]:
    """Render an executed notebook to HTML and PDF, beside it unless told otherwise.

    For notebooks run with papermill directly::

        papermill notebooks/review.ipynb out.ipynb -f params.yaml
        litscope render out.ipynb          # -> out.html, out.pdf

    Parameters
    ----------
    ipynb : path
        The executed notebook.
    html : path, optional
        Default: ``ipynb`` with suffix ``.html``.
    pdf : path or bool, optional
        Default (None or True): ``ipynb`` with suffix ``.pdf``; False: no PDF.

    Returns
    -------
    (pathlib.Path, pathlib.Path or None)
        The HTML and PDF written.

    Raises
    ------
    ChromiumNotFoundError
        When a PDF was asked for and no Chromium exists; the HTML is written first.
    """
    ipynb = Path(ipynb)
    html_path = Path(html) if html is not None else ipynb.with_suffix(".html")
    render_html(ipynb, html_path)
    if pdf is False:
        return html_path, None
    pdf_path = ipynb.with_suffix(".pdf") if pdf is None or pdf is True else Path(pdf)
    render_pdf(html_path, pdf_path, chromium=chromium)
    return html_path, pdf_path
