"""The wheel, installed outside the project and run from another folder, runs a review.

The notebook is package data (``litscope/notebooks/review.ipynb``), so ``litscope review``
must find it without a checkout. The wheel is installed into its own folder, ahead of the
editable checkout on ``PYTHONPATH``; the dependencies come from the test's environment.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from litscope import paths

ROOT = Path(__file__).resolve().parents[1]


def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: float) -> str:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{args[:4]}... exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.mark.slow
def test_installed_wheel_runs_a_review_from_another_folder(tmp_path):
    # Build from a copy of the sources: an in-tree build would write build/ into the checkout.
    src = tmp_path / "src"
    shutil.copytree(ROOT / "lib", src / "lib", ignore=shutil.ignore_patterns(
        "__pycache__", "*.egg-info", ".pytest_cache"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LITSCOPE_")
           and k not in ("PYTHONPATH", "LITSCOPE_PUBLISH")}
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input", "-q"]
    _run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp_path / "dist"), str(src)],
         tmp_path, env, 600)
    (wheel,) = (tmp_path / "dist").glob("litscope-*.whl")
    site = tmp_path / "site"
    _run([*pip, "install", "--no-deps", "--target", str(site), str(wheel)], tmp_path, env, 600)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    sample = elsewhere / "papers.txt"
    shutil.copy(paths.sample_corpus(), sample)
    env |= {"PYTHONPATH": str(site), "LITSCOPE_REPORTS": str(tmp_path / "reports"),
            "HF_HUB_OFFLINE": "1"}
    where = _run([sys.executable, "-c", "import litscope.paths as p; print(p.review_notebook())"],
                 elsewhere, env, 120).strip()
    assert Path(where) == site / "litscope" / "notebooks" / "review.ipynb"
    _run([sys.executable, "-m", "litscope", "review", "papers.txt", "--name", "t", "--no-pdf",
          "--quiet"], elsewhere, env, 1800)
    report = tmp_path / "reports" / "t"
    assert (report / "papers.csv").is_file()
    assert (report / "review.html").is_file()
    assert not (ROOT / "reports" / "t").exists() or (ROOT / "reports" / "t").stat().st_mtime < wheel.stat().st_mtime
