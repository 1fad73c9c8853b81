"""Issue 8, item 5: each of these printed a traceback instead of one ``error: ...`` line.

The command runs as a subprocess, the way a user runs it. Faults that need root to
arrange (a read-only or full disk) are simulated inside that subprocess by replacing one
low-level call with one that fails the way the kernel would (EROFS, ENOSPC).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_markdown_cell, new_notebook

from litscope import paths

NOTEBOOKS = Path(__file__).parent / "notebooks"
OK = NOTEBOOKS / "params_ok.ipynb"


def cli(*args: str, tmp_path: Path, prelude: str = "", env: dict | None = None
        ) -> subprocess.CompletedProcess:
    """``litscope ARGS`` with ``prelude`` (Python) run first in the same process."""
    code = (f"import sys\n{prelude}\nfrom litscope.cli import main\n"
            f"sys.exit(main({json.dumps(list(args))}))\n")
    full_env = {**os.environ, "LITSCOPE_REPORTS": str(tmp_path / "reports"), **(env or {})}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=tmp_path, env=full_env, timeout=600)


def one_error_line(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    return lines[0]


def review(*extra: str) -> list[str]:
    return ["review", str(paths.sample_corpus()), "--name", "t", "--notebook", str(OK),
            "--no-pdf", "--quiet", *extra]


@pytest.fixture
def previous(tmp_path):
    old = tmp_path / "reports" / "t"
    old.mkdir(parents=True)
    (old / "review.html").write_bytes(b"<h1>previous</h1>")
    return old


def test_binary_params_file_is_one_line_error(tmp_path):
    binary = tmp_path / "params.yaml"
    binary.write_bytes(bytes(range(256)) * 4)  # not UTF-8
    line = one_error_line(cli(*review("--params", str(binary)), tmp_path=tmp_path))
    assert "params.yaml" in line and "UTF-8" in line


@pytest.mark.parametrize("where", ["--param", "--params"])
def test_integer_of_thousands_of_digits_is_one_line_error(tmp_path, where):
    digits = "9" * 5000  # Python refuses to convert more than 4300 digits
    if where == "--param":
        args = review("-p", f"n_topics={digits}")
    else:
        (tmp_path / "p.yaml").write_text(f"n_topics: {digits}\n")
        args = review("--params", str(tmp_path / "p.yaml"))
    line = one_error_line(cli(*args, tmp_path=tmp_path))
    assert len(line) < 300 and ("n_topics" in line or "p.yaml" in line)


def test_integer_out_of_range_is_refused_before_loading(tmp_path):
    line = one_error_line(cli(*review("-p", "n_topics=" + "9" * 4000), tmp_path=tmp_path))
    assert "'n_topics' must be between 0 and" in line and len(line) < 300


def test_name_near_the_file_name_limit_is_one_line_error(tmp_path):
    # 240 characters fit a file name (255), but .NAME.partial-XXXXXXXX does not.
    done = cli("review", str(paths.sample_corpus()), "--name", "n" * 240, "--notebook",
               str(OK), "--no-pdf", "--quiet", tmp_path=tmp_path)
    line = one_error_line(done)
    assert "too long" in line and "n" * 240 not in line
    assert not (tmp_path / "reports").exists() or not any((tmp_path / "reports").iterdir())


def test_reports_folder_that_cannot_be_created_is_one_line_error(tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    done = cli(*review(), tmp_path=tmp_path,
               env={"LITSCOPE_REPORTS": str(tmp_path / "a-file" / "reports")})
    assert "cannot create the reports folder" in one_error_line(done)


READ_ONLY = """
import errno, os
_mkdir = os.mkdir
def mkdir(path, *args, **kwargs):  # as on a read-only mount: nothing new in reports/
    if os.fspath(path).startswith(os.environ["LITSCOPE_REPORTS"]):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.fspath(path))
    return _mkdir(path, *args, **kwargs)
os.mkdir = mkdir
"""


def test_read_only_reports_folder_is_one_line_error(tmp_path, previous):
    line = one_error_line(cli(*review(), tmp_path=tmp_path, prelude=READ_ONLY))
    assert "Read-only file system" in line
    assert (previous / "review.html").read_bytes() == b"<h1>previous</h1>"


FULL_DISK = """
import errno, litscope.render
def full(path, data):  # the disk fills up while the report is written
    raise OSError(errno.ENOSPC, "No space left on device")
litscope.render._write_atomic = full
"""


def test_full_disk_is_one_line_error_and_keeps_the_executed_notebook(tmp_path, previous):
    line = one_error_line(cli(*review(), tmp_path=tmp_path, prelude=FULL_DISK))
    kept = tmp_path / "reports" / "t.failed.ipynb"
    assert "No space left on device" in line and str(kept) in line
    nb = nbformat.read(kept, as_version=4)  # the executed notebook, whole
    assert any(c.get("outputs") for c in nb.cells)
    assert (previous / "review.html").read_bytes() == b"<h1>previous</h1>"
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == ["t", "t.failed.ipynb"]


def test_render_html_into_a_folder_that_cannot_be_made_is_one_line_error(tmp_path):
    ipynb = tmp_path / "out.ipynb"
    nbformat.write(new_notebook(cells=[new_markdown_cell("# Rendered")]), ipynb)
    (tmp_path / "a-file").write_text("not a folder")
    for target in ("a-file/out.html", "a-file/missing/out.html"):
        line = one_error_line(cli("render", str(ipynb), "--html", target, "--no-pdf",
                                  tmp_path=tmp_path))
        assert "cannot write" in line and "out.html" in line
    # a missing folder that can be made is made
    done = cli("render", str(ipynb), "--html", "new/dir/out.html", "--no-pdf", tmp_path=tmp_path)
    assert done.returncode == 0 and (tmp_path / "new" / "dir" / "out.html").is_file()
