"""Issue 8, item 9: report names with control or text-direction characters are refused.

A newline splits the "report written to" line, an ANSI escape repaints the terminal, a
right-to-left override makes ``report\u202egpj.exe`` read as ``reportexe.jpg``: none of
them belongs in a folder name, so ``--name`` refuses them with one line.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from litscope import paths
from litscope.errors import ParameterError
from litscope.execute import run_review

OK = Path(__file__).parent / "notebooks" / "params_ok.ipynb"

BAD_NAMES = {
    "newline": "llm\nagents",
    "carriage-return": "llm\ragents",
    "tab": "llm\tagents",
    "escape": "llm\x1b[31magents",
    "bell": "llm\x07agents",
    "right-to-left-override": "report\u202egpj.exe",
    "right-to-left-mark": "report\u200fname",
    "left-to-right-isolate": "a\u2066b",
    "zero-width-joiner": "a\u200db",
    "line-separator": "a\u2028b",
    "byte-order-mark": "\ufeffname",
    "undecodable-byte": "name\udcff",  # a non-UTF-8 byte in argv, as Python decodes it
}


@pytest.mark.parametrize("bad", list(BAD_NAMES.values()), ids=list(BAD_NAMES))
def test_control_and_bidi_characters_are_refused(tmp_path, bad):
    with pytest.raises(ParameterError, match=r"control or text-direction character") as info:
        run_review([paths.sample_corpus()], name=bad, notebook=OK, reports_dir=tmp_path,
                   pdf=False, progress=False)
    assert str(info.value).isprintable()  # the message itself shows the character escaped
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("good", ["llm-agents", "Übersicht 2024", "文献综述", "q3_v2.final"])
def test_ordinary_names_in_any_script_are_accepted(good):
    from litscope.params import check_name

    assert check_name(good) == good


def test_cli_refuses_a_name_with_a_newline_in_one_line(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "litscope", "review", str(paths.sample_corpus()),
         "--name", "evil\nname\u202e", "--notebook", str(OK), "--no-pdf", "--quiet"],
        capture_output=True, text=True, timeout=300,
        env=dict(os.environ, LITSCOPE_REPORTS=str(tmp_path)))
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: report name 'evil\\nname"), done.stderr
    assert "\u202e" not in done.stderr and list(tmp_path.iterdir()) == []
