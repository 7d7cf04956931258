# Set-up and everyday tasks. `make demo` and `make test` create .venv on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Touched after each install; pyproject.toml changing makes the next target reinstall.
INSTALLED := $(VENV)/.installed
# Touched after the tabu searches' numba code is compiled and cached; redone when a kernel changes.
WARMED := $(VENV)/.warmed
KERNELS := $(wildcard src/mixer/solvers/*_kernel.py)
# Touched after mixer's bytecode is written, as a wheel install would write it: where Python does not write it
# itself (PYTHONDONTWRITEBYTECODE, a read-only checkout) every start would compile mixer again, about 50 ms.
COMPILED := $(VENV)/.compiled
SOURCES := $(wildcard src/mixer/*.py src/mixer/*/*.py cli/mixer_cli/*.py)

.PHONY: demo test bench bench-quick clean

demo: $(WARMED) $(COMPILED)
	$(BIN)/mixer demo

test: $(WARMED) $(COMPILED)
	$(BIN)/pytest

# The benchmarks also need matplotlib (the `bench` extra) for their plot; demo and test never do.
BENCH_INSTALLED := $(VENV)/.installed-bench

bench: $(BENCH_INSTALLED) $(WARMED) $(COMPILED)
	$(BIN)/python benchmarks/run.py --jobs 2 $(BENCH_ARGS)

bench-quick: $(BENCH_INSTALLED) $(WARMED) $(COMPILED)
	$(BIN)/python benchmarks/run.py --quick --jobs 2 $(BENCH_ARGS)

$(BENCH_INSTALLED): $(INSTALLED) | $(WARMED)
	$(BIN)/python -m pip install -e '.[test,bench]'
	touch $@

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -e '.[test]'
	touch $@

$(WARMED): $(INSTALLED) $(KERNELS)
	$(BIN)/python -c "from mixer.solvers.tabu_state import warm_cache; warm_cache()"  # compile the tabu searches once
	touch $@

$(COMPILED): $(INSTALLED) $(SOURCES)
	$(BIN)/python -m compileall -q src cli
	touch $@

clean:
	rm -rf mixer-demo build dist .pytest_cache .hypothesis benchmarks/results src/*.egg-info *.egg-info $(COMPILED)
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
