# litscope: `make review` writes the sample review to reports/sample/, `make test` runs the tests.
# Every target sets up .venv first (once; a stamp file makes later runs instant).

SHELL        := /bin/bash
.SHELLFLAGS  := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON   ?= python3
VENV     ?= .venv
PY       := $(VENV)/bin/python
STAMP    := $(VENV)/.litscope-setup
# torch first and pinned: an unpinned torch pulls a multi-GB CUDA build.
TORCH    ?= torch==2.13.0
PIP      := $(PY) -m pip --disable-pip-version-check --no-input
PIP_Q    ?= --quiet
NAME     ?= sample
INPUTS   ?= data/samples/hf-papers-listing.txt
BENCH    ?= pipeline_bench
PYTEST_ARGS ?=
LAB_ARGS ?=
KERNEL   := $(VENV)/share/jupyter/kernels/python3/kernel.json

.PHONY: help setup review test lab notebook bench clean

help: ## list the targets
	@echo "litscope - make targets:"
	@grep -E '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) | \
	  awk 'BEGIN {FS = ":.*## "} {printf "  make %-8s %s\n", $$1, $$2}'
	@echo "variables: NAME=$(NAME) INPUTS=$(INPUTS) PYTHON=$(PYTHON) PYTEST_ARGS=..."

setup: $(STAMP) ## create .venv and install litscope with everything (torch CPU, Jupyter, test tools, Chromium)

$(STAMP): pyproject.toml
	@if [ ! -x $(PY) ]; then \
	  echo "creating $(VENV) with $(PYTHON)"; \
	  if ! $(PYTHON) -m venv $(VENV); then \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	      echo "installing python3-venv with apt-get"; rm -rf $(VENV); \
	      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null; \
	      $(PYTHON) -m venv $(VENV); \
	    else \
	      echo "error: $(PYTHON) -m venv failed; install python3-venv (Debian/Ubuntu) and retry" >&2; exit 1; \
	    fi; \
	  fi; \
	fi
	@echo "installing $(TORCH), then litscope[all] into $(VENV) (first time: several minutes)"
	$(PIP) install $(PIP_Q) --upgrade pip setuptools wheel
	$(PIP) install $(PIP_Q) "$(TORCH)"
	$(PIP) install $(PIP_Q) -e ".[all]"
	@# ipykernel's wheel ships a "Python 3 (ipykernel)" spec; ours names the project in Lab's launcher
	@if ! grep -qs '"Python 3 (litscope)"' "$(KERNEL)"; then \
	  echo "installing the Jupyter kernelspec for $(VENV)"; \
	  $(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (litscope)" >/dev/null; \
	fi
	@if command -v chromium >/dev/null || command -v chromium-browser >/dev/null \
	    || command -v google-chrome >/dev/null || command -v google-chrome-stable >/dev/null \
	    || [ -n "$${LITSCOPE_CHROMIUM:-}" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing Chromium (prints the PDF) and poppler-utils with apt-get"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium fonts-liberation poppler-utils >/dev/null; \
	else \
	  echo "note: Chromium is missing, so reports get no PDF. Install it with:"; \
	  echo "      sudo apt-get install chromium poppler-utils    (Debian/Ubuntu)"; \
	  echo "  or set LITSCOPE_CHROMIUM=/path/to/chrome"; \
	fi
	@touch $(STAMP)
	@echo "setup done: $(VENV)"

review: setup ## review the sample corpus -> reports/sample/ (NAME=..., INPUTS=... to change)
	$(VENV)/bin/litscope review $(INPUTS) --name $(NAME)

test: setup ## run the test suite (PYTEST_ARGS='-m "not slow"' to skip the model tests)
	$(PY) -m pytest tests lib/litscope $(PYTEST_ARGS)

lab: setup ## open the notebooks in JupyterLab (LAB_ARGS=... for more options)
	@# notebooks/review.ipynb and review.py link to the package's copy (one source); jupytext keeps them paired
	@# litscope.lab serves a notebook with its kernel's language_info (Python version), which Lab
	@# would otherwise write on open and show the notebook modified; jupytext's pairing as before
	@# root is normal in containers; Jupyter refuses it without --allow-root
	$(VENV)/bin/jupyter lab notebooks/ --ServerApp.contents_manager_class=litscope.lab.LabContentsManager \
	  $$( [ "$$(id -u)" = 0 ] && echo --allow-root ) $(LAB_ARGS)

notebook: setup ## after editing a notebook's .py, bring its .ipynb in line (cell ids kept)
	@# Sync the package's files: jupytext writes a regular file over a notebooks/ link it syncs,
	@# and the links must stay links. Every paired notebook there (review, compare, ...).
	@for py in $$(grep -lE '^#     formats: .*ipynb' lib/litscope/notebooks/*.py); do \
	  echo "jupytext --sync $$py"; $(VENV)/bin/jupytext --quiet --sync "$$py"; \
	done

bench: setup ## time the pipeline stages (BENCH="pipeline_bench topic_quality ..." to choose)
	@for b in $(BENCH); do echo "== bench/$$b.py"; HF_HUB_OFFLINE=1 $(PY) bench/$$b.py; done

clean: ## remove caches and build leftovers (keeps .venv and reports/)
	rm -rf build dist lib/*.egg-info .pytest_cache .hypothesis bench/results
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -exec rm -rf {} +
	find . -path ./$(VENV) -prune -o -type d -name .ipynb_checkpoints -exec rm -rf {} +
	find reports -maxdepth 1 -name '.*.partial-*' -exec rm -rf {} + 2>/dev/null || true
