"""Left-aligned text columns in JupyterLab, whatever styles the output keeps.

JupyterLab right-aligns every table cell (``.jp-RenderedHTMLCommon td``), and it strips
``<style>`` blocks from outputs of notebooks it does not trust (a notebook executed by
``litscope review`` and opened later), so the report's stylesheet alone cannot keep text
columns on the left. :func:`left_aligned` writes the alignment into each cell instead:
inline ``text-align`` survives Lab's sanitizer, and the HTML report looks the same.

Examples
--------
>>> from litscope.tablestyle import left_aligned
>>> left_aligned('<table class="ls-table"><tr><th>Title</th><th class="ls-num">Year</th></tr>'
...              '<tr><td>A paper</td><td class="ls-num">2024</td></tr></table>')
'<table class="ls-table"><tr><th style="text-align:left">Title</th><th class="ls-num" style="text-align:right">Year</th></tr><tr><td style="text-align:left">A paper</td><td class="ls-num" style="text-align:right">2024</td></tr></table>'
>>> left_aligned("<p>no table</p>")
'<p>no table</p>'
"""

from __future__ import annotations

import re

__all__ = ["left_aligned"]

# Only the cells litscope writes (<td>, <th>, <td class="ls-num">): a cell that already has
# a style attribute or another class is left as it is.
_CELL = re.compile(r'<(td|th)( class="ls-num")?>')


def _styled(match: re.Match) -> str:
    tag, numeric = match.group(1), match.group(2)
    if numeric:
        return f'<{tag}{numeric} style="text-align:right">'
    return f'<{tag} style="text-align:left">'


def left_aligned(html: str) -> str:
    """``html`` with every litscope table cell aligned inline: text left, numbers right.

    Parameters
    ----------
    html : str
        HTML as the report's display helpers build it.

    Returns
    -------
    str
        The same HTML; ``<td>``/``<th>`` carry ``style="text-align:left"``, cells of class
        ``ls-num`` ``style="text-align:right"``.
    """
    if "<t" not in html:
        return html
    return _CELL.sub(_styled, html)
