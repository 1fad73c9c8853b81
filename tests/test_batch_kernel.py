"""litscope batch runs every review in one kernel: same process, clean namespace, own folder each.

The fast test runs tests/notebooks/batch_probe.ipynb (no model); the slow ones load MiniLM
(in the probe, then in the real review notebook) and check it is loaded once per batch.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from litscope import paths
from litscope.batch import run_batch

PROBE = Path(__file__).parent / "notebooks" / "batch_probe.ipynb"


def _write(folder: Path, name: str, text: str) -> Path:
    f = folder / f"{name}.yaml"
    f.write_text(text)
    return f


@pytest.fixture
def corpus(tmp_path):
    (tmp_path / "in.txt").write_text(paths.sample_corpus().read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path / "in.txt"


def test_reviews_share_one_kernel_and_a_failure_does_not_stop_the_rest(tmp_path, corpus):
    _write(tmp_path, "1-first", "name: first\ninputs: [in.txt]\n")
    _write(tmp_path, "2-broken", "name: broken\ninputs: [in.txt]\nfail: true\n")
    _write(tmp_path, "3-typo", "name: typo\ninputs: [in.txt]\nn_topicz: 3\n")  # refused before running
    _write(tmp_path, "4-last", "name: last\ninputs: [in.txt]\n")
    reports = tmp_path / "reports"

    result = run_batch([tmp_path], reports_dir=reports, pdf=False, progress=False, notebook=PROBE,
                       log=lambda _: None)

    assert [(r.name, r.status) for r in result.runs] == [
        ("first", "ok"), ("broken", "failed"), ("typo", "failed"), ("last", "ok")]
    assert result.failed == 2 and result.kernel_starts == 1
    assert "planned failure of broken" in result.runs[1].error
    assert "unknown parameter 'n_topicz'" in result.runs[2].error
    first = json.loads((reports / "first" / "seen.json").read_text())
    last = json.loads((reports / "last" / "seen.json").read_text())
    assert first["pid"] == last["pid"] == result.runs[0].kernel_pid  # one kernel process
    assert last["leftover"] is None  # the earlier reviews' variables were reset
    assert ".last.partial-" in last["publish"] and ".first.partial-" in first["publish"]  # env per review
    assert first["inputs"] == last["inputs"] == [str(corpus)]
    assert (reports / "broken.failed.ipynb").is_file() and not (reports / "broken").exists()
    page = (reports / "index.html").read_text(encoding="utf-8")
    for name in ("first", "last"):
        assert f'<a href="{name}/review.html">{name}</a>' in page
    assert "planned failure of broken" in page and "Probe topic" in page


def test_a_rerun_in_the_batch_archives_the_previous_report(tmp_path, corpus):
    f = _write(tmp_path, "r", "name: again\ninputs: [in.txt]\n")
    reports = tmp_path / "reports"
    run_batch([f], reports_dir=reports, pdf=False, progress=False, notebook=PROBE, log=lambda _: None)
    result = run_batch([f], reports_dir=reports, pdf=False, progress=False, notebook=PROBE, log=lambda _: None)
    assert result.failed == 0
    history = list((reports / "again" / "history").iterdir())
    assert len(history) == 1 and (history[0] / "seen.json").is_file()
    assert "1 earlier run" in (reports / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_model_is_loaded_once_for_the_whole_batch(tmp_path, corpus):
    for name in ("a", "b", "c"):
        _write(tmp_path, name, f"name: {name}\ninputs: [in.txt]\nload_model: true\n")
    result = run_batch([tmp_path], reports_dir=tmp_path / "reports", pdf=False, progress=False,
                       notebook=PROBE, log=lambda _: None)
    assert result.failed == 0
    assert [r.model_loads for r in result.runs] == [1, 0, 0]
    assert [r.model_reuses for r in result.runs] == [0, 1, 1]
    assert result.runs[0].model_load_seconds > 0 and result.runs[1].model_load_seconds == 0
    sums = {json.loads((tmp_path / "reports" / n / "seen.json").read_text())["vector_sum"] for n in "abc"}
    assert len(sums) == 1  # the shared model gives the same vector
    # with a fresh kernel per review, each loads its own
    fresh = run_batch([tmp_path / "a.yaml"], reports_dir=tmp_path / "r2", pdf=False, progress=False,
                      notebook=PROBE, share_kernel=False, log=lambda _: None)
    assert fresh.failed == 0 and fresh.kernel_starts == 0


@pytest.mark.slow
def test_two_review_files_two_reports_one_model_load(tmp_path, corpus):
    """The acceptance run: the real review notebook, two parameter files, one kernel."""
    _write(tmp_path, "a", "name: rev-a\ninputs: [in.txt]\ncache: false\n")
    _write(tmp_path, "b", "name: rev-b\ninputs: [in.txt]\ncache: false\nn_topics: 4\nseed: 7\n")
    reports = tmp_path / "reports"
    result = run_batch([tmp_path], reports_dir=reports, pdf=False, progress=False, log=lambda _: None)
    assert [r.status for r in result.runs] == ["ok", "ok"], [r.error for r in result.runs]
    for name in ("rev-a", "rev-b"):
        assert (reports / name / "review.html").is_file() and (reports / name / "papers.csv").is_file()
        stats = json.loads((reports / name / "run_stats.json").read_text())
        assert stats["papers_embedded"] > 0  # cache off: both reviews needed the model
    assert result.runs[0].kernel_pid == result.runs[1].kernel_pid
    assert result.runs[0].model_loads >= 1 and result.runs[1].model_loads == 0
    assert result.runs[1].model_reuses >= 1
    assert result.runs[0].stages["embed"] > 0 and result.runs[1].stages["embed"] > 0
    page = (reports / "index.html").read_text(encoding="utf-8")
    assert 'href="rev-a/review.html"' in page and 'href="rev-b/review.html"' in page
