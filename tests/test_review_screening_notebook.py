"""notebooks/screen.ipynb headless: decisions made through its buttons and its API survive a new kernel.

The notebook is run on a copy of the Kitchenham slice (tests/fixtures/screening, see
PROVENANCE.txt) without its labels. In a first kernel the test clicks Include on the record
shown (ipywidgets' ``Button.click`` runs the same handler as a click in JupyterLab) and calls
``session.decide`` for the next; the kernel is shut down. A second run of the notebook by
papermill, in a new kernel, and a new session in this process both find the two decisions.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pandas as pd
import pytest

from litscope import paths
from litscope.kernels import current_python_kernel_manager
from litscope.screen import ScreenSession
from litscope.screening import read_decisions

FIXTURES = Path(__file__).parent / "fixtures"

pytest.importorskip("ipywidgets")
papermill = pytest.importorskip("papermill")

NOTEBOOK = paths.packaged_notebooks_dir() / "screen.ipynb"
QUESTION = "systematic literature reviews in software engineering"


@pytest.fixture
def export(tmp_path):

    raw = pd.read_csv(FIXTURES / "screening" / "kitchenham_2010_slice.csv", dtype=str, keep_default_na=False)
    path = tmp_path / "records.csv"
    raw.drop(columns=["label_included"]).to_csv(path, index=False)
    return path


def _outputs(nb) -> str:
    return "\n".join(o.get("text", "") or str(o.get("data", {}).get("text/plain", ""))
                     for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))


def test_screen_notebook_decisions_survive_a_new_kernel(tmp_path, export):
    from nbclient import NotebookClient
    from papermill.parameterize import parameterize_notebook

    decisions = tmp_path / "decisions.csv"
    parameters = {"inputs": [str(export)], "decisions": str(decisions), "research_question": QUESTION,
                  "reviewer": "tester"}
    from papermill.execute import prepare_notebook_metadata

    # As papermill prepares and parameterizes it; then executed cell by cell in a kernel the test holds.
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.metadata["papermill"] = {}
    for cell in nb.cells:
        cell.metadata.setdefault("tags", [])
    nb = parameterize_notebook(prepare_notebook_metadata(nb, str(NOTEBOOK), ""), parameters)
    client = NotebookClient(nb, kernel_name="python3", kernel_manager_class=current_python_kernel_manager(),
                            timeout=600, resources={"metadata": {"path": str(tmp_path)}})
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        # The record on screen, included with one click (a reason typed first); the next, excluded by the API.
        drive = nbformat.v4.new_code_cell(
            "first = session.next()['id']\n"
            "reason_box, buttons = screener.children[2], screener.children[3].children\n"
            "reason_box.value = 'tertiary study'\n"
            "buttons[0].click()\n"
            "second = session.next()['id']\n"
            "session.decide(second, 'exclude', reason='not a review')\n"
            "print('decided', first, second)")
        nb.cells.append(drive)
        client.execute_cell(drive, len(nb.cells) - 1)
    printed = "".join(o.get("text", "") for o in drive.outputs)
    assert printed.startswith("decided "), drive.outputs
    first, second = printed.split()[1:3]
    assert first != second

    # The file says so at once (the kernel is gone).
    table = read_decisions(decisions).set_index("id")
    assert table.loc[first, ["decision", "reason", "reviewer"]].tolist() == ["include", "tertiary study", "tester"]
    assert table.loc[second, ["decision", "reason"]].tolist() == ["exclude", "not a review"]
    assert (table["decision"] != "").sum() == 2

    # A new kernel: papermill runs the notebook again; it continues where the first stopped.
    out = papermill.execute_notebook(str(NOTEBOOK), str(tmp_path / "again.ipynb"), parameters=parameters,
                                     kernel_name="python3", progress_bar=False, cwd=str(tmp_path),
                                     kernel_manager_class=current_python_kernel_manager())
    text = _outputs(out)
    assert "2 of 150 decided (1 include, 1 exclude, 0 maybe)" in text
    assert first not in text and second not in text  # no longer in the queue shown

    # And a new session in this process.
    again = ScreenSession.from_inputs([str(export)], decisions, question=QUESTION)
    assert again.counts() == {"include": 1, "exclude": 1, "maybe": 0, "undecided": 148}
    assert {first, second}.isdisjoint(set(again.queue()["id"]))


def test_a_new_session_orders_the_question_first_and_learns_from_decisions(tmp_path, export):
    session = ScreenSession.from_inputs([str(export)], tmp_path / "d.csv", question=QUESTION, reviewer="ann")
    queue = session.queue()
    assert len(queue) == 150 and list(queue["priority"]) == list(range(1, 151))
    first = session.next()
    assert str(first["id"]) == queue["id"].iloc[0]
    assert "relevance" in session.method
    for pid in queue["id"].iloc[:3]:
        session.decide(pid, "include", reason="on topic")
    for pid in queue["id"].iloc[-3:]:
        session.decide(pid, "exclude", reason="off topic")
    assert len(session.queue()) == 144  # recomputed: the model is trained on the six decisions
    assert "logistic regression" in session.method and "3 included and 3 excluded" in session.method
    assert session.remaining is not None and session.remaining >= 0
