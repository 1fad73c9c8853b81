"""A living review (issue 11): part of a corpus reviewed, then all of it, under the same name.

The export file keeps its name and grows, as a monthly re-export does: the first run reads the
first 40 records of a Scopus CSV export (tests/fixtures/csv_exports/litstudy_scopus.csv, see
PROVENANCE.txt), the second all 58. Both runs go through ``litscope.execute.run_review`` (the
partial folder, then the swap that archives the previous report), with the static embedder and
k-means (the model is not the point here). What the second report says is checked against the
export's rows and the two runs' papers.csv, by the rules the report states, worked out here.
"""

from __future__ import annotations

import csv
import html as html_lib
import json
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import FIXTURES

SCOPUS = FIXTURES / "csv_exports" / "litstudy_scopus.csv"
FIRST = 40
PARAMS = {"embedder": "static", "n_topics": 3, "cache": False}


def _write_rows(path: Path, count: int | None) -> list[list[str]]:
    with open(SCOPUS, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    kept = rows[: 1 + count] if count is not None else rows
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(kept)
    return kept


def _title_key(title: str) -> str:
    return " ".join(html_lib.unescape(title).split()).lower()


def _papers(folder: Path) -> list[dict[str, str]]:
    with open(folder / "papers.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _table_after(soup: BeautifulSoup, heading: str) -> list[list[str]] | None:
    h = soup.find("h3", string=lambda s: s is not None and s.strip() == heading)
    if h is None:
        return None
    table = h.find_next("table")
    return [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in table.find("tbody").find_all("tr")]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    from litscope.execute import run_review

    folder = tmp_path_factory.mktemp("living")
    exports, reports = folder / "exports", folder / "reports"
    exports.mkdir()
    export = exports / "scopus.csv"
    header, *first_rows = _write_rows(export, FIRST)
    first = run_review([str(export)], name="living", reports_dir=reports, params=PARAMS, pdf=False, progress=False)
    first_html = Path(first.html).read_text(encoding="utf-8")
    finished = json.loads((first.output_dir / "snapshot" / "run.json").read_text(encoding="utf-8"))["finished"]
    header, *all_rows = _write_rows(export, None)  # the new export of the same search
    second = run_review([str(export)], name="living", reports_dir=reports, params=PARAMS, pdf=False, progress=False)
    title = header.index("Title")
    new_titles = [r[title] for r in all_rows[FIRST:]]
    soup = BeautifulSoup(Path(second.html).read_text(encoding="utf-8"), "html.parser")
    return reports / "living", first_html, finished, new_titles, soup


def test_the_first_report_is_archived_under_history(runs):
    report, first_html, finished, _, _ = runs
    history = sorted((report / "history").iterdir())
    assert len(history) == 1
    archived = history[0]
    assert archived.name == finished[:19].replace(":", "-") + "Z"  # DATE: when that run finished, UTC
    assert (archived / "review.html").read_text(encoding="utf-8") == first_html
    assert len(_papers(archived)) == FIRST
    assert len(_papers(report)) == FIRST + 18
    assert "What's new since" not in first_html  # a first run has nothing to compare with


def test_the_report_opens_with_what_is_new_since_the_first_run(runs):
    from litscope.living import format_since

    _, _, finished, new_titles, soup = runs
    headings = [h.get_text(" ", strip=True) for h in soup.find("main").find_all("h2")]
    assert headings[1] == f"What's new since {format_since(finished)}"  # right after the scope
    summary = soup.find("h2", string=lambda s: s and s.startswith("What's new")).find_next("p").get_text(" ")
    assert f"{len(new_titles)} new papers, 0 papers removed" in " ".join(summary.split())


def test_the_report_lists_exactly_the_new_papers(runs):
    _, _, _, new_titles, soup = runs
    rows = _table_after(soup, "New papers")
    assert rows is not None and len(rows) == len(new_titles) == 18
    # columns: #, New paper, Year, Topic; the # is the paper's number in this report's references
    assert sorted(_title_key(r[1]) for r in rows) == sorted(_title_key(t) for t in new_titles)
    refs = [int(r[0]) for r in rows]
    assert len(set(refs)) == len(refs) and all(1 <= n <= FIRST + 18 for n in refs)
    assert _table_after(soup, "Removed papers") is None


def _expected_topics(before: list[dict[str, str]], after: list[dict[str, str]]) -> tuple[dict, set]:
    """Each current topic's status and predecessors, and the papers that moved, by the stated rules."""
    old = {r["id"]: int(r["topic"]) for r in before}
    new = {r["id"]: int(r["topic"]) for r in after}
    old_labels = {int(r["topic"]): r["topic_label"] for r in before if int(r["topic"]) != -1}
    new_labels = {int(r["topic"]): r["topic_label"] for r in after if int(r["topic"]) != -1}
    old_size, new_size = Counter(old.values()), Counter(new.values())
    successor = {}
    for topic in old_labels:
        kept = [new[i] for i, t in old.items() if t == topic and i in new]  # its papers still in the corpus
        assigned = Counter(t for t in kept if t != -1)
        if assigned:
            best = min(assigned, key=lambda t: (-assigned[t], t))  # ties: the lower topic number
            if assigned[best] >= 0.5 * len(kept):  # holding at least half of them
                successor[topic] = best
    status = {}
    for topic, label in new_labels.items():
        before_ = sorted(old_labels[t] for t, s in successor.items() if s == topic)
        if not before_:
            what = "appeared"
        elif len(before_) > 1:
            what = "merged"
        else:
            prev = next(t for t, s in successor.items() if s == topic)
            change = new_size[topic] - old_size[prev]
            big = abs(change) >= 2 and abs(change) >= 0.1 * old_size[prev]
            what = ("grew" if change > 0 else "shrank") if big else "stable"
        status[label] = (what, before_)
    moved = {r["title"] for r in after if r["id"] in old and old[r["id"]] != -1
             and new[r["id"]] != successor.get(old[r["id"]], -2)}
    moved |= {r["title"] for r in after if r["id"] in old and old[r["id"]] == -1 and new[r["id"]] != -1}
    return status, moved


def test_topics_are_matched_between_the_runs_by_their_papers(runs):
    report, _, _, _, soup = runs
    before, after = _papers(sorted((report / "history").iterdir())[0]), _papers(report)
    status, moved = _expected_topics(before, after)
    rows = _table_after(soup, "Topics")
    # columns: Topic now, Change, Matched topic(s) then, Papers then, Papers now, Shared papers, similarity
    shown = {r[0]: (r[1], sorted(filter(None, (p.strip() for p in r[2].split(";"))))) for r in rows
             if r[1] != "disappeared"}
    assert shown == status
    assert any(what != "appeared" for what, _ in status.values())  # the runs' topics were matched
    changed = _table_after(soup, "Papers that changed topic")
    assert {r[0] for r in changed or []} == moved
