# make run / make test do their own set-up: each (re)creates .venv when missing or
# when pyproject.toml changed, then runs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: run test bench dist clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.stamp-run: pyproject.toml | $(BIN)/python
	$(PIP) install -e .
	touch $@

# The packaging tests build the wheel and the PyInstaller bundle: test needs the dist extra.
$(VENV)/.stamp-test: pyproject.toml | $(BIN)/python
	$(PIP) install -e '.[test,dist]'
	touch $@ $(VENV)/.stamp-run $(VENV)/.stamp-dist

$(VENV)/.stamp-dist: pyproject.toml | $(BIN)/python
	$(PIP) install -e '.[test,dist]'
	touch $@ $(VENV)/.stamp-test $(VENV)/.stamp-run

run: $(VENV)/.stamp-run
	$(BIN)/incidentkit-gui $(ARGS)

test: $(VENV)/.stamp-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.stamp-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/run_all.py

dist: $(VENV)/.stamp-dist
	rm -rf build/pyinstaller dist/incidentkit
	$(BIN)/pyinstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller packaging/incidentkit.spec

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
