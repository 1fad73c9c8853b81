"""The ``litscope`` command, run as a subprocess the way a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import litscope
from litscope import paths
from litscope.sources import readers

NOTEBOOKS = Path(__file__).parent / "notebooks"


def litscope_cli(*args: str, cwd: Path | None = None, env: dict | None = None,
                 module: str = "litscope.cli") -> subprocess.CompletedProcess:
    full_env = dict(os.environ, **(env or {}))
    return subprocess.run([sys.executable, "-m", module, *args], capture_output=True,
                          text=True, cwd=cwd, env=full_env, timeout=600)


def test_help_lists_the_commands():
    done = litscope_cli("--help")
    assert done.returncode == 0
    for command in ("review", "render", "formats"):
        assert command in done.stdout
    done = litscope_cli("review", "--help")
    assert done.returncode == 0
    for option in ("--name", "--param", "--params", "--no-pdf", "--quiet"):
        assert option in done.stdout


def test_python_dash_m_litscope_and_version():
    done = litscope_cli("--version", module="litscope")
    assert done.returncode == 0
    assert done.stdout.strip() == f"litscope {litscope.__version__}"


def test_formats_lists_every_reader():
    done = litscope_cli("formats")
    assert done.returncode == 0
    listed = [line.split()[0] for line in done.stdout.splitlines()
              if line.strip() and not line.startswith("The format")]
    assert listed == sorted(readers())


def test_missing_input_is_one_line_error(tmp_path):
    done = litscope_cli("review", "no-such-export.ris", "--name", "x", cwd=tmp_path,
                        env={"LITSCOPE_REPORTS": str(tmp_path / "reports")})
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: ") and "no-such-export.ris" in lines[0]
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "reports" / "x").exists()


def test_unreadable_input_is_one_line_error(tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_bytes(b"\x00\x01\x02 nothing bibliographic here \xff\xfe")
    done = litscope_cli("review", str(bad), "--name", "x", cwd=tmp_path,
                        env={"LITSCOPE_REPORTS": str(tmp_path / "reports")})
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "notes.txt" in lines[0]
    assert "Traceback" not in done.stderr


def test_usage_errors_exit_2(tmp_path):
    assert litscope_cli("review", "x.ris").returncode == 2  # no --name
    done = litscope_cli("review", "x.ris", "--name", "n", "--param", "n_topics")
    assert done.returncode == 2 and "NAME=VALUE" in done.stderr
    assert litscope_cli().returncode == 2


def test_unknown_parameter_is_one_line_error(tmp_path):
    sample = paths.sample_corpus()
    done = litscope_cli("review", str(sample), "--name", "x", "--notebook",
                        str(NOTEBOOKS / "params_ok.ipynb"), "--param", "colour=blue",
                        env={"LITSCOPE_REPORTS": str(tmp_path)})
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0
    assert "'colour'" in done.stderr and "n_topics" in done.stderr


def test_review_writes_the_report(tmp_path):
    sample = paths.sample_corpus()
    done = litscope_cli("review", str(sample), "--name", "cli", "--no-pdf", "--quiet",
                        "--notebook", str(NOTEBOOKS / "params_ok.ipynb"),
                        "-p", "report_title=Made by the CLI",
                        env={"LITSCOPE_REPORTS": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert "report written to" in done.stdout and str(tmp_path / "cli") in done.stdout
    html = (tmp_path / "cli" / "review.html").read_text(encoding="utf-8")
    assert "Made by the CLI" in html
    assert not (tmp_path / "cli" / "review.pdf").exists()
    assert done.stderr == ""  # --quiet: nothing while the notebook runs


def test_review_prints_the_kernels_stages_and_bars(tmp_path):
    done = litscope_cli("review", str(paths.sample_corpus()), "--name", "staged", "--no-pdf",
                        "--notebook", str(NOTEBOOKS / "progress_cells.ipynb"),
                        env={"LITSCOPE_REPORTS": str(tmp_path), "LITSCOPE_PROGRESS": ""})
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert lines[0].startswith("litscope: running progress_cells.ipynb")
    assert "▶ count" in lines and "▶ figures" in lines
    assert any(line.startswith("  Counting: 40/40 item in ") for line in lines)
    assert any(line.startswith("litscope: notebook ran in ") for line in lines)
    assert "%|" not in done.stderr and "· cell" not in done.stderr  # no terminal: no live bars


def test_failing_notebook_is_one_line_error(tmp_path):
    sample = paths.sample_corpus()
    done = litscope_cli("review", str(sample), "--name", "bad", "--quiet",
                        "--notebook", str(NOTEBOOKS / "fails_cell3.ipynb"),
                        env={"LITSCOPE_REPORTS": str(tmp_path)})
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "cell 3" in lines[0] and "ValueError" in lines[0] and "bad.failed.ipynb" in lines[0]
    assert "Traceback" not in done.stderr
    assert (tmp_path / "bad.failed.ipynb").is_file()


def test_render_command(tmp_path):
    import nbformat
    from nbformat.v4 import new_markdown_cell, new_notebook

    ipynb = tmp_path / "out.ipynb"
    nbformat.write(new_notebook(cells=[new_markdown_cell("# Rendered\n\n## Part")]), ipynb)
    done = litscope_cli("render", str(ipynb), "--no-pdf")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out.html").is_file() and not (tmp_path / "out.pdf").exists()
    done = litscope_cli("render", str(tmp_path / "missing.ipynb"), "--no-pdf")
    assert done.returncode == 1 and done.stderr.startswith("error: ")
    assert "missing.ipynb" in done.stderr and "Traceback" not in done.stderr


def test_interrupt_exits_130_and_errors_exit_1(monkeypatch, capsys):
    from litscope import cli
    from litscope.errors import RenderError

    def interrupted(args):
        raise KeyboardInterrupt

    def broken(args):
        raise RenderError("Chromium failed\nsecond line")

    monkeypatch.setattr(cli, "_cmd_formats", interrupted)
    assert cli.main(["formats"]) == 130
    assert "interrupted" in capsys.readouterr().err
    monkeypatch.setattr(cli, "_cmd_formats", broken)
    assert cli.main(["formats"]) == 1
    assert capsys.readouterr().err == "error: Chromium failed second line\n"
