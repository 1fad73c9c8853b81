"""``reports/index.html``: one page linking every report, with its date, size, topics and status.

The page is self-contained (inline style, no script, no external request) and every
name, label and message is HTML-escaped; links are relative, so the reports folder can be
copied or served as it is.

Examples
--------
>>> import tempfile
>>> reports = Path(tempfile.mkdtemp())
>>> (reports / "a<b").mkdir()
>>> _ = (reports / "a<b" / "review.html").write_text("<html></html>")
>>> page = write_index(reports).read_text(encoding="utf-8")
>>> "a&lt;b" in page, 'href="a%3Cb/review.html"' in page, "http" in page
(True, True, False)
"""

from __future__ import annotations

import html
import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import quote

import pandas as pd

from ..atomic import atomic_write
from ..csvsafe import unescape_cell
from ..publish import DATE_FORMAT, list_history, run_date

__all__ = ["write_index", "report_rows", "INDEX_NAME"]

INDEX_NAME = "index.html"
_CSS = """
body { font-family: Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border-bottom: 1px solid #ddd; padding: 5px 7px; text-align: left; vertical-align: top;
         overflow-wrap: anywhere; }
th { background: #f3f3f3; border-bottom: 2px solid #bbb; }
td.num { text-align: right; white-space: nowrap; }
.failed { color: #a00; font-weight: 600; }
.note { color: #666; font-size: 0.9em; }
tr { break-inside: avoid; }
"""


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return ""


def _topics(folder: Path) -> tuple[int | None, list[str]]:
    try:
        frame = pd.read_csv(folder / "topics.csv", dtype=str, keep_default_na=False)
    except (OSError, ValueError, pd.errors.EmptyDataError):
        return None, []
    labels = [unescape_cell(v) for v in frame["label"]] if "label" in frame.columns else []
    return len(frame), labels


def _papers(folder: Path) -> int | None:
    try:
        return int(json.loads((folder / "snapshot" / "run.json").read_text(encoding="utf-8"))["n_papers"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    try:
        return len(pd.read_csv(folder / "papers.csv", usecols=[0], dtype=str))
    except (OSError, ValueError, pd.errors.EmptyDataError):
        return None


def report_rows(reports: Path, runs: Iterable[Any] = ()) -> list[dict[str, Any]]:
    """One dict per report folder in ``reports`` and per review of ``runs`` that has none."""
    by_name = {r.name: r for r in runs}
    names = sorted({p.name for p in reports.iterdir() if p.is_dir() and not p.name.startswith(".")
                    and ((p / "review.html").is_file() or (p / "review.ipynb").is_file())} | set(by_name))
    rows = []
    for name in names:
        folder = reports / name
        run = by_name.get(name)
        exists = folder.is_dir()
        html_file = folder / "review.html"
        n_topics, labels = _topics(folder) if exists else (None, [])
        rows.append({
            "name": name,
            "html": html_file.is_file(),
            "pdf": (folder / "review.pdf").is_file(),
            "failed_notebook": (reports / f"{name}.failed.ipynb").is_file(),
            "date": run_date(folder) if exists else "",
            "papers": _papers(folder) if exists else None,
            "bytes": html_file.stat().st_size if html_file.is_file() else None,
            "topics": n_topics, "labels": labels,
            "history": len(list_history(folder)) if exists else 0,
            "status": run.status if run is not None else "",
            "error": run.error if run is not None else "",
        })
    return rows


def _shown_date(folder_date: str) -> str:
    """``'2026-01-02T03-04-05Z'`` (a DATE folder name) -> ``'2026-01-02 03:04:05'``.

    >>> _shown_date("2026-01-02T03-04-05Z"), _shown_date("")
    ('2026-01-02 03:04:05', '')
    """
    try:
        return datetime.strptime(folder_date, DATE_FORMAT).strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return folder_date


def _cell(row: dict[str, Any]) -> dict[str, str]:
    e = html.escape
    name = quote(row["name"])
    link = (f'<a href="{name}/review.html">{e(row["name"])}</a>' if row["html"] else e(row["name"]))
    extra = []
    if row["pdf"]:
        extra.append(f'<a href="{name}/review.pdf">PDF</a>')
    if row["history"]:
        extra.append(f'<a href="{name}/history/">{row["history"]} earlier run{"s" if row["history"] > 1 else ""}</a>')
    if row["failed_notebook"]:
        extra.append(f'<a href="{quote(row["name"] + ".failed.ipynb")}">failed notebook</a>')
    status = row["status"] or "not in this batch"
    status_html = (f'<span class="failed">{e(status)}</span>: {e(row["error"])}' if status == "failed"
                   else e(status) + (f'<br><span class="note">{e(row["error"])}</span>' if row["error"] else ""))
    if status == "failed" and row["html"]:
        status_html += '<br><span class="note">the report below is the previous, unchanged one</span>'
    shown = row["labels"][:5]
    topics = "" if row["topics"] is None else (
        f"{row['topics']}" + (": " + e("; ".join(shown)) + ("; ..." if len(row["labels"]) > 5 else "")
                              if shown else ""))
    return {"report": link + (f'<br><span class="note">{" · ".join(extra)}</span>' if extra else ""),
            "status": status_html, "date": e(_shown_date(row["date"])),
            "papers": "" if row["papers"] is None else str(row["papers"]),
            "size": "" if row["bytes"] is None else _size(row["bytes"]), "topics": topics}


def write_index(reports: str | os.PathLike, runs: Iterable[Any] = ()) -> Path:
    """Write ``reports/index.html`` listing every report (and each review of ``runs``); its path."""
    reports = Path(reports)
    reports.mkdir(parents=True, exist_ok=True)
    rows = [_cell(r) for r in report_rows(reports, runs)]
    heads = [("report", "Report", ""), ("status", "Status (this batch)", ""), ("date", "Run finished (UTC)", ""),
             ("papers", "Papers", "num"), ("size", "HTML size", "num"), ("topics", "Topics", "")]
    body = "".join("<tr>" + "".join(f'<td class="{c}">{row[k]}</td>' if c else f"<td>{row[k]}</td>"
                                    for k, _, c in heads) + "</tr>" for row in rows)
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    page = ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>litscope reports</title><style>{_CSS}</style></head><body>"
            f"<h1>litscope reports</h1><p class=\"note\">{len(rows)} report{'s' if len(rows) != 1 else ''}; "
            f"page written {html.escape(now)}.</p>"
            "<table><thead><tr>" + "".join(f"<th>{html.escape(h)}</th>" for _, h, _ in heads)
            + f"</tr></thead><tbody>{body}</tbody></table></body></html>\n")
    return atomic_write(reports / INDEX_NAME, page)
