# jjj-report — `make help` lists the targets. The two that matter: `make reports`, `make test`.
# Both create .venv from the pinned lock file (requirements.lock) when it is missing or stale.
# An activated conda environment (see environment.yml) is used instead of .venv, or any
# environment named by JJJ_ENV=path; the first target run says which.

PYTHON ?= python3
ifneq ($(JJJ_ENV),)
  ENV_DIR := $(JJJ_ENV)
else ifneq ($(filter-out base,$(CONDA_DEFAULT_ENV)),)
  ENV_DIR := $(CONDA_PREFIX)
else
  ENV_DIR := .venv
endif
VENV   := $(ENV_DIR)
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.jjj-installed
# macOS: WeasyPrint dlopens Pango by name; Homebrew's lib (or a conda env's) is not on dyld's
# default path, and SIP strips DYLD_* from make's own environment and /bin/sh, so commands that
# render carry the path on their own command line.
ifeq ($(shell uname -s),Darwin)
  DYLIBS := $(abspath $(ENV_DIR))/lib:$(shell brew --prefix 2>/dev/null)/lib:$(HOME)/lib:/usr/local/lib:/usr/lib
  RUN    := DYLD_FALLBACK_LIBRARY_PATH="$(DYLIBS)"
endif
# Bytecode is written by the first process that imports a module (set-up does not compile
# the whole environment), so a PYTHONDONTWRITEBYTECODE from the caller is not passed on.
unexport PYTHONDONTWRITEBYTECODE
YEARS  ?= 2014-2025
LANGS  ?= zh,en
JOBS   ?=
PORT   ?= 8888
PREVIEW_PORT ?=
# make test-slow's processes (pytest-xdist). Its tests wait on browsers, time limits and signals
# as much as they compute, so one more than this 2-core machine's cores; 1 runs them in one.
SLOW_PROCS ?= 3
LAB_ARGS ?=
# make benchmark BASELINE=<commit>: that commit's cold build measured beside this tree's.
BASELINE ?=

.DEFAULT_GOAL := help
.PHONY: help venv reports preview test test-slow test-all lint format lab clean distclean lock benchmark release

help:  ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[1m%-10s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): requirements.lock pyproject.toml scripts/bootstrap-env
	@echo "environment: $(VENV)"
	@PYTHON="$(PYTHON)" sh scripts/bootstrap-env "$(VENV)"
	@touch $@

venv: $(STAMP)  ## Create .venv from requirements.lock (done by every target that needs it)

reports: $(STAMP)  ## Build every report: data/processed, reports/<year>/report.<lang>.html|pdf, reports/index.html
	$(RUN) $(BIN)/jjj-report build --years $(YEARS) --lang $(LANGS) $(if $(JOBS),--jobs $(JOBS))

release: reports  ## dist/jjj-report-<version>.zip: reports, data/processed, CITATION.cff, SHA256SUMS (byte-reproducible)
	$(BIN)/python -m helpers.release

preview: $(STAMP)  ## Serve reports/ on 127.0.0.1, rebuild on each save, reload the page (YEARS=2019 LANGS=en PREVIEW_PORT=…)
	$(RUN) $(BIN)/jjj-report preview --years $(YEARS) --lang $(LANGS) $(if $(PREVIEW_PORT),--port $(PREVIEW_PORT))

test: $(STAMP)  ## Fast tests: unit tests, back-tests, rendering of fixtures (about a minute)
	$(RUN) $(BIN)/python -m pytest -m "not slow"

test-slow: $(STAMP)  ## End-to-end tests: the real notebooks, one shared pipeline build, PDFs (SLOW_PROCS=3 processes)
	$(RUN) $(BIN)/python -m pytest -m slow -n $(SLOW_PROCS) --dist worksteal

test-all: $(STAMP)  ## Every test (what CI runs: make test, make lint, make test-slow)
	$(RUN) $(BIN)/python -m pytest

lint: $(STAMP)  ## ruff (also on the notebooks' .py halves), notebooks stripped of outputs, jupytext pairs in sync
	$(BIN)/python -m helpers.lint

format: $(STAMP)  ## ruff format + fix, re-sync the jupytext pairs
	$(BIN)/ruff format src tests benchmarks notebooks
	$(BIN)/ruff check --fix src tests benchmarks notebooks
	$(BIN)/jupytext --sync notebooks/*.ipynb

lab: $(STAMP)  ## JupyterLab on the project kernel (PORT=8888; LAB_ARGS=--no-browser, or any jupyter lab option)
	$(RUN) $(BIN)/jupyter lab --notebook-dir=notebooks --port=$(PORT) $(LAB_ARGS) $(if $(filter 0,$(shell id -u)),--allow-root)

benchmark: $(STAMP)  ## Naive loop vs jjj-report build, CPU-s per report, no-op, memory, stage profile (BASELINE=commit: its build beside)
	$(RUN) $(BIN)/python benchmarks/build.py $(if $(BASELINE),--baseline $(BASELINE))

lock: $(STAMP)  ## Re-pin requirements.lock from pyproject.toml: one universal lock (Linux, macOS, Windows)
	$(BIN)/uv pip compile pyproject.toml --universal --extra dev --extra dask --python-version 3.11 --generate-hashes --no-header -o requirements.lock

clean:  ## Remove generated data, reports and build state (keeps .venv; refused while a build runs)
	@if [ -x $(BIN)/jjj-report ]; then $(BIN)/jjj-report clean; \
	else rm -rf build reports/* data/processed/*; fi
	rm -rf .pytest_cache
	@touch reports/.gitkeep data/processed/.gitkeep

distclean: clean  ## Also remove .venv (never a conda or JJJ_ENV environment: make did not make it)
	rm -rf .venv
	@if [ "$(VENV)" != .venv ]; then echo "kept $(VENV): not made by make (remove it with conda env remove, or by hand)"; fi
