"""The report's reader-facing sentences, kept as Jinja2 macros in ``templates/report/prose.html.j2``.

Someone editing what the report says edits that file; the section builders only
choose a macro and pass it the numbers and names. Autoescaping is on, so every
value from an input (a file name, a research question, a topic label) is
escaped; HTML that litscope built itself (a synthesis with linked citations)
is passed as :class:`markupsafe.Markup`. Within a macro a line break and the
indentation around it read as one space, so the paragraphs can be wrapped.

Examples
--------
>>> prose("years_known", n_dated=3, n_undated=1)
'<p>3 papers have a known year; 1 without a year are not shown.</p>'
>>> prose("scope_question", question="<b>why</b>?")
'<p><b>Research question.</b> &lt;b&gt;why&lt;/b&gt;?</p>'
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any, Iterator

import jinja2
from jinja2.ext import Extension
from jinja2.lexer import Token

from .html import _plural

__all__ = ["prose", "PROSE_TEMPLATE"]

#: The template file holding the macros.
PROSE_TEMPLATE = Path(__file__).resolve().parents[1] / "templates" / "report" / "prose.html.j2"

_LINE_BREAK = re.compile(r"[ \t]*\n\s*")


class _WrappedLines(Extension):
    """A line break in the template's own text (not in a value) reads as one space."""

    def filter_stream(self, stream: Any) -> Iterator[Token]:
        for token in stream:
            if token.type == "data" and "\n" in token.value:
                token = Token(token.lineno, token.type, _LINE_BREAK.sub(" ", token.value))
            yield token


@functools.lru_cache(maxsize=1)
def _macros() -> Any:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(PROSE_TEMPLATE.parent)),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             extensions=[_WrappedLines], keep_trailing_newline=False)
    env.globals["plural"] = _plural
    return env.get_template(PROSE_TEMPLATE.name).module


def prose(name: str, **values: Any) -> str:
    """The macro ``name`` of the prose template rendered with ``values`` (keyword arguments).

    Returns a plain ``str`` (not Markup), so joining it with other strings escapes nothing.
    """
    return str.__str__(getattr(_macros(), name)(**values))
