"""litscope batch without a kernel: review files, the exit status, the index page, the command line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from litscope.batch import collect_review_files, exit_status, read_review_file, write_index
from litscope.batch.run import ReviewRun
from litscope.cli import build_parser
from litscope.errors import ParameterError


def test_review_file_inputs_are_taken_from_its_folder(tmp_path):
    (tmp_path / "sub").mkdir()
    f = tmp_path / "sub" / "r.yaml"
    f.write_text("name: llm\ninputs: [exports/*.ris, /abs/x.csv]\nn_topics: 6\nresearch_question: Why?\n")
    spec = read_review_file(f)
    assert spec.name == "llm" and spec.params == {"n_topics": 6, "research_question": "Why?"}
    assert spec.inputs == [str(tmp_path / "sub" / "exports" / "*.ris"), "/abs/x.csv"]


@pytest.mark.parametrize("text, message", [
    ("inputs: [a.ris]\n", "needs 'name"),
    ("name: x\n", "needs 'inputs:'"),
    ("name: x\ninputs: []\n", "needs 'inputs:'"),
    ("name: x\ninputs: [1, 2]\n", "needs 'inputs:'"),
    ("- a\n- b\n", "must be a YAML mapping"),
])
def test_bad_review_files_are_refused_with_the_file_named(tmp_path, text, message):
    f = tmp_path / "bad.yaml"
    f.write_text(text)
    with pytest.raises(ParameterError, match=message) as info:
        read_review_file(f)
    assert str(f) in str(info.value)


def test_folders_and_files_are_collected_once_in_order(tmp_path):
    for name in ("b.yaml", "a.yml", "notes.txt"):
        (tmp_path / name).write_text("name: x\ninputs: [x]\n")
    got = collect_review_files([tmp_path, tmp_path / "b.yaml"])
    assert [p.name for p in got] == ["a.yml", "b.yaml"]
    with pytest.raises(ParameterError, match="no such review file"):
        collect_review_files([tmp_path / "missing.yaml"])
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ParameterError, match="no review files"):
        collect_review_files([empty])


def test_exit_status_counts_failures_up_to_125():
    ok, bad = ReviewRun(Path("a"), "a", "ok"), ReviewRun(Path("b"), "b", "failed")
    assert exit_status([ok, ok]) == 0
    assert exit_status([ok, bad, bad]) == 2
    assert exit_status([bad] * 200) == 125


def test_index_lists_every_report_escaped_and_self_contained(tmp_path):
    reports = tmp_path / "reports"
    good = reports / "good"
    (good / "history" / "2026-01-01T00-00-00Z").mkdir(parents=True)
    (good / "review.html").write_text("x" * 2048)
    (good / "review.pdf").write_text("pdf")
    (good / "topics.csv").write_text("topic,label,size\n0,'=Agents <b>,3\n1,Vision,2\n")
    (good / "papers.csv").write_text("ref,title\n1,a\n2,b\n3,c\n")
    older = reports / "older"  # published earlier, not part of this batch
    older.mkdir()
    (older / "review.html").write_text("<html></html>")
    (reports / ".drafts").mkdir()
    (reports / "bad<x>.failed.ipynb").write_text("{}")
    runs = [ReviewRun(Path("g.yaml"), "good", "ok"),
            ReviewRun(Path("b.yaml"), "bad<x>", "failed", error="cell 3 raised <ValueError>")]

    page = write_index(reports, runs).read_text(encoding="utf-8")

    assert page.count("<tr>") == 4  # header + good + older + bad<x>
    assert '<a href="good/review.html">good</a>' in page and 'href="good/review.pdf"' in page
    assert 'href="good/history/">1 earlier run</a>' in page
    assert "=Agents &lt;b&gt;; Vision" in page and "<b>" not in page  # csv quote undone, then escaped
    assert "2.0 KB" in page and ">3</td>" in page
    assert "bad&lt;x&gt;" in page and "cell 3 raised &lt;ValueError&gt;" in page
    assert 'href="bad%3Cx%3E.failed.ipynb"' in page
    assert "not in this batch" in page and ".drafts" not in page
    # self-contained: no script, no stylesheet link, no absolute URL
    assert not re.search(r"<script|<link|https?://|src=", page)


def test_batch_command_line():
    args = build_parser().parse_args(["batch", "reviews/", "extra.yaml", "--no-pdf", "-q"])
    assert args.command == "batch" and args.files == ["reviews/", "extra.yaml"] and args.no_pdf and args.quiet
    assert not args.fresh_kernels


def test_batch_of_a_missing_file_is_a_one_line_error(tmp_path, capsys):
    from litscope.cli import main

    assert main(["batch", str(tmp_path / "nope.yaml")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "no such review file" in err and err.count("\n") == 1


def test_dask_address_reaches_every_review_unless_its_file_sets_one(tmp_path, monkeypatch):
    import litscope.execute
    from litscope.batch import run_batch
    from litscope.execute import ReviewOutputs

    (tmp_path / "a.yaml").write_text("name: a\ninputs: [x.ris]\n")
    (tmp_path / "b.yaml").write_text("name: b\ninputs: [x.ris]\ndask: tcp://other:8786\n")
    seen = {}

    def fake_run_review(inputs, *, name, params, reports_dir, **kw):  # records what the batch passes
        seen[name] = params
        out = reports_dir / name
        out.mkdir(parents=True)
        return ReviewOutputs(output_dir=out, notebook=out / "review.ipynb", html=out / "review.html")

    monkeypatch.setattr(litscope.execute, "run_review", fake_run_review)
    result = run_batch([tmp_path], reports_dir=tmp_path / "reports", dask="local", share_kernel=False,
                       log=lambda _: None)
    assert result.failed == 0
    assert seen == {"a": {"dask": "local"}, "b": {"dask": "tcp://other:8786"}}
    assert build_parser().parse_args(["batch", "r/", "--dask", "local"]).dask == "local"
