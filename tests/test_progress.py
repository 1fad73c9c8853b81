"""Progress: bars and stages written to $LITSCOPE_PROGRESS, drawn by the Relay, kept out of notebooks."""

from __future__ import annotations

import io
import json
import threading
import time
from pathlib import Path

import nbformat
import pytest

from litscope import progress
from litscope.execute import run_review
from litscope.timing import StageTimer

NOTEBOOKS = Path(__file__).parent / "notebooks"


def _events(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def progress_path(tmp_path, monkeypatch):
    path = tmp_path / "progress.jsonl"
    monkeypatch.setenv(progress.ENV_VAR, str(path))
    return path


def test_bar_writes_throttled_lines_and_a_final_close(progress_path, capsys):
    with progress.bar(total=400, desc="Embedding", unit="text") as b:
        start = time.monotonic()
        for _ in range(400):
            b.update(1)
            time.sleep(0.002)
        elapsed = time.monotonic() - start
    events = _events(progress_path)
    assert all(e["kind"] == "bar" and e["desc"] == "Embedding" and e["unit"] == "text"
               for e in events)
    assert len({e["id"] for e in events}) == 1
    states = [e["state"] for e in events]
    assert states[0] == "open" and states[-1] == "close" and states.count("close") == 1
    updates = states.count("update")
    assert 1 <= updates <= elapsed / progress.WRITE_INTERVAL + 2  # ≤ ~4 a second
    final = events[-1]
    assert final["n"] == 400 and final["total"] == 400 and final["rate"] > 0
    assert {"t", "kind", "id", "desc", "n", "total", "unit", "rate", "state"} <= set(final)
    times = [e["t"] for e in events if e["state"] == "update"]
    assert all(b - a >= progress.WRITE_INTERVAL - 0.05 for a, b in zip(times, times[1:]))
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""  # relayed bars draw nothing themselves


def test_iterating_a_bar_and_breaking_out_still_closes(progress_path):
    for i in progress.bar(range(100), desc="Loading", unit="file"):
        if i == 9:
            break
    events = _events(progress_path)
    assert events[-1]["state"] == "close" and events[-1]["n"] == 9


def test_disabled_bar_writes_nothing(progress_path):
    assert list(progress.bar(range(3), desc="Off", disable=True)) == [0, 1, 2]
    assert not progress_path.exists()


def test_stage_events_and_stage_timer(progress_path):
    timer = StageTimer()
    with timer("load"):
        pass
    with pytest.raises(ValueError):
        with progress.stage("topics"):
            raise ValueError("boom")
    events = _events(progress_path)
    assert [(e["kind"], e["name"], e["state"]) for e in events] == [
        ("stage", "load", "start"), ("stage", "load", "end"),
        ("stage", "topics", "start"), ("stage", "topics", "end")]
    assert events[1]["seconds"] >= 0 and "error" not in events[1]
    assert events[3]["error"] is True
    assert timer.frame()["stage"].tolist() == ["load"]


def test_without_the_env_var_only_plain_tqdm(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv(progress.ENV_VAR, raising=False)
    monkeypatch.chdir(tmp_path)
    with progress.stage("load"):
        for _ in progress.bar(range(3), desc="Plain", unit="file", leave=True):
            pass
    assert list(tmp_path.iterdir()) == []
    err = capsys.readouterr().err
    assert "Plain" in err and "3/3" in err  # tqdm on stderr, nothing else
    assert "load" not in err


def test_relay_draws_a_file_written_concurrently(progress_path):
    out = io.StringIO()

    def kernel():
        with progress.stage("embed"):
            with progress.bar(total=50, desc="Embedding", unit="text") as b:
                for _ in range(50):
                    time.sleep(0.01)
                    b.update(1)
        for _ in range(2):  # two parts of one stage make one line
            with progress.stage("figures"):
                time.sleep(0.05)

    with progress.Relay(progress_path, stream=out, live=True, interval=0.05) as relay:
        relay.cell(1, 2)
        worker = threading.Thread(target=kernel)
        worker.start()
        worker.join()
        relay.cell(2, 2)
    text = out.getvalue()
    lines = [line.strip("\r ") for line in text.replace("\r", "\n").splitlines()]
    assert "▶ embed" in lines and "▶ figures" in lines
    assert lines.count("▶ figures") == 1
    assert any(line.startswith("✓ embed ") and line.endswith(" s") for line in lines)
    assert sum(line.startswith("✓ figures ") for line in lines) == 1
    assert any(line.startswith("Embedding: 50/50 text in ") for line in lines)
    assert "Embedding:" in text and "text/s" in text  # the live bar's frames
    assert "cell 2/2" in text  # the status line


def test_relay_skips_garbage_and_partial_lines(tmp_path):
    path = tmp_path / "p.jsonl"
    out = io.StringIO()
    relay = progress.Relay(path, stream=out, live=False)
    assert relay.poll() == 0  # no file yet
    with path.open("w", encoding="utf-8") as fh:
        fh.write('garbage\n[1, 2]\n{"kind": "stage", "name": "lo')
    assert relay.poll() == 0
    with path.open("a", encoding="utf-8") as fh:
        fh.write('ad", "state": "start"}\n\x00\xff{"kind": "nope"}\n')
        fh.write('{"kind": "bar", "id": 1, "desc": "Loading", "n": 2, "total": 2, "state": "close"}')
    relay.stop()  # drains the last line, which has no newline
    assert out.getvalue().splitlines() == ["▶ load", "  Loading: 2/2 it in 0.0 s"]


def test_review_relays_the_kernel_and_keeps_the_notebook_clean(tmp_path, capsys):
    out = run_review(None, name="progress", notebook=NOTEBOOKS / "progress_cells.ipynb",
                     reports_dir=tmp_path / "reports", pdf=False, progress=True)
    err = capsys.readouterr().err
    lines = err.splitlines()
    for expected in ("▶ count", "▶ figures"):
        assert expected in lines
    assert any(line.startswith("✓ count ") for line in lines)
    assert sum(line.startswith("✓ figures ") for line in lines) == 1
    assert any(line.startswith("  Counting: 40/40 item in ") for line in lines)
    assert any(line.startswith("  Drawing: 3/3 figure in ") for line in lines)
    assert "%|" not in err  # no papermill (or other) tqdm bar when not in a terminal

    nb = nbformat.read(out.notebook, as_version=4)
    outputs = json.dumps([c.get("outputs", []) for c in nb.cells])
    assert "counted 40" in outputs
    for noise in ("Counting", "Drawing", "%|", "it/s", "IProgress", "HBox"):
        assert noise not in outputs
    assert not any(o.get("name") == "stderr" for c in nb.cells for o in c.get("outputs", []))
    html = out.html.read_text(encoding="utf-8")
    assert "Counting" not in html and "Drawing" not in html
    assert sorted(p.name for p in out.output_dir.iterdir()) == ["review.html", "review.ipynb"]
    assert progress.ENV_VAR not in __import__("os").environ


def test_quiet_review_prints_nothing_and_still_keeps_bars_out(tmp_path, capsys):
    out = run_review(None, name="quiet", notebook=NOTEBOOKS / "progress_cells.ipynb",
                     reports_dir=tmp_path / "reports", pdf=False, progress=False)
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""
    outputs = json.dumps([c.get("outputs", []) for c in nbformat.read(out.notebook, 4).cells])
    assert "Counting" not in outputs and "%|" not in outputs


def test_kernel_bar_is_a_widget_or_quiet_text(monkeypatch, recwarn):
    from tqdm.notebook import tqdm as notebook_tqdm
    from tqdm.std import tqdm as std_tqdm

    monkeypatch.delenv(progress.ENV_VAR, raising=False)
    monkeypatch.setattr(progress, "_in_kernel", lambda: True)
    monkeypatch.setattr(progress, "_widgets", False)  # a kernel without ipywidgets
    b = progress.bar(total=2, desc="Text", disable=True)
    assert type(b) is std_tqdm
    b.close()
    assert not [w for w in recwarn if "IProgress" in str(w.message)]
    monkeypatch.setattr(progress, "_widgets", True)
    b = progress.bar(total=2, desc="Widget", disable=True)
    assert isinstance(b, notebook_tqdm)
    b.close()
