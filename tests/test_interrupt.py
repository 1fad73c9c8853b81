"""Issue 8, item 3: Ctrl-C stops a review with exit 130 and leaves nothing behind.

Each test runs ``litscope review`` as a real subprocess on the slow notebook in
tests/notebooks/ (its cell starts a child process, writes the pids, then sleeps), sends
the signal once the kernel works, and checks what is left: the exit status, the previous
report byte for byte, and no kernel, kernel child, Chromium, partial folder or profile.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from litscope import paths

NOTEBOOKS = Path(__file__).parent / "notebooks"
SLOW = NOTEBOOKS / "slow_cell.ipynb"
OK = NOTEBOOKS / "params_ok.ipynb"
STOP_WITHIN = 15  # seconds from the signal to the "interrupted" line (cleanup done)


def _alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie has finished: it only waits to be reaped)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False


def _wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _kill_quietly(*pids: int, group: bool = False) -> None:
    for pid in pids:
        try:
            (os.killpg if group else os.kill)(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


@pytest.fixture
def env(tmp_path):
    tmp = tmp_path / "tmp"  # private TMPDIR: Chromium profiles are looked for here
    tmp.mkdir()
    return dict(os.environ, LITSCOPE_REPORTS=str(tmp_path / "reports"), TMPDIR=str(tmp),
                LITSCOPE_PROGRESS="")


@pytest.fixture
def previous(tmp_path):
    """A published report whose bytes must survive an interrupted run."""
    old = tmp_path / "reports" / "slow"
    old.mkdir(parents=True)
    (old / "review.html").write_bytes(b"<h1>the previous report</h1>\n")
    (old / "papers.csv").write_bytes(b"id,title\nold,Old paper\n")
    return {p.name: p.read_bytes() for p in old.iterdir()}


def _start(env: dict, *extra: str, name: str = "slow", notebook: Path = SLOW,
           ignore_sigint: bool = False) -> subprocess.Popen:
    args = [sys.executable, "-m", "litscope", "review", str(paths.sample_corpus()),
            "--name", name, "--notebook", str(notebook), *extra]
    preexec = (lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if ignore_sigint else None
    # Its own process group, as a shell gives a job: the test can signal the group the way
    # a terminal's Ctrl-C does, and stray processes cannot hit pytest.
    return subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True, preexec_fn=preexec)


def _kernel_pids(reports: Path, name: str = "slow") -> tuple[int, int]:
    def read():
        for found in reports.glob(f".{name}.partial-*/pids.txt"):
            text = found.read_text().split()
            if len(text) == 2:
                return tuple(int(t) for t in text)
        return None
    return _wait_for(read, 120, "the kernel to start the slow cell")


def _finish(proc: subprocess.Popen, sent: float) -> tuple[int, str, float]:
    """Exit status, stderr, and seconds from the signal to the "interrupted" line.

    The line comes once the run has cleaned up; the interpreter's own exit after it is
    not counted (it can take seconds more on a loaded machine, as any exit does).
    """
    lines: list[tuple[float, str]] = []

    def read() -> None:
        for line in proc.stderr:
            lines.append((time.monotonic(), line))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        proc.wait(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        reader.join(10)
        raise AssertionError("the run did not stop after the signal:\n"
                             + "".join(line for _, line in lines)) from None
    reader.join(10)
    stopped = next((t for t, line in lines if line.strip() in ("interrupted", "terminated")),
                   float("inf"))
    return proc.returncode, "".join(line for _, line in lines), stopped - sent


def _assert_clean(tmp_path: Path, previous: dict, *pids: int) -> None:
    reports = tmp_path / "reports"
    assert {p.name: p.read_bytes() for p in (reports / "slow").iterdir()} == previous
    assert sorted(p.name for p in reports.iterdir()) == ["slow"]  # no partial, no failed copy
    assert list((tmp_path / "tmp").iterdir()) == []  # no progress file, no Chromium profile
    _wait_for(lambda: not any(_alive(pid) for pid in pids), 5, "the run's processes to end")


@pytest.mark.parametrize("background", [False, True], ids=["ctrl-c", "background-job"])
def test_ctrl_c_during_the_notebook_exits_130_and_keeps_the_previous_report(
        tmp_path, env, previous, background):
    # background: started as `litscope review ... &` by a script, which inherits SIGINT
    # ignored; `kill -INT` must still stop it (it used to run on and publish, exit 0).
    proc = _start(env, "--no-pdf", ignore_sigint=background)
    kernel = child = 0
    try:
        kernel, child = _kernel_pids(tmp_path / "reports")
        sent = time.monotonic()
        if background:
            os.kill(proc.pid, signal.SIGINT)
        else:
            os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
        code, err, took = _finish(proc, sent)
        assert code == 130, err
        assert took < STOP_WITHIN
        assert err.rstrip().endswith("interrupted") and "Traceback" not in err, err
        _assert_clean(tmp_path, previous, kernel, child)
    finally:
        _kill_quietly(kernel, child)


def _fake_chromium(tmp_path: Path) -> tuple[Path, Path]:
    """A "Chromium" that notes its pid and profile, then hangs, as a stuck print would."""
    pid_file = tmp_path / "chromium.pid"
    exe = tmp_path / "fake-chromium"
    exe.write_text("#!/bin/sh\n"
                   f"echo \"$$ $*\" > {pid_file}\n"
                   "sleep 300\n")  # not exec: the shell, with its arguments, is the pid noted
    exe.chmod(0o755)
    return exe, pid_file


def _chromium_pid(pid_file: Path) -> int:
    return int(_wait_for(lambda: pid_file.is_file() and pid_file.read_text().split()[:1],
                         120, "Chromium to start")[0])


def test_ctrl_c_while_printing_the_pdf_leaves_no_chromium(tmp_path, env, previous):
    exe, pid_file = _fake_chromium(tmp_path)
    proc = _start(dict(env, LITSCOPE_CHROMIUM=str(exe)), "-p", "seconds=0")
    chromium = 0
    try:
        chromium = _chromium_pid(pid_file)
        sent = time.monotonic()
        os.killpg(proc.pid, signal.SIGINT)
        code, err, took = _finish(proc, sent)
        assert code == 130 and took < STOP_WITHIN, err
        _assert_clean(tmp_path, previous, chromium)
    finally:
        _kill_quietly(chromium, group=True)


def test_a_later_run_removes_the_debris_of_a_killed_run(tmp_path, env):
    exe, pid_file = _fake_chromium(tmp_path)
    reports, tmp = tmp_path / "reports", tmp_path / "tmp"
    proc = _start(dict(env, LITSCOPE_CHROMIUM=str(exe)), "-p", "seconds=0")
    chromium = 0
    try:
        chromium = _chromium_pid(pid_file)
        os.killpg(proc.pid, signal.SIGKILL)  # no chance to clean up: kill -9, power cut, OOM
        proc.communicate()
        assert list(reports.glob(".slow.partial-*")), "the killed run should leave debris"
        assert list(tmp.glob("litscope-chromium-*"))
        assert _alive(chromium)

        debris = set(reports.glob(".slow.partial-*"))
        # A run of the same report that is still going is not debris: it keeps its folder.
        running = _start(env, "--no-pdf")
        running_pids = _wait_for(lambda: [p for p in reports.glob(".slow.partial-*/pids.txt")
                                          if p.parent not in debris and p.read_text().strip()],
                                 120, "the second run's kernel")
        running_folder = running_pids[0].parent
        running_pids = [int(t) for t in running_pids[0].read_text().split()]
        try:
            done = subprocess.run(
                [sys.executable, "-m", "litscope", "review", str(paths.sample_corpus()),
                 "--name", "slow", "--notebook", str(OK), "--no-pdf", "--quiet"],
                env=env, capture_output=True, text=True, timeout=300)
            assert done.returncode == 0, done.stderr
            assert set(reports.glob(".slow.partial-*")) == {running_folder}
        finally:
            os.killpg(running.pid, signal.SIGINT)
            running.communicate(timeout=60)
            _kill_quietly(*running_pids)
        assert not list(reports.glob(".slow.partial-*"))
        assert not list(tmp.glob("litscope-chromium-*"))
        _wait_for(lambda: not _alive(chromium), 5, "the orphaned Chromium to be stopped")
    finally:
        _kill_quietly(chromium, group=True)


def test_sigterm_is_an_interrupt_too_with_exit_143(monkeypatch, capsys):
    # `kill PID` (SIGTERM) unwinds the same way, so it cleans up as Ctrl-C does.
    from litscope import cli

    def terminated(args):
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # the handler raises before this ends
        raise AssertionError("SIGTERM was not turned into an interrupt")

    monkeypatch.setattr(cli, "_cmd_formats", terminated)
    before = signal.getsignal(signal.SIGTERM)
    assert cli.main(["formats"]) == 143
    assert capsys.readouterr().err.strip() == "terminated"
    assert signal.getsignal(signal.SIGTERM) is before  # the handlers are put back
