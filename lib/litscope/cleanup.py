"""Stopping a run cleanly, and clearing what a killed run left behind.

A review runs two kinds of helper processes in their own sessions: the Jupyter
kernel (and whatever the notebook starts) and headless Chromium. A terminal's
Ctrl-C reaches neither, so :func:`interruptible` turns SIGINT (and SIGTERM) into
:class:`Interrupted` *after* killing their process groups: the run then unwinds
through the usual ``finally`` blocks (temporary folder removed, previous report
untouched) instead of waiting on a kernel that prints tracebacks while it dies.

A run that is killed outright (``kill -9``, out of memory, power cut) cannot
clean up. Each run therefore holds a lock on what it creates (its
``.NAME.partial-*`` folder, its Chromium profile): the next run removes folders
whose lock is free, stopping the orphaned Chromium that still uses such a profile,
and leaves alone those of runs still going.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> parent = Path(tempfile.mkdtemp())
>>> with held(lambda: Path(tempfile.mkdtemp(prefix=".demo.partial-", dir=parent))) as folder:
...     remove_stale(parent, ".demo.partial-*")      # a run still uses it
[]
>>> remove_stale(parent, ".demo.partial-*") == [folder]   # its run is over: debris
True
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; stale folders are then left alone
    fcntl = None  # type: ignore[assignment]

__all__ = ["Interrupted", "interruptible", "track", "untrack", "held", "remove_stale",
           "chromium_profile", "remove_stale_profiles", "PROFILE_PREFIX"]

#: Prefix of the Chromium profiles :func:`chromium_profile` makes in the temporary folder.
PROFILE_PREFIX = "litscope-chromium-"
_OWNER = "litscope-owner"  # file in a profile made by this module: holds Chromium's pid


class Interrupted(KeyboardInterrupt):
    """The run was stopped by a signal; ``signum`` says which (exit status 128 + signum)."""

    def __init__(self, signum: int = signal.SIGINT) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


# --------------------------------------------------------------------------- signals

_procs: set[subprocess.Popen] = set()  # helper processes leading their own process group
# Re-entrant: the signal handler runs in the main thread, possibly inside track().
_procs_lock = threading.RLock()


def track(proc: subprocess.Popen) -> None:
    """Kill ``proc``'s process group (it must lead one) when the run is interrupted."""
    with _procs_lock:
        _procs.add(proc)


def untrack(proc: subprocess.Popen) -> None:
    """Forget ``proc`` (it ended, or was shut down)."""
    with _procs_lock:
        _procs.discard(proc)


def kill_tracked() -> None:
    """SIGKILL the process group of every tracked process that has not been reaped.

    An unreaped child keeps its pid, so its group id cannot have been reused.
    """
    with _procs_lock:
        procs = list(_procs)
    for proc in procs:
        if proc.poll() is not None:
            untrack(proc)
            continue
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            try:
                proc.kill()
            except OSError:
                pass


def _handler(signum: int, frame: object) -> None:
    kill_tracked()
    raise Interrupted(signum)


@contextmanager
def interruptible() -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM kill the tracked processes and raise Interrupted.

    Only in the main thread (where Python delivers signals), and SIGINT only where it is
    not ignored (a host program may ignore it on purpose; the CLI re-enables it), SIGTERM
    only where it has its default action. Nested blocks are free; handlers are restored.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    saved = {}
    for signum, wanted in ((signal.SIGINT, signal.default_int_handler),
                           (signal.SIGTERM, signal.SIG_DFL)):
        current = signal.getsignal(signum)
        if current is wanted:
            saved[signum] = current
            signal.signal(signum, _handler)
    try:
        yield
    finally:
        for signum, previous in saved.items():
            signal.signal(signum, previous)


# --------------------------------------------------------------------------- stale folders

def _lock(fd: int) -> bool:
    """Take an exclusive lock on ``fd`` without waiting; False when another process holds it."""
    if fcntl is None:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError:  # no locking on this file system: the owner cannot be told, so keep it
        return False
    return True


