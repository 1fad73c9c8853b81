"""The review report: the tables, text and artifacts that ``notebooks/review.ipynb`` shows.

The review notebook only narrates and calls this module, so everything a
reader sees is built (and tested) here:

* ``compute_*`` functions return frames: the numbered reference list
  (:func:`compute_references`), the corpus counts (:func:`compute_corpus_overview`),
  package versions (:func:`compute_environment`), input checksums (:func:`input_hashes`).
* ``*_html`` functions turn them into HTML, escaping every string that comes
  from an input (titles, abstracts, authors, file names, topic labels), and
  ``display_*`` functions show that HTML (and figures) in the notebook.
* :func:`write_papers_csv` and :func:`write_topics_csv` write the report's
  artifacts next to the HTML.

References are numbered by one stable rule (:data:`REFERENCE_ORDER`):
alphabetically by the first author's family name, or by the title for a
paper without authors (as APA orders anonymous works), then by year
(unknown years last), then title, then id. The same corpus therefore always
gets the same numbers, whatever order its files were read in.

Examples
--------
>>> import pandas as pd
>>> from litscope.report import compute_references, html_table
>>> df = pd.DataFrame({"id": ["a", "b"], "title": ["Zebras", "Apes"], "authors": [["Doe, J"], []],
...                    "year": pd.array([2020, None], dtype="Int64"), "venue": ["", ""],
...                    "doi": ["", ""], "arxiv_id": ["", ""], "url": ["", ""]})
>>> compute_references(df)[["ref", "id"]].values.tolist()
[[1, 'b'], [2, 'a']]
>>> html_table(pd.DataFrame({"t": ["<script>"]}))
'<table class="ls-table"><thead><tr><th>t</th></tr></thead><tbody><tr><td>&lt;script&gt;</td></tr></tbody></table>'
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import html
import os
import platform
import re
import unicodedata
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from . import csvsafe, paths, tablestyle

__all__ = [
    "REFERENCE_ORDER", "PACKAGES", "resolve_inputs", "resolve_title", "resolve_output_dir", "merge_duplicates",
    "compute_references", "reference_numbers", "compute_corpus_overview", "compute_environment",
    "input_hashes", "write_papers_csv", "write_topics_csv", "write_corpus_exports", "html_table", "link_citations",
    "title_html", "corpus_overview_html", "load_report_html", "dedupe_html", "topic_overview_html",
    "topic_sections_html", "unassigned_html", "references_html", "appendix_html",
    "display_title", "display_corpus_overview", "display_dedupe", "display_years", "display_sources",
    "display_topic_overview", "display_topic_map", "display_topic_similarity",
    "display_topics_over_time", "display_topic_sections", "display_unassigned", "display_references",
    "display_appendix",
]

#: How references are numbered (shown in the report).
REFERENCE_ORDER = ("alphabetically by the first author's family name (by title for papers without "
                   "listed authors), then by year (unknown years last), then by title")

#: Distributions whose versions the reproducibility appendix lists.
PACKAGES = ("litscope", "pandas", "numpy", "torch", "sentence-transformers", "bertopic", "umap-learn",
            "hdbscan", "scikit-learn", "plotly", "papermill", "nbconvert")

#: Style of the generated HTML; printable (tables wrap, rows do not split across pages).
CSS = """<style>
.ls-table { font-family: inherit; border-collapse: collapse; width: 100%; table-layout: fixed; font-size: 12.5px;
            margin: 0.4em 0 1.2em 0; }
.ls-table th, .ls-table td { border-bottom: 1px solid #ddd; padding: 4px 6px; text-align: left;
            vertical-align: top; overflow-wrap: anywhere; word-wrap: break-word; }
