"""HTML building blocks: style, escaping, tables, citation links and display in the notebook."""

from __future__ import annotations

import html
import re
from typing import Any, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from .. import tablestyle
from ..missing import as_text

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


def _esc(value: Any) -> str:
    """HTML-escaped text of a value ('' for None/NaN/NA)."""
    return html.escape(as_text(value), quote=True)


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
            text = as_text(v) if c in raw else _esc(v)
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
