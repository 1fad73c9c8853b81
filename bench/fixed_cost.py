"""Fixed cost: what a review pays before its first record (issue 7, item 8).

Each row runs in a fresh ``python`` process (so nothing is warm in memory), three times;
the table gives the median seconds. Rows:

* interpreter: ``python -c pass``, the floor;
* ``import litscope`` / ``litscope.pipeline``: what the notebook's first cells import;
* the topic stack (UMAP, HDBSCAN, BERTopic and what they import) and the transformer stack
  (torch, sentence-transformers);
* MiniLM loaded and one text encoded;
* ``import umap`` and a UMAP fit on 300 random points, with the numba disk cache switched on
  for UMAP's own functions as :func:`litscope.topics.compute_topics` does, with an **empty**
  numba cache (every function compiled), then again with the **same** cache (what every later
  review pays; litscope keeps that cache in its own cache folder, see ``litscope._numba``);
* a Jupyter kernel started until it answers (what papermill pays once per review).

Usage::

    .venv/bin/python bench/fixed_cost.py [--repeat 3] [--out bench/results/fixed-cost-<date>.md]
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

UMAP_FIT = (
    "import numpy as np\n"
    "from litscope import _numba; _numba.configure_cache()\n"
    "import umap\n"
    # as compute_topics does: UMAP's functions declared without cache=True are cached too
    "from litscope.topics.compute import _UMAP_JIT_MODULES\n"
    "_numba.cache_compiled(*_UMAP_JIT_MODULES)\n"
    "X = np.random.default_rng(0).normal(size=(300, 16)).astype('float32')\n"
    "umap.UMAP(n_neighbors=10, n_components=5, random_state=0, n_epochs=50).fit_transform(X)\n"
)

ROWS: list[tuple[str, str]] = [
    ("interpreter (python -c pass)", "pass"),
    ("import litscope", "import litscope"),
    ("import litscope.pipeline", "import litscope.pipeline"),
    ("topic stack (umap, hdbscan, bertopic)",
     "from litscope import _numba; _numba.configure_cache()\nimport umap, hdbscan, bertopic"),
    ("transformer stack (torch, sentence-transformers)", "import torch, sentence_transformers"),
    ("MiniLM loaded + 1 text encoded",
     "from litscope.embedders import make_embedder\n"
     "make_embedder('minilm', progress=False, cache_dir=False, device='cpu').encode(['a text'])"),
]


def _time(code: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def _kernel_start() -> float:
    from jupyter_client.manager import start_new_kernel

    start = time.perf_counter()
    km, kc = start_new_kernel(kernel_name="python3")
    took = time.perf_counter() - start
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    return took


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", type=Path,
                    default=ROOT / "bench" / "results" / f"fixed-cost-{_dt.date.today():%Y-%m-%d}.md")
    args = ap.parse_args(argv)
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    results: list[tuple[str, list[float]]] = []
    for label, code in ROWS:
        _time(code, env)  # the first run warms the OS file cache; not counted
        results.append((label, [_time(code, env) for _ in range(args.repeat)]))
        print(f"{label}: {statistics.median(results[-1][1]):.2f} s", file=sys.stderr)
    cold, warm = [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as numba_dir:
            run_env = {**env, "NUMBA_CACHE_DIR": numba_dir}
            cold.append(_time(UMAP_FIT, run_env))
            warm.append(_time(UMAP_FIT, run_env))
    results += [("UMAP fit, empty numba cache (first review)", cold),
                ("UMAP fit, numba cache filled (later reviews)", warm)]
    results.append(("Jupyter kernel start", [_kernel_start() for _ in range(args.repeat)]))

    lines = [f"# Fixed cost before the first record ({_dt.date.today()}, {os.cpu_count()} CPUs)", "",
             "| step | median s | runs |", "| --- | ---: | --- |"]
    lines += [f"| {label} | {statistics.median(ts):.2f} | {', '.join(f'{t:.2f}' for t in ts)} |"
              for label, ts in results]
    text = "\n".join(lines) + "\n"
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