.ls-table th { background: #f3f3f3; border-bottom: 2px solid #bbb; font-weight: 600; }
.ls-table tr { page-break-inside: avoid; break-inside: avoid; }
.ls-table td.ls-num, .ls-table th.ls-num { text-align: right; white-space: nowrap; }
.ls-table.ls-narrow { width: auto; min-width: 45%; table-layout: auto; }
.ls-meta { color: #555; font-size: 0.95em; }
.ls-note { color: #666; font-size: 0.9em; font-style: italic; }
.ls-synthesis { text-align: justify; line-height: 1.5; }
.ls-refs p.ls-ref { margin: 0 0 0.45em 2.6em; text-indent: -2.6em; line-height: 1.35;
            break-inside: avoid; page-break-inside: avoid; }
.ls-refnum { display: inline-block; min-width: 2.4em; text-indent: 0; }
.ls-warn { background: #fff6e5; border-left: 4px solid #e0a000; padding: 6px 10px; }
.ls-topic { break-before: auto; }
a.ls-cite { text-decoration: none; }
</style>"""


# ====================================================================== helpers

def _esc(value: Any) -> str:
    """HTML-escaped text of a value ('' for None/NaN/NA)."""
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return html.escape(str(value), quote=True)


def _display_path(path: Any) -> str:
    """A path relative to the project root when it lies inside it, else as given."""
    text = str(path)
    try:
        p = Path(text).resolve()
        return str(p.relative_to(paths.project_root()))
    except (ValueError, OSError, RuntimeError):
        return text


def _year_text(value: Any) -> str:
    try:
        return "" if value is None or pd.isna(value) else str(int(value))
    except (TypeError, ValueError):
        return ""


def _fold(text: Any) -> str:
    """Case- and accent-insensitive sort key of a text."""
    s = unicodedata.normalize("NFKD", "" if text is None else str(text))
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    return re.sub(r"[^0-9a-z]+", " ", s).strip()


def resolve_inputs(inputs: str | os.PathLike | Sequence[str | os.PathLike]) -> list[str]:
    """Input paths with relative ones resolved against the project root.

    Globs and folders are left for :func:`litscope.load` to expand.

    Examples
    --------
    >>> from litscope import paths
    >>> resolve_inputs("data/samples")[0] == str(paths.project_root() / "data" / "samples")
    True
    """
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    root = paths.project_root()
    out = []
    for item in inputs:
        text = os.path.expanduser(os.fspath(item))
        out.append(text if os.path.isabs(text) else str(root / text))
    return out


def resolve_title(report_title: str, name: str) -> str:
    """The report's title: ``report_title``, or 'Literature review: <name>' when it is empty.

    >>> resolve_title("", "sample"), resolve_title("My review", "x")
    ('Literature review: sample', 'My review')
    """
    return str(report_title).strip() or f"Literature review: {name}"


def resolve_output_dir(output_dir: str | os.PathLike | None, name: str) -> Path:
    """The folder the report's artifacts go to (created): ``output_dir`` or ``reports/<name>``.

    Examples
    --------
    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> resolve_output_dir(d, "x") == Path(d).resolve()
    True
    """
    path = Path(os.path.expanduser(os.fspath(output_dir))) if output_dir else paths.report_dir(name or "review")
    if not path.is_absolute():
        path = paths.project_root() / path
    path.mkdir(parents=True, exist_ok=True)
    return path.resolve()


def merge_duplicates(df: pd.DataFrame, enabled: bool = True) -> pd.DataFrame:
    """One row per paper: :func:`litscope.dedupe.deduplicate` when enabled.

    When switched off, a copy of ``df`` with a one-element ``merged_from`` per row and
    ``attrs["dedupe_note"]`` saying why. ``attrs`` of ``df`` (load report, skipped records)
    are kept in both cases; ``attrs["dedupe_done"]`` says which happened.
    """
    from . import dedupe

    if enabled:
        merged = dedupe.deduplicate(df)
        note = ""
    else:
        merged = df.copy()
        merged["merged_from"] = [[f"{f}#{r}"] for f, r in zip(df["source_file"], df["source_record"])]
        note = "it was switched off for this report (parameter <code>deduplicate = False</code>)"
    attrs = dict(df.attrs)
    attrs.update(merged.attrs)
    attrs["dedupe_done"] = enabled
    attrs["dedupe_note"] = note
    merged.attrs = attrs
    return merged.reset_index(drop=True)


# ====================================================================== references

def _initials(given: str) -> str:
    parts = [p for p in re.split(r"[\s.]+", given) if p]
    out = []
    for p in parts:
        if "-" in p:
            out.append("-".join(q[:1].upper() + "." for q in p.split("-") if q))
        elif p.isupper() and len(p) <= 4:  # already initials, e.g. 'JQ'
            out.append(" ".join(c + "." for c in p))
        else:
            out.append(p[:1].upper() + ".")
    return " ".join(out)


def format_author(author: str) -> str:
    """'Family, Given Names' as 'Family, G. N.'.

    >>> format_author("Doe, Jane Quinn"), format_author("Doe, JQ"), format_author("Plato")
    ('Doe, J. Q.', 'Doe, J. Q.', 'Plato')
    """
    family, _, given = str(author).partition(",")
    family, given = family.strip(), given.strip()
    return f"{family}, {_initials(given)}" if given else family


def format_authors(authors: Any, limit: int = 8) -> str:
    """Authors in citation form; more than ``limit`` are cut to the first ones and 'et al.'.

    >>> format_authors(["Doe, Jane", "Roe, Rick"])
    'Doe, J., & Roe, R.'
    >>> format_authors([])
    ''
    """
    names = [format_author(a) for a in (authors if isinstance(authors, (list, tuple, np.ndarray)) else [])
             if str(a).strip()]
    if not names:
        return ""
    if len(names) > limit:
        return ", ".join(names[: limit - 1]) + ", … et al."
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + ", & " + names[-1]


def _link(row: Mapping[str, Any]) -> tuple[str, str]:
    """(href, visible text) of the best identifier of a record."""
    doi = str(row.get("doi") or "")
    if doi:
        return f"https://doi.org/{doi}", f"doi:{doi}"
    arxiv = str(row.get("arxiv_id") or "")
    if arxiv:
        return f"https://arxiv.org/abs/{arxiv}", f"arXiv:{arxiv}"
    pmid = str(row.get("pmid") or "")
    if pmid:
        return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/", f"PMID:{pmid}"
    url = str(row.get("url") or "")
    if url.lower().startswith(("http://", "https://")):
        return url, url
    return "", ""


def compute_references(df: pd.DataFrame) -> pd.DataFrame:
    """The numbered reference list of a corpus, one row per paper, in :data:`REFERENCE_ORDER`.

    Parameters
    ----------
    df : pandas.DataFrame
        Papers in the canonical schema (one row per paper, e.g. after de-duplication).

    Returns
    -------
    pandas.DataFrame
        Columns ref (1..n), id, authors (citation form), year ('' when unknown), title,
        venue, link (URL or ''), citation_text and citation_html (escaped, with the link).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"id": ["x"], "title": ["A <b>bold</b> claim"], "authors": [["Doe, Jane"]],
    ...                    "year": pd.array([2021], dtype="Int64"), "venue": ["J. Tests"],
    ...                    "doi": ["10.1/x"], "arxiv_id": [""], "url": [""]})
    >>> refs = compute_references(df)
    >>> refs.loc[0, "citation_text"]
    'Doe, J. (2021). A <b>bold</b> claim. J. Tests. doi:10.1/x'
    >>> "&lt;b&gt;" in refs.loc[0, "citation_html"]
    True
    """
    rows = []
    for rec in df.to_dict("records"):
        authors = rec.get("authors")
        authors = list(authors) if isinstance(authors, (list, tuple, np.ndarray)) else []
        first_family = str(authors[0]).partition(",")[0] if authors else ""
        title = str(rec.get("title") or "").strip() or "[untitled]"
        year = _year_text(rec.get("year"))
        key = (_fold(first_family) or _fold(title), int(year) if year else 10_000, _fold(title), str(rec["id"]))
        href, shown = _link(rec)
        rows.append({"_key": key, "id": rec["id"], "authors": format_authors(authors), "year": year,
                     "title": title, "venue": str(rec.get("venue") or "").strip(), "link": href,
                     "_shown": shown})
    if not rows:
        return pd.DataFrame(columns=["ref", "id", "authors", "year", "title", "venue", "link",
                                     "citation_text", "citation_html"])
    rows.sort(key=lambda r: r["_key"])
    out = []
    for n, r in enumerate(rows, start=1):
        year = f"({r['year']})" if r["year"] else "(n.d.)"
        title = r["title"] if r["title"][-1:] in ".?!" else r["title"] + "."
        head = f"{r['authors']} {year}." if r["authors"] else ""
        parts_text = ([head] if head else []) + [title] + ([f"{r['venue']}." if r["venue"][-1:] != "." else r["venue"]]
                                                         if r["venue"] else [])
        if not r["authors"]:
            parts_text.insert(1, f"{year}.")
        text = " ".join(parts_text)
        if r["_shown"]:
            text += f" {r['_shown']}"
        h_head = f"{_esc(r['authors'])} {year}. " if r["authors"] else ""
        h = f"{h_head}<i>{_esc(title)}</i>"
        if not r["authors"]:
            h += f" {year}."
        if r["venue"]:
            h += f" {_esc(r['venue'])}" + ("" if r["venue"].endswith(".") else ".")
        if r["link"]:
            h += f' <a href="{_esc(r["link"])}">{_esc(r["_shown"])}</a>'
        out.append({"ref": n, "id": r["id"], "authors": r["authors"], "year": r["year"], "title": r["title"],
                    "venue": r["venue"], "link": r["link"], "citation_text": text, "citation_html": h})
    return pd.DataFrame(out)


def reference_numbers(refs: pd.DataFrame) -> dict[str, int]:
    """Mapping paper id -> reference number, from :func:`compute_references`."""
    return {str(i): int(n) for i, n in zip(refs["id"], refs["ref"])}


# ====================================================================== corpus

def _has_text(series: pd.Series) -> pd.Series:
    return series.fillna("").astype(str).str.strip() != ""


def compute_corpus_overview(df: pd.DataFrame, merged: pd.DataFrame | None = None) -> pd.DataFrame:
    """Counts describing a corpus, one row per measure (measure, value).

    Parameters
    ----------
    df : pandas.DataFrame
        Records as loaded (``attrs["skipped"]`` and ``attrs["load_report"]`` are read when present).
    merged : pandas.DataFrame, optional
        One row per paper after de-duplication; ``df`` when omitted.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"id": ["a", "b", "c"], "abstract": ["x", "", "y"],
    ...                    "year": pd.array([2019, None, 2021], dtype="Int64")})
    >>> ov = compute_corpus_overview(df, df.iloc[:2])
    >>> dict(zip(ov["measure"], ov["value"]))["Unique papers"]
    2
    """
    merged = df if merged is None else merged
    skipped = df.attrs.get("skipped", []) or []
    report = df.attrs.get("load_report", []) or []
    years = pd.to_numeric(pd.Series(merged["year"], dtype="object"), errors="coerce").dropna().astype(int)
    with_abs = int(_has_text(merged["abstract"]).sum()) if "abstract" in merged else 0
    rows = [
        ("Input files", len(report) if report else (df["source_file"].nunique() if "source_file" in df else 0)),
        ("Records loaded", len(df)),
        ("Records not loaded (see load report)", len(skipped)),
        ("Duplicate records merged", len(df) - len(merged)),
        ("Unique papers", len(merged)),
        ("Papers with an abstract", with_abs),
        ("Papers without an abstract", len(merged) - with_abs),
        ("Papers with a known year", int(len(years))),
        ("Publication years", f"{years.min()}–{years.max()}" if len(years) else "not given in the inputs"),
    ]
    return pd.DataFrame(rows, columns=["measure", "value"])


# ====================================================================== environment

def compute_environment(packages: Iterable[str] = PACKAGES) -> pd.DataFrame:
    """Python and package versions (package, version; 'not installed' when missing).

    >>> env = compute_environment(["pandas"])
    >>> env["package"].tolist()
    ['python', 'pandas']
    """
    from importlib import metadata

    rows = [("python", platform.python_version())]
    for name in packages:
        try:
            rows.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            rows.append((name, "not installed"))
    return pd.DataFrame(rows, columns=["package", "version"])


def input_hashes(files: Iterable[str | os.PathLike]) -> pd.DataFrame:
    """SHA-256 and size of each input file (file, bytes, sha256).

    Examples
    --------
    >>> import tempfile, os
    >>> fd, p = tempfile.mkstemp(); os.write(fd, b"a"); os.close(fd)
    1
    >>> input_hashes([p])["sha256"].str[:12].tolist()
    ['ca978112ca1b']
    """
    rows = []
    for f in files:
        h = hashlib.sha256()
        size = 0
        with open(f, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
                size += len(chunk)
        rows.append((_display_path(f), size, h.hexdigest()))
    return pd.DataFrame(rows, columns=["file", "bytes", "sha256"])


# ====================================================================== artifacts

PAPERS_CSV_COLUMNS = ["ref", "id", "title", "year", "topic", "topic_label", "confidence", "summary",
                      "authors", "venue", "doi", "arxiv_id", "source_file", "source_record", "merged_from"]


def _ref_map(refs: pd.DataFrame | Mapping[str, int]) -> dict[str, int]:
    return reference_numbers(refs) if isinstance(refs, pd.DataFrame) else {str(k): int(v) for k, v in refs.items()}


def compute_papers_table(df: pd.DataFrame, papers: pd.DataFrame | None, summaries: Mapping[str, str] | pd.Series | None,
                         refs: pd.DataFrame | Mapping[str, int]) -> pd.DataFrame:
    """One row per paper with its reference number, topic and summary (the content of papers.csv).

    ``papers`` is the topic assignment (id, topic, topic_label, confidence), matched by id.
    Rows are in reference order; year is '' when unknown.
    """
    numbers = _ref_map(refs)
    out = pd.DataFrame({
        "ref": [numbers.get(str(i)) for i in df["id"]],
        "id": df["id"].astype(str).to_numpy(),
        "title": df["title"].astype(str).to_numpy(),
        "year": [_year_text(y) for y in df["year"]],
    })
    if papers is not None and len(papers):
        p = papers.drop_duplicates("id").set_index("id")
        out["topic"] = [int(p.at[i, "topic"]) if i in p.index else -1 for i in out["id"]]
        out["topic_label"] = [str(p.at[i, "topic_label"]) if i in p.index and "topic_label" in p else ""
                              for i in out["id"]]
        out["confidence"] = [round(float(p.at[i, "confidence"]), 3) if i in p.index and "confidence" in p
                             and pd.notna(p.at[i, "confidence"]) else np.nan for i in out["id"]]
    else:
        out["topic"], out["topic_label"], out["confidence"] = -1, "", np.nan
    summ = summaries if summaries is not None else {}
    out["summary"] = [str(summ.get(i, "") or "") if hasattr(summ, "get") else "" for i in out["id"]]
    out["authors"] = ["; ".join(a) if isinstance(a, (list, tuple, np.ndarray)) else "" for a in df["authors"]] \
        if "authors" in df else ""
    for col in ("venue", "doi", "arxiv_id", "source_file"):
        out[col] = df[col].astype(str).to_numpy() if col in df else ""
    out["source_file"] = [_display_path(f) if f else "" for f in out["source_file"]]
    out["source_record"] = [_year_text(r) for r in df["source_record"]] if "source_record" in df else ""
    if "merged_from" in df:
        out["merged_from"] = ["; ".join(map(str, m)) if isinstance(m, (list, tuple, np.ndarray)) else str(m)
                              for m in df["merged_from"]]
    else:
        out["merged_from"] = ""
    out = out.sort_values("ref", kind="stable", na_position="last").reset_index(drop=True)
    return out[PAPERS_CSV_COLUMNS]


def write_papers_csv(path: str | os.PathLike, df: pd.DataFrame, papers: pd.DataFrame | None,
                     summaries: Mapping[str, str] | pd.Series | None,
                     refs: pd.DataFrame | Mapping[str, int]) -> Path:
    """Write papers.csv (UTF-8): one row per paper, columns :data:`PAPERS_CSV_COLUMNS`.

    ``path`` may be a folder (``papers.csv`` is written inside it). Returns the file written.
    """
    path = Path(path)
    if path.is_dir():
        path = path / "papers.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    csvsafe.write_frame(compute_papers_table(df, papers, summaries, refs), path)  # formulas neutralised
    return path


def write_topics_csv(path: str | os.PathLike, topics: pd.DataFrame,
                     syntheses: pd.DataFrame | None = None) -> Path:
    """Write topics.csv (UTF-8): topic, label, size, share, key phrases, parent theme, and
    (when ``syntheses`` is given) the synthesis paragraph with its ``[n]`` citations."""
    path = Path(path)
    if path.is_dir():
        path = path / "topics.csv"
    t = topics.copy()
    if syntheses is not None and len(syntheses):
        t = t.merge(syntheses[["topic", "synthesis", "cited_ids"]], on="topic", how="left")
    for col in t.columns:
        t[col] = [", ".join(map(str, v)) if isinstance(v, (list, tuple, np.ndarray)) else v for v in t[col]]
    csvsafe.write_frame(t, path)
    return path


def write_corpus_exports(out_dir: str | os.PathLike, merged: pd.DataFrame) -> dict[str, Path]:
    """Write the reviewed corpus for reference managers and screening tools, and the audit trail.

    ``corpus.bib``, ``corpus.ris`` and ``corpus.csv`` hold one record per paper after
    de-duplication (each with the source records it was merged from); ``duplicates.csv``
    lists every duplicate cluster with the reason it was merged (empty when none).

    Returns
    -------
    dict
        Name -> path of each file written.
    """
    from . import dedupe, export

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = {
        "bibtex": export.write_bibtex(merged, out / "corpus.bib"),
        "ris": export.write_ris(merged, out / "corpus.ris"),
        "csv": export.write_csv(merged, out / "corpus.csv"),
    }
    audit = dedupe.compute_dedupe_audit(merged) if merged.attrs.get("dedupe_done") else pd.DataFrame()
    csvsafe.write_frame(audit, out / "duplicates.csv")
    written["duplicates"] = out / "duplicates.csv"
    return written


# ====================================================================== HTML building blocks

def html_table(frame: pd.DataFrame, columns: Mapping[str, str] | None = None, *,
               widths: Mapping[str, str] | None = None, html_columns: Iterable[str] = (),
               numeric: Iterable[str] = (), narrow: bool = False, row_ids: Sequence[str] | None = None,
               caption: str | None = None) -> str:
    """An HTML table of ``frame`` with every cell escaped (except ``html_columns``, built by litscope).

    Parameters
    ----------
    columns : mapping, optional
        Column -> header, in display order (default: all columns, named as they are).
    widths : mapping, optional
        Column -> CSS width (e.g. ``"8%"``), so long titles wrap instead of widening the page.
    html_columns : iterable of str
        Columns whose cells are already safe HTML.
    numeric : iterable of str
        Columns right-aligned.
    narrow : bool
        Size the table to its content instead of the page width.
    row_ids : sequence of str, optional
        ``id`` attribute of each row.
    """
    columns = dict(columns) if columns else {c: str(c) for c in frame.columns}
    widths = dict(widths or {})
    raw = set(html_columns)
    nums = set(numeric)
    cls = "ls-table ls-narrow" if narrow else "ls-table"
    parts = [f'<table class="{cls}">']
    if caption:
        parts.append(f"<caption>{_esc(caption)}</caption>")
    if widths:
        parts.append("<colgroup>" + "".join(
            f'<col style="width:{_esc(widths[c])}">' if c in widths else "<col>" for c in columns) + "</colgroup>")
    parts.append("<thead><tr>" + "".join(
        f'<th class="ls-num">{_esc(h)}</th>' if c in nums else f"<th>{_esc(h)}</th>"
        for c, h in columns.items()) + "</tr></thead><tbody>")
    records = frame[list(columns)].to_dict("records") if len(frame) else []
    for k, rec in enumerate(records):
        rid = f' id="{_esc(row_ids[k])}"' if row_ids is not None else ""
        cells = []
        for c in columns:
            v = rec[c]
            if isinstance(v, (list, tuple, np.ndarray)):
                v = "; ".join(map(str, v))
            text = (str(v) if v is not None and not (isinstance(v, float) and v != v) else "") if c in raw else _esc(v)
            cells.append(f'<td class="ls-num">{text}</td>' if c in nums else f"<td>{text}</td>")
        parts.append(f"<tr{rid}>" + "".join(cells) + "</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


_CITE = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")


def link_citations(text: str, valid: Iterable[int] | None = None) -> str:
    """Escape a synthesis and turn its ``[n]`` (and ``[n, m]``) citations into links to ``#ref-n``.

    Numbers not in ``valid`` (when given) stay plain text.

    >>> link_citations("Tokens <matter> [3]. Both [3, 12].")
    'Tokens &lt;matter&gt; <a class="ls-cite" href="#ref-3">[3]</a>. Both [<a class="ls-cite" href="#ref-3">3</a>, <a class="ls-cite" href="#ref-12">12</a>].'
    """
    ok = None if valid is None else {int(v) for v in valid}
    escaped = html.escape(str(text or ""), quote=False)

    def one(n: str) -> str:
        return f'<a class="ls-cite" href="#ref-{int(n)}">{{}}</a>' if ok is None or int(n) in ok else "{}"

    def repl(m: re.Match) -> str:
        nums = re.findall(r"\d+", m.group(1))
        if len(nums) == 1:
            return one(nums[0]).format(f"[{nums[0]}]")
        seps = re.findall(r"\s*[,;]\s*", m.group(1))
        inner = one(nums[0]).format(nums[0])
        for sep, n in zip(seps, nums[1:]):
            inner += sep + one(n).format(n)
        return f"[{inner}]"

    return _CITE.sub(repl, escaped)


def _display_html(text: str) -> None:
    from IPython.display import HTML, display

    display(HTML(tablestyle.left_aligned(text)))  # inline: Lab drops <style> from untrusted notebooks


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


# ====================================================================== sections

def _input_names(df: pd.DataFrame, inputs: Sequence[str] | None) -> list[str]:
    report = df.attrs.get("load_report", []) or []
    if report:
        return [_display_path(r["file"]) for r in report]
    return [_display_path(i) for i in (inputs or [])]


def title_html(report_title: str, *, research_question: str = "", inputs: Sequence[str] | None = None,
               df: pd.DataFrame, merged: pd.DataFrame | None = None, n_topics: int | None = None,
               generated: str | None = None) -> str:
    """Title (h1) and the Scope section: question, inputs, years covered, what the report contains."""
    merged = df if merged is None else merged
    files = _input_names(df, inputs)
    years = pd.to_numeric(pd.Series(merged["year"], dtype="object"), errors="coerce").dropna().astype(int)
    span = (f"The papers were published between {years.min()} and {years.max()} "
            f"({len(years)} of {len(merged)} papers have a known year)." if len(years)
            else "The inputs give no publication years, so the corpus cannot be dated from them.")
    generated = generated or _dt.datetime.now(_dt.timezone.utc).strftime("%d %B %Y")
    parts = [CSS, '<div class="ls-report">', f"<h1>{_esc(report_title)}</h1>",
             f'<p class="ls-meta">Literature review generated with litscope on {_esc(generated)}.</p>',
             "<h2>Scope</h2>"]
    if str(research_question or "").strip():
        parts.append(f"<p><b>Research question.</b> {_esc(research_question.strip())}</p>")
    file_list = ", ".join(f"<code>{_esc(f)}</code>" for f in files) or "none"
    parts.append(f"<p><b>Inputs.</b> {_plural(len(files), 'file')}: {file_list}. "
                 f"They hold {_plural(len(df), 'record')}, which after de-duplication give "
                 f"{_plural(len(merged), 'unique paper')}. {span}</p>")
    topics_txt = f"{_plural(int(n_topics), 'topic')}" if n_topics else "topics"
    parts.append(
        "<p><b>What this report contains.</b> The corpus overview accounts for every record read from "
        "the inputs (including any that could not be loaded, and why), the duplicates merged, and the "
        f"distribution of papers over years and sources. The papers are then grouped into {topics_txt} "
        "by clustering sentence embeddings of their titles and abstracts; the topic overview shows the "
        "topics' sizes, how they group into broader themes, a map of the papers and how the topics "
        "relate. Each topic then has its own section with its key phrases, a short extractive synthesis "
        "whose sentences cite the papers they come from, and a table of its papers with one-sentence "
        "summaries. Papers no topic claimed are listed separately. The numbered reference list includes "
        "every paper of the corpus, and an appendix records the parameters, input checksums, software "
        "versions and timings needed to reproduce the report.</p>")
    parts.append("</div>")
    return "".join(parts)


def corpus_overview_html(df: pd.DataFrame, merged: pd.DataFrame | None = None) -> str:
    """Counts table and the load report (with the records not loaded, when any)."""
    ov = compute_corpus_overview(df, merged)
    parts = [html_table(ov, {"measure": "Measure", "value": "Count"}, numeric=["value"], narrow=True),
             load_report_html(df)]
    return "".join(parts)


def load_report_html(df: pd.DataFrame) -> str:
    """Records per input file, and every record that could not be loaded with its location and reason."""
    report = pd.DataFrame(df.attrs.get("load_report", []) or [])
    parts = ["<h3>Load report</h3>"]
    if report.empty:
        parts.append('<p class="ls-note">No load report is available for this corpus.</p>')
    else:
        rep = report.copy()
        rep["file"] = [_display_path(f) for f in rep["file"]]
        for col in ("format", "records", "skipped", "encoding", "error"):
            if col not in rep:
                rep[col] = ""
        rep["note"] = [str(e) if e else ("" if not s else f"{_plural(int(s), 'record')} not loaded, listed below")
                       for e, s in zip(rep["error"], rep["skipped"])]
        parts.append(html_table(rep, {"file": "File", "format": "Format", "encoding": "Encoding",
                                      "records": "Loaded", "skipped": "Not loaded", "note": "Note"},
                                widths={"file": "34%", "format": "11%", "encoding": "10%", "records": "9%",
                                        "skipped": "10%", "note": "26%"},
                                numeric=["records", "skipped"]))
    skipped = pd.DataFrame(df.attrs.get("skipped", []) or [], columns=["file", "record", "line", "reason"])
    if len(skipped):
        skipped = skipped.copy()
        skipped["file"] = [_display_path(f) for f in skipped["file"]]
        for col in ("record", "line"):
            skipped[col] = [_year_text(v) for v in skipped[col]]
        parts.append(f'<p class="ls-warn"><b>{_plural(len(skipped), "record")} could not be loaded</b> and '
                     "are not part of the review. Each is listed with its file, its number in the file, "
                     "the line where it starts and the reason, so it can be fixed in the export and "
                     "the review re-run.</p>")
        parts.append(html_table(skipped, {"file": "File", "record": "Record", "line": "Line", "reason": "Reason"},
                                widths={"file": "30%", "record": "9%", "line": "8%", "reason": "53%"},
                                numeric=["record", "line"]))
    else:
        parts.append("<p>Every record in the inputs was loaded.</p>")
    return "".join(parts)


def dedupe_html(df: pd.DataFrame, merged: pd.DataFrame, source_counts: pd.DataFrame | None = None,
                max_groups: int = 40) -> str:
    """What de-duplication did: how many records were merged, and which."""
    n_dup = len(df) - len(merged)
    parts = []
    if not merged.attrs.get("dedupe_done", True):
        why = merged.attrs.get("dedupe_note") or "it was not requested"
        parts.append(f"<p>No de-duplication was done: {why}. Every record is treated as a separate paper.</p>")
        return "".join(parts)
    parts.append(f"<p>The {_plural(len(df), 'record')} were compared by identifier (DOI, arXiv id, PubMed id) "
                 "and by normalised title, year and first author; records of the same work were merged into one "
                 + (f"paper. {_plural(n_dup, 'duplicate record')} {'was' if n_dup == 1 else 'were'} merged, leaving "
                    f"{_plural(len(merged), 'unique paper')}.</p>" if n_dup else
                    "paper. No duplicates were found: every record is a distinct paper.</p>"))
    if "merged_from" in merged and n_dup:
        groups = merged[[isinstance(m, (list, tuple, np.ndarray)) and len(m) > 1 for m in merged["merged_from"]]]
        if len(groups):
            def where(entry: Any) -> str:
                file, _, rec = str(entry).rpartition("#")
                return f"{_display_path(file).replace(chr(92), '/').rsplit('/', 1)[-1]} #{rec}"

            table = pd.DataFrame({
                "title": groups["title"].astype(str).to_numpy(),
                "records": [len(m) for m in groups["merged_from"]],
                "from": ["; ".join(where(e) for e in m) for m in groups["merged_from"]],
            }).head(max_groups)
            parts.append(html_table(table, {"title": "Paper kept", "records": "Records",
                                            "from": "Merged records (file #record)"},
                                    widths={"title": "50%", "records": "9%", "from": "41%"}, numeric=["records"]))
            if len(groups) > max_groups:
                parts.append(f'<p class="ls-note">First {max_groups} of {len(groups)} merged papers shown; '
                             "all are in papers.csv (column merged_from).</p>")
    if source_counts is not None and len(source_counts) > 2:  # more than one file (plus the total row)
        sc = source_counts.copy()
        if "source_file" in sc:
            sc["source_file"] = [f if f == "Total" else _display_path(f) for f in sc["source_file"]]
        names = {"source_file": "File", "source_format": "Format", "identified": "Identified",
                 "not_loaded": "Not loaded", "loaded": "Loaded", "duplicates_removed": "Duplicates",
                 "retained": "Retained", "unique": "Only in this file"}
        cols = {c: names.get(c, c.replace("_", " ").capitalize()) for c in sc.columns}
        parts.append("<p>Records contributed by each input file, the duplicates removed from it, and the "
                     "papers found in that file only:</p>")
        parts.append(html_table(sc, cols, widths={"source_file": "30%"} if "source_file" in cols else None,
                                numeric=[c for c in sc.columns if pd.api.types.is_numeric_dtype(sc[c])]))
    return "".join(parts)


def _themes_table(result: Any) -> pd.DataFrame:
    topics = result.topics
    parents = getattr(result, "parents", None)
    rows = []
    if parents is not None and len(parents):
        for p in parents.sort_values(["size", "parent"], ascending=[False, True], kind="stable").itertuples():
            members = topics[topics["parent"] == p.parent].sort_values(["size", "topic"], ascending=[False, True])
            rows.append({"theme": str(p.label), "size": int(p.size),
                         "topics": "; ".join(f"T{int(t.topic)} {t.label} ({int(t.size)})" for t in members.itertuples())})
    return pd.DataFrame(rows, columns=["theme", "size", "topics"])


def _unassigned_count(result: Any) -> int:
    return int((result.papers["topic"].astype(int) == -1).sum())


def topic_overview_html(result: Any) -> str:
    """Topic sizes (text and table) and the broad themes with their sub-topics."""
    topics = result.topics.sort_values(["size", "topic"], ascending=[False, True], kind="stable")
    n = len(result.papers)
    n_un = _unassigned_count(result)
    parts = [f"<p>The {_plural(n, 'paper')} fall into {_plural(len(topics), 'topic')}; "
             f"{_plural(n_un, 'paper')} ({100 * n_un / max(n, 1):.0f}%) were not assigned to any topic "
             "(they are listed in their own section). Topics are numbered T0, T1, … by size.</p>"]
    table = pd.DataFrame({
        "topic": [f'<a href="#topic-{int(t)}">T{int(t)}</a>' for t in topics["topic"]],
        "label": topics["label"].astype(str).to_numpy(),
        "size": topics["size"].astype(int).to_numpy(),
        "share": [f"{100 * float(s):.0f}%" for s in topics["share"]] if "share" in topics
        else [f"{100 * s / max(n, 1):.0f}%" for s in topics["size"]],
        "phrases": [", ".join(map(str, k[:6])) if isinstance(k, (list, tuple, np.ndarray)) else str(k)
                    for k in topics.get("key_phrases", pd.Series([""] * len(topics)))],
        "parent": topics["parent_label"].astype(str).to_numpy() if "parent_label" in topics else "",
    })
    parts.append(html_table(table, {"topic": "Topic", "label": "Label", "size": "Papers", "share": "Share",
                                    "phrases": "Key phrases", "parent": "Broad theme"},
                            widths={"topic": "7%", "label": "24%", "size": "8%", "share": "7%",
                                    "phrases": "34%", "parent": "20%"},
                            html_columns=["topic"], numeric=["size", "share"]))
    themes = _themes_table(result)
    if len(themes) and len(themes) < len(topics):
        parts.append("<h3>Broad themes</h3>")
        parts.append(f"<p>Merging similar topics gives {_plural(len(themes), 'broad theme')}; each is listed "
                     "with its sub-topics (papers in brackets).</p>")
        parts.append(html_table(themes, {"theme": "Theme", "size": "Papers", "topics": "Sub-topics"},
                                widths={"theme": "28%", "size": "9%", "topics": "63%"}, numeric=["size"]))
    return "".join(parts)


#: Most papers listed in one table of the HTML; a larger topic lists its most confidently
#: assigned papers and points to papers.csv for the rest (a 100,000-paper report would
#: otherwise be a 100 MB page no browser or printer handles).
MAX_TABLE_ROWS = 1000


def _table_cap(ids: Sequence[str], rank: Mapping[str, float] | None, what: str) -> tuple[list[str], str]:
    """At most :data:`MAX_TABLE_ROWS` of ``ids`` (highest ``rank`` first, then list order) and a note.

    >>> _table_cap(["a", "b"], None, "papers")
    (['a', 'b'], '')
    """
    ids = list(ids)
    if len(ids) <= MAX_TABLE_ROWS:
        return ids, ""
    order = sorted(range(len(ids)), key=lambda j: (-float((rank or {}).get(ids[j], 0.0) or 0.0), j))
    keep = sorted(order[:MAX_TABLE_ROWS])
    note = (f'<p class="ls-note">The table lists {MAX_TABLE_ROWS:,} of the {len(ids):,} {what}'
            + (", those most confidently assigned to the topic" if rank else "")
            + "; <code>papers.csv</code> lists every paper.</p>")
    return [ids[j] for j in keep], note


def _paper_table(ids: Sequence[str], df: pd.DataFrame, numbers: Mapping[str, int],
                 summaries: Mapping[str, str] | pd.Series | None, confidence: Mapping[str, float] | None,
                 extra: Mapping[str, str] | None = None, extra_name: str = "") -> str:
    by_id = df.set_index("id")
    rows = []
    for i in ids:
        n = numbers.get(str(i))
        rows.append({
            "ref": f'<a href="#ref-{n}">[{n}]</a>' if n else "",
            "_n": n or 10 ** 9,
            "title": str(by_id.at[i, "title"]) if i in by_id.index else str(i),
            "year": _year_text(by_id.at[i, "year"]) if i in by_id.index else "",
            "conf": f"{float(confidence[i]):.2f}" if confidence is not None and i in confidence
            and pd.notna(confidence[i]) else "",
            "summary": str(summaries.get(i, "") or "") if summaries is not None else "",
            "extra": str(extra.get(i, "")) if extra else "",
        })
    table = pd.DataFrame(rows).sort_values("_n", kind="stable") if rows else pd.DataFrame(
        columns=["ref", "_n", "title", "year", "conf", "summary", "extra"])
    cols = {"ref": "Ref.", "title": "Title", "year": "Year"}
    widths = {"ref": "7%", "title": "33%", "year": "6%"}
    if not any(r["year"] for r in rows):  # no year known: an empty column only wastes width
        del cols["year"], widths["year"]
        widths["title"] = "36%"
    if confidence is not None:
        cols["conf"], widths["conf"] = "Conf.", "7%"
    if extra:
        cols["extra"], widths["extra"] = extra_name, "20%"
    cols["summary"] = "Summary"
    widths["summary"] = f"{100 - sum(int(w[:-1]) for w in widths.values())}%"
    return html_table(table, cols, widths=widths, html_columns=["ref"], numeric=["year", "conf"])


def topic_sections_html(result: Any, df: pd.DataFrame, syntheses: pd.DataFrame | None,
                        summaries: Mapping[str, str] | pd.Series | None,
                        refs: pd.DataFrame | Mapping[str, int]) -> str:
    """One ``<section>`` per topic (h2 = label): key phrases, synthesis with linked citations, papers."""
    numbers = _ref_map(refs)
    papers = result.papers
    topics = result.topics.sort_values(["size", "topic"], ascending=[False, True], kind="stable")
    n_all = len(papers)
    synth = syntheses.set_index("topic") if syntheses is not None and len(syntheses) else None
    conf = dict(zip(papers["id"], papers["confidence"])) if "confidence" in papers else None
    parts = []
    for t in topics.to_dict("records"):
        k = int(t["topic"])
        members = papers[papers["topic"].astype(int) == k]
        member_refs = {numbers[i] for i in members["id"] if i in numbers}
        parts.append(f'<section class="ls-topic" id="topic-{k}" data-topic="{k}">')
        parts.append(f"<h2>T{k}. {_esc(t['label'])}</h2>")
        meta = [f"{_plural(int(t['size']), 'paper')} ({100 * int(t['size']) / max(n_all, 1):.0f}% of the corpus)"]
        if t.get("parent_label") and str(t.get("parent_label")) != str(t["label"]):
            meta.append(f"broad theme: {_esc(t['parent_label'])}")
        mc = t.get("mean_confidence")
        if mc is not None and pd.notna(mc):
            meta.append(f"mean assignment confidence {float(mc):.2f}")
        parts.append(f'<p class="ls-meta">{" · ".join(meta)}</p>')
        phrases = t.get("key_phrases")
        if isinstance(phrases, (list, tuple, np.ndarray)) and len(phrases):
            parts.append("<p><b>Key phrases:</b> " + ", ".join(_esc(p) for p in phrases) + ".</p>")
        if synth is not None and k in synth.index:
            s = synth.loc[k]
            text = s["synthesis"] if "synthesis" in s else ""
            parts.append(f'<p class="ls-synthesis"><b>Synthesis.</b> {link_citations(text, member_refs)}</p>')
            notes = []
            if "coverage" in s and pd.notna(s["coverage"]):
                notes.append(f"coverage of the topic's papers {float(s['coverage']):.2f}")
            if "redundancy" in s and pd.notna(s["redundancy"]):
                notes.append(f"redundancy {float(s['redundancy']):.2f}")
            parts.append('<p class="ls-note">The synthesis is extractive: each sentence is taken verbatim from '
                         "the abstract of the paper cited after it" + (f" ({'; '.join(notes)})" if notes else "")
                         + ".</p>")
        shown, cap_note = _table_cap(members["id"], conf, "papers of this topic")
        parts.append(cap_note + _paper_table(shown, df, numbers, summaries, conf))
        parts.append("</section>")
    return "".join(parts)


def unassigned_html(result: Any, df: pd.DataFrame, summaries: Mapping[str, str] | pd.Series | None,
                    refs: pd.DataFrame | Mapping[str, int]) -> str:
    """Papers no topic claimed, with the reason the topic model gives."""
    numbers = _ref_map(refs)
    ids = list(result.papers.loc[result.papers["topic"].astype(int) == -1, "id"])
    if not ids:
        return "<p>Every paper was assigned to a topic.</p>"
    un = getattr(result, "unassigned", None)
    reasons: dict[str, str] = {}
    if un is not None and len(un):
        col = next((c for c in ("reason", "why", "explanation") if c in un.columns), None)
        if col:
            reasons = {str(i): str(r) for i, r in zip(un["id"], un[col])}
    text = (f"<p>{_plural(len(ids), 'paper')} ({100 * len(ids) / max(len(result.papers), 1):.0f}% of the corpus) "
            "could not be placed in any topic with enough confidence. They are still part of the corpus "
            "and of the reference list; a reader should check them by hand, since they may be outliers, "
            "papers on subjects covered by too few others to form a topic, or off-topic records.</p>")
    conf = dict(zip(result.papers["id"], result.papers["confidence"])) if "confidence" in result.papers else None
    shown, cap_note = _table_cap(ids, None, "unassigned papers")
    return text + cap_note + _paper_table(shown, df, numbers, summaries, None if reasons else conf,
                               extra=reasons or None, extra_name="Why unassigned")


def references_html(refs: pd.DataFrame) -> str:
    """The numbered reference list; each entry has the anchor ``ref-N``."""
    parts = [f"<p>{_plural(len(refs), 'paper')}, numbered {REFERENCE_ORDER}.</p>", '<div class="ls-refs">']
    for r in refs.itertuples():
        parts.append(f'<p class="ls-ref" id="ref-{int(r.ref)}" data-id="{_esc(r.id)}">'
                     f'<span class="ls-refnum">[{int(r.ref)}]</span> {r.citation_html}</p>')
    parts.append("</div>")
    return "".join(parts)


def appendix_html(parameters: Mapping[str, Any], *, files: Sequence[str] | None = None,
                  df: pd.DataFrame | None = None, timer: Any = None, model: str | None = None,
                  topic_params: Mapping[str, Any] | None = None,
                  environment: pd.DataFrame | None = None) -> str:
    """Parameters, input checksums, package versions, embedding model, seed and stage timings."""
    parts = ["<h3>Parameters</h3>"]
    ptab = pd.DataFrame({"parameter": list(parameters),
                         "value": [v if isinstance(v, str) and v else repr(v) for v in parameters.values()]})
    parts.append(html_table(ptab, {"parameter": "Parameter", "value": "Value"}, widths={"parameter": "25%", "value": "75%"}))
    settings = []
    if model:
        settings.append(("embedding model", model))
    if "seed" in parameters:
        settings.append(("random seed", parameters["seed"]))
    for k, v in (topic_params or {}).items():
        if v is None or k in ("embedding_model", "seed") or not isinstance(
                v, (str, int, float, bool, np.integer, np.floating)):
            continue
        settings.append((f"topic model: {k}", round(float(v), 4) if isinstance(v, (float, np.floating)) else v))
    if settings:
        parts.append("<h3>Models and settings</h3>")
        parts.append(html_table(pd.DataFrame(settings, columns=["setting", "value"]),
                                {"setting": "Setting", "value": "Value"}, narrow=True))
    parts.append("<h3>Input files</h3>")
    if df is not None and df.attrs.get("load_report"):
        rep = pd.DataFrame(df.attrs["load_report"])
        hashes = pd.DataFrame({"file": [_display_path(f) for f in rep["file"]],
                               "sha256": rep.get("sha256", pd.Series([""] * len(rep)))})
    else:
        hashes = input_hashes(files or [])
    parts.append(html_table(hashes, {"file": "File", "sha256": "SHA-256"}, widths={"file": "40%", "sha256": "60%"}))
    parts.append("<h3>Software</h3>")
    env = environment if environment is not None else compute_environment()
    parts.append(html_table(env, {"package": "Package", "version": "Version"}, narrow=True))
    if timer is not None:
        parts.append("<h3>Stage timings</h3>")
        frame = timer.frame() if hasattr(timer, "frame") else pd.DataFrame(timer)
        frame = frame.assign(seconds=[f"{s:.2f}" for s in frame["seconds"]])
        cols = {"stage": "Stage", "seconds": "Seconds"}
        if "peak_rss_mb" in frame:
            cols["peak_rss_mb"] = "Peak memory (MiB)"
        parts.append(html_table(frame, cols, numeric=["seconds", "peak_rss_mb"], narrow=True))
    parts.append(f'<p class="ls-note">Report generated {_esc(_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"))} '
                 f"on {_esc(platform.platform(terse=True))}.</p>")
    return "".join(parts)


# ====================================================================== display (the notebook's calls)

def display_title(report_title: str, **kwargs: Any) -> None:
    """Show :func:`title_html`."""
    _display_html(title_html(report_title, **kwargs))


def display_corpus_overview(df: pd.DataFrame, merged: pd.DataFrame | None = None) -> None:
    """Show :func:`corpus_overview_html`."""
    _display_html(corpus_overview_html(df, merged))


def display_dedupe(df: pd.DataFrame, merged: pd.DataFrame) -> None:
    """Show the de-duplication summary and the PRISMA flow."""
    from . import figures

    from . import prisma
    from .dedupe import compute_source_counts

    counts = compute_source_counts(df, merged) if merged.attrs.get("dedupe_done", False) else None
    _display_html(dedupe_html(df, merged, counts))
    skipped = pd.DataFrame(df.attrs.get("skipped", []) or [], columns=["file", "record", "line", "reason"])
    flow = prisma.compute_prisma_identification(df, merged, skipped)
    figures.show(prisma.plot_prisma_flow(flow))


def display_years(df: pd.DataFrame) -> None:
    """The papers-per-year figure, or a sentence saying the years are unknown."""
    from . import figures

    fig = figures.plot_years(df)
    if fig is None:
        _display_html("<p>No paper in the inputs has a publication year, so the corpus cannot be "
                      "shown over time. Exports from bibliographic databases (Scopus, Web of Science, "
                      "PubMed, OpenAlex) carry years; pasted listings usually do not.</p>")
        return
    years = pd.to_numeric(pd.Series(df["year"], dtype="object"), errors="coerce")
    missing = int(years.isna().sum())
    _display_html(f"<p>{_plural(int(years.notna().sum()), 'paper')} have a known year"
                  + (f"; {missing} without a year are not shown" if missing else "") + ".</p>")
    figures.show(fig)


def display_sources(df: pd.DataFrame) -> None:
    """Venues (or input files, when the inputs name no venue) as a figure."""
    from . import figures

    venues = df["venue"].fillna("").astype(str).str.strip() if "venue" in df else pd.Series([], dtype=str)
    if (venues != "").any():
        n = int((venues != "").sum())
        _display_html(f"<p>{_plural(n, 'paper')} name a venue; {_plural(venues[venues != ''].nunique(), 'venue')} "
                      "appear in all.</p>")
    else:
        files = df["source_file"].nunique() if "source_file" in df else 0
        if files <= 1:
            _display_html("<p>The inputs name no journal, conference or repository for the papers, and "
                          "all of them come from a single file, so there is no breakdown by source.</p>")
            return
        _display_html("<p>The inputs name no journal or conference, so the papers are shown by the file "
                      "they came from.</p>")
    figures.show(figures.plot_sources(df))


def display_topic_overview(result: Any) -> None:
    """Topic sizes (figure and table) and broad themes."""
    from . import figures

    figures.show(figures.plot_topic_sizes(result.topics, _unassigned_count(result)))
    _display_html(topic_overview_html(result))


def display_topic_map(result: Any, df: pd.DataFrame, refs: pd.DataFrame | Mapping[str, int] | None = None) -> None:
    """The interactive 2-D map of the papers."""
    from . import figures

    figures.show(figures.plot_topic_map(result.papers, df, result.topics,
                                        refs=_ref_map(refs) if refs is not None else None))


def display_topic_similarity(result: Any) -> None:
    """The topic similarity heatmap (nothing for fewer than two topics)."""
    from . import figures

    if getattr(result, "similarity", None) is None or len(result.similarity) < 2:
        _display_html("<p>With fewer than two topics there is no similarity to show.</p>")
        return
    figures.show(figures.plot_topic_similarity(result.similarity, result.topics))


def display_topics_over_time(result: Any, df: pd.DataFrame) -> None:
    """Share of each topic per year, or a sentence when the years are unknown."""
    from . import figures

    fig = figures.plot_topics_over_time(result.papers, df, result.topics)
    if fig is None:
        _display_html("<p>The inputs give no publication years, so the topics cannot be followed over time.</p>")
        return
    figures.show(fig)


def display_topic_sections(result: Any, df: pd.DataFrame, syntheses: pd.DataFrame | None,
                           summaries: Mapping[str, str] | pd.Series | None,
                           refs: pd.DataFrame | Mapping[str, int]) -> None:
    """Show :func:`topic_sections_html`."""
    _display_html(topic_sections_html(result, df, syntheses, summaries, refs))


def display_unassigned(result: Any, df: pd.DataFrame, summaries: Mapping[str, str] | pd.Series | None,
                       refs: pd.DataFrame | Mapping[str, int]) -> None:
    """Show :func:`unassigned_html`."""
    _display_html(unassigned_html(result, df, summaries, refs))


def display_references(refs: pd.DataFrame) -> None:
    """Show :func:`references_html`."""
    _display_html(references_html(refs))


def display_appendix(parameters: Mapping[str, Any], **kwargs: Any) -> None:
    """Show :func:`appendix_html`."""
    _display_html(appendix_html(parameters, **kwargs))
