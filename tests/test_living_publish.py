"""Living reviews, the archive: a re-run moves the previous report to reports/NAME/history/DATE/."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from litscope.publish import (HISTORY, archive_previous, list_history, make_partial, run_date,
                              swap_into_place)


def _publish(reports: Path, name: str, files: dict[str, str], finished: str | None = None) -> Path:
    partial = make_partial(reports, name)
    for rel, text in files.items():
        (partial / rel).parent.mkdir(parents=True, exist_ok=True)
        (partial / rel).write_text(text)
    if finished:
        (partial / "snapshot").mkdir(exist_ok=True)
        (partial / "snapshot" / "run.json").write_text(json.dumps({"finished": finished}))
    swap_into_place(partial, reports / name)
    return reports / name


def test_each_rerun_archives_the_previous_report_under_its_date(tmp_path):
    reports = tmp_path / "reports"
    _publish(reports, "r", {"review.html": "run 1"}, finished="2026-01-01T10:00:00+00:00")
    _publish(reports, "r", {"review.html": "run 2"}, finished="2026-02-01T10:00:00+00:00")
    final = _publish(reports, "r", {"review.html": "run 3"}, finished="2026-03-01T10:00:00+00:00")

    assert (final / "review.html").read_text() == "run 3"
    history = list_history(final)
    assert [p.name for p in history] == ["2026-01-01T10-00-00Z", "2026-02-01T10-00-00Z"]
    assert [(p / "review.html").read_text() for p in history] == ["run 1", "run 2"]
    assert not (history[1] / HISTORY).exists()  # one flat level of DATE folders
    assert sorted(p.name for p in reports.iterdir()) == ["r"]  # no .old or .partial left


def test_two_runs_with_the_same_date_do_not_collide(tmp_path):
    reports = tmp_path / "reports"
    same = "2026-01-01T10:00:00+00:00"
    for k in range(3):
        _publish(reports, "r", {"review.html": f"run {k}"}, finished=same)
    names = [p.name for p in list_history(reports / "r")]
    assert names == ["2026-01-01T10-00-00Z", "2026-01-01T10-00-00Z-2"]
    assert (reports / "r" / "history" / "2026-01-01T10-00-00Z-2" / "review.html").read_text() == "run 1"


def test_run_date_falls_back_to_papermill_then_to_the_folder_time(tmp_path):
    report = tmp_path / "rep"
    report.mkdir()
    nb = {"cells": [], "metadata": {"papermill": {"end_time": "2025-05-06T07:08:09.123456"}},
          "nbformat": 4, "nbformat_minor": 5}
    (report / "review.ipynb").write_text(json.dumps(nb))
    assert run_date(report) == "2025-05-06T07-08-09Z"
    (report / "review.ipynb").write_text("not json")
    os.utime(report, (0, 86400 * 365))
    assert run_date(report) == "1971-01-01T00-00-00Z"


def test_failed_archive_keeps_the_new_report_and_the_old_one_whole(tmp_path):
    reports = tmp_path / "reports"
    _publish(reports, "r", {"review.html": "old"}, finished="2026-01-01T10:00:00+00:00")
    partial = make_partial(reports, "r")
    (partial / "review.html").write_text("new")
    (partial / HISTORY).write_text("a file where the history folder goes")  # archiving must fail
    with pytest.warns(UserWarning, match="could not be moved"):
        swap_into_place(partial, reports / "r")
    assert (reports / "r" / "review.html").read_text() == "new"
    kept = [p for p in reports.iterdir() if p.name.startswith(".r.old-")]
    assert len(kept) == 1 and (kept[0] / "review.html").read_text() == "old"


def test_without_history_the_old_report_is_removed(tmp_path):
    reports = tmp_path / "reports"
    _publish(reports, "r", {"review.html": "old"})
    partial = make_partial(reports, "r")
    swap_into_place(partial, reports / "r", keep_history=False)
    assert list(reports.iterdir()) == [reports / "r"] and list((reports / "r").iterdir()) == []


def test_archive_previous_moves_older_runs_along(tmp_path):
    prev = tmp_path / "prev"
    (prev / HISTORY / "2020-01-01T00-00-00Z").mkdir(parents=True)
    (prev / "review.html").write_text("prev")
    final = tmp_path / "final"
    final.mkdir()
    target = archive_previous(prev, final)
    assert not prev.exists()
    assert sorted(p.name for p in (final / HISTORY).iterdir()) == ["2020-01-01T00-00-00Z", target.name]
    assert (target / "review.html").read_text() == "prev"
