"""Print an HTML report to an A4 PDF with headless Chromium.

Chromium runs in its own session with a fresh profile (see
:func:`litscope.cleanup.chromium_profile`): a timeout or an interrupt kills its whole
process group, and a later run stops a Chromium whose litscope was killed.

Examples
--------
>>> from litscope.pdf import CHROMIUM_CANDIDATES
>>> CHROMIUM_CANDIDATES[0]
'chromium'
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path
from typing import Any

from . import cleanup
from .atomic import replacing
from .errors import ChromiumNotFoundError, RenderError

__all__ = ["render_pdf", "find_chromium", "CHROMIUM_CANDIDATES"]

#: Executables tried, in order, when ``LITSCOPE_CHROMIUM`` is not set.
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

_INSTALL_HINT = ("install Chromium (Debian/Ubuntu: apt-get install chromium) or set "
                 "LITSCOPE_CHROMIUM to a Chromium/Chrome executable")


def _os_reason(exc: OSError) -> str:
    """Why a write failed, for a one-line message ("No space left on device")."""
    reason = exc.strerror or " ".join(str(exc).split()) or type(exc).__name__
    return f"{reason} ({exc.filename})" if exc.filename else reason


def find_chromium(chromium: str | os.PathLike | None = None) -> str:
    """The Chromium/Chrome executable to print with.

    Looks at ``chromium`` (argument), then ``LITSCOPE_CHROMIUM``, then
    :data:`CHROMIUM_CANDIDATES` on ``PATH``.

    Raises
    ------
    ChromiumNotFoundError
        Nothing usable was found; the message says how to install it.
    """
    explicit = chromium if chromium is not None else os.environ.get("LITSCOPE_CHROMIUM") or None
    if explicit is not None:
        path = shutil.which(os.fspath(explicit))
        if path is None:
            where = "" if chromium is not None else "LITSCOPE_CHROMIUM="
            raise ChromiumNotFoundError(
                f"Chromium not found at {where}{os.fspath(explicit)}; {_INSTALL_HINT}")
        return path
    for name in CHROMIUM_CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    raise ChromiumNotFoundError(
        f"printing the PDF needs Chromium, which is not installed (looked for "
        f"{', '.join(CHROMIUM_CANDIDATES)} on PATH); {_INSTALL_HINT}")


def _chromium_args(executable: str, profile: str, pdf_tmp: Path, url: str) -> list[str]:
    return [
        executable,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-quic",
        "--mute-audio",
        f"--user-data-dir={profile}",
        # The window is as wide as A4's printable area, so plotly lays figures out for
        # the paper width, not for a wider screen.
        "--window-size=680,960",
        "--no-pdf-header-footer",
        "--run-all-compositor-stages-before-draw",
        "--virtual-time-budget=15000",
        f"--print-to-pdf={pdf_tmp}",
        url,
    ]


def render_pdf(html_path: str | os.PathLike, pdf_path: str | os.PathLike, *,
               chromium: str | os.PathLike | None = None, timeout: float = 180) -> Path:
    """Print an HTML report to PDF (A4) with headless Chromium.

    Parameters
    ----------
    html_path : path
        The report, as written by :func:`render_html`.
    pdf_path : path
        Where to write the PDF (atomically).
    chromium : path, optional
        The browser executable; default: :func:`find_chromium`.
    timeout : float
        Seconds before Chromium is stopped.

    Raises
    ------
    ChromiumNotFoundError
        No Chromium to print with.
    RenderError
        Chromium failed or timed out; the message ends with its stderr.
    """
    html_path, pdf_path = Path(html_path).resolve(), Path(pdf_path)
    if not html_path.is_file():
        raise RenderError(f"{html_path}: no such HTML file to print")
    executable = find_chromium(chromium)
    cleanup.remove_stale_profiles()  # of runs killed while printing
    try:
        with replacing(pdf_path) as pdf_tmp, cleanup.chromium_profile() as (profile, owner):
            pdf_tmp.unlink()  # Chromium writes it; an existing empty file would hide a failure
            _print(executable, profile, owner, html_path, pdf_tmp, timeout)
    except RenderError:  # ChromiumNotFoundError is an OSError too: it says it better
        raise
    except OSError as exc:
        raise RenderError(f"cannot write {pdf_path}: {_os_reason(exc)}") from exc
    return pdf_path


def _print(executable: str, profile: str, owner: Any, html_path: Path, pdf_tmp: Path,
           timeout: float) -> None:
    """Run Chromium on ``html_path``, printing to ``pdf_tmp``; raise unless that is a PDF."""
    args = _chromium_args(executable, profile, pdf_tmp, html_path.as_uri())
    try:
        proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, start_new_session=True)
    except OSError as exc:
        raise ChromiumNotFoundError(f"cannot start {executable}: {exc}; {_INSTALL_HINT}") from exc
    cleanup.track(proc)  # an interrupt kills its process group at once
    try:
        owner.started(proc)  # a later run stops this Chromium if this one is killed
    except OSError:
        pass  # a full disk: this run can still stop it
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        out, err = proc.communicate()
        raise RenderError(f"Chromium did not print {html_path.name} within {timeout:g} s"
                          f"{_tail(err)}") from None
    except BaseException:
        _kill_group(proc)
        proc.communicate()
        raise
    finally:
        cleanup.untrack(proc)
    ok = pdf_tmp.is_file() and pdf_tmp.stat().st_size > 0
    if ok:
        with open(pdf_tmp, "rb") as fh:
            ok = fh.read(5) == b"%PDF-"
    if proc.returncode != 0 or not ok:
        raise RenderError(f"Chromium failed to print {html_path.name} "
                          f"(exit status {proc.returncode}){_tail(err or out)}")


def _kill_group(proc: subprocess.Popen) -> None:
    """Stop Chromium and the helper processes it started (its own session)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()


def _tail(stderr: bytes | None, lines: int = 12) -> str:
    if not stderr:
        return ""
    text = stderr.decode("utf-8", "replace").strip().splitlines()
    # Chromium logs harmless noise (dbus, GPU); the last lines are the ones that matter.
    return "; Chromium said: " + " | ".join(line.strip() for line in text[-lines:] if line.strip())
