"""The report's prose template: every macro the report asks for exists and is used, values
are escaped, and a wrapped line in the template reads as one space."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markupsafe import Markup

from litscope.report import prose as prose_module
from litscope.report.prose import PROSE_TEMPLATE, prose

REPORT = Path(prose_module.__file__).parent


def _macros_defined() -> set[str]:
    return set(re.findall(r"\{%-?\s*macro\s+(\w+)\(", PROSE_TEMPLATE.read_text(encoding="utf-8")))


def _macros_called() -> set[str]:
    called = set()
    for path in REPORT.glob("*.py"):
        called |= set(re.findall(r"\bprose\(\s*\"(\w+)\"", path.read_text(encoding="utf-8")))
    return called


def test_every_called_macro_is_defined_and_every_macro_is_called():
    defined, called = _macros_defined(), _macros_called()
    assert len(called) > 20
    assert called - defined == set()
    assert defined - called == set()


def test_values_are_escaped_and_markup_is_kept():
    text = prose("topic_synthesis", synthesis=Markup('<a href="#ref-1">[1]</a> & <b>'))
    assert text == '<p class="ls-synthesis"><b>Synthesis.</b> <a href="#ref-1">[1]</a> & <b></p>'
    text = prose("scope_inputs", files=["<x>.ris", "a&b.csv"], n_records=3, n_papers=2, years="<y>")
    assert "<code>&lt;x&gt;.ris</code>, <code>a&amp;b.csv</code>" in text
    assert text.endswith("give 2 unique papers. &lt;y&gt;</p>")


def test_a_wrapped_line_reads_as_one_space_and_values_keep_their_whitespace():
    text = prose("unassigned", n_unassigned=2, percent=12.5)
    assert "\n" not in text and "  " not in text
    assert text.startswith("<p>2 papers (12% of the corpus) could not be placed in any topic")
    # a value's own line breaks and double spaces are not the template's: they stay
    assert prose("scope_question", question="a\n  b") == "<p><b>Research question.</b> a\n  b</p>"


def test_a_missing_value_is_an_error_not_an_empty_string():
    with pytest.raises(Exception, match="n_dated"):
        prose("years_known", n_undated=1)