def _claim(path: str | os.PathLike) -> int | None:
    """Open ``path`` and lock it for good; None when a cleaner deleted it first.

    A cleaner may lock a folder in the instant between its creation and this lock; it
    holds the lock only while it deletes, so wait for it, then see whether it is gone.
    """
    fd = os.open(path, os.O_RDONLY)
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:  # no locking here: nothing to race with either
            return fd
    if os.fstat(fd).st_nlink == 0 or not os.path.exists(path):
        os.close(fd)
        return None
    return fd


@contextmanager
def held(make: Callable[[], Path]) -> Iterator[Path]:
    """A new folder from ``make()``, locked for the block: :func:`remove_stale` spares it.

    The lock is on the folder itself, so it follows a rename and ends with the process,
    however that ends.
    """
    for _ in range(10):
        folder = make()
        fd = _claim(folder)
        if fd is not None:
            break
    else:
        raise OSError(f"{folder}: removed as soon as it was made, ten times over")
    try:
        yield folder
    finally:
        os.close(fd)


def remove_stale(parent: str | os.PathLike, pattern: str) -> list[Path]:
    """Remove the folders in ``parent`` matching ``pattern`` whose lock no process holds.

    Returns
    -------
    list of pathlib.Path
        The folders removed.
    """
    removed = []
    try:
        found = sorted(Path(parent).glob(pattern))
    except OSError:
        return removed
    for folder in found:
        if folder.is_symlink() or not folder.is_dir():
            continue
        try:
            fd = os.open(folder, os.O_RDONLY)
        except OSError:
            continue
        try:
            if not _lock(fd):
                continue  # a run still uses it
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
        finally:
            os.close(fd)
    return removed


# --------------------------------------------------------------------------- Chromium

@contextmanager
def chromium_profile() -> Iterator[tuple[str, "_Owner"]]:
    """A fresh Chromium profile folder, locked for the block and removed after it.

    Yields the folder and an owner record: ``owner.started(proc)`` notes Chromium's pid
    so that a later run can stop it if this one is killed.
    """
    def make() -> Path:
        profile = Path(tempfile.mkdtemp(prefix=PROFILE_PREFIX))
        os.close(os.open(profile / _OWNER, os.O_WRONLY | os.O_CREAT, 0o600))
        return profile

    profile = None
    try:
        with held(make) as profile:
            owner = _Owner(profile / _OWNER)
            try:
                yield str(profile), owner
            finally:
                owner.close()
    finally:
        if profile is not None:
            shutil.rmtree(profile, ignore_errors=True)


class _Owner:
    """The file in a profile that names the Chromium using it (the profile is locked)."""

    def __init__(self, path: Path) -> None:
        self.fd = os.open(path, os.O_WRONLY)

    def started(self, proc: subprocess.Popen) -> None:
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, str(proc.pid).encode("ascii"), 0)

    def close(self) -> None:
        os.close(self.fd)


def remove_stale_profiles(tmp: str | os.PathLike | None = None) -> list[Path]:
    """Remove Chromium profiles of killed runs (and stop their Chromium); see :func:`remove_stale`.

    Only profiles holding the owner file are considered: a profile made by an older
    litscope, which took no lock, cannot be told from one in use.
    """
    removed = []
    parent = Path(tmp if tmp is not None else tempfile.gettempdir())
    try:
        found = sorted(parent.glob(PROFILE_PREFIX + "*"))
    except OSError:
        return removed
    for profile in found:
        if profile.is_symlink() or not (profile / _OWNER).is_file():
            continue
        try:
            fd = os.open(profile, os.O_RDONLY)
        except OSError:
            continue
        try:
            if not _lock(fd):
                continue  # a run still prints with it
            try:
                pid_text = (profile / _OWNER).read_bytes()[:32]
            except OSError:
                pid_text = b""
            _stop_orphan(profile, pid_text)
            shutil.rmtree(profile, ignore_errors=True)
            removed.append(profile)
        finally:
            os.close(fd)
    return removed


def _stop_orphan(folder: Path, pid_text: bytes = b"") -> None:
    """Kill the process group of a Chromium still running on ``folder`` as its profile.

    The pid is trusted only if that process's command line names the folder (pids are
    reused).
    """
    try:
        pid = int(pid_text.decode("ascii").strip())
    except ValueError:
        return
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            cmdline = fh.read()
    except OSError:
        return
    if os.fsencode(str(folder)) not in cmdline:
        return
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
