# Two entry points: `make run` (the dashboard on 127.0.0.1) and `make test`.
# Each creates .venv on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-fast test-docs bench lint clean docs-fields

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dashboard,test]"
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m streamlit run app.py --server.address 127.0.0.1

test: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m pytest -p no:cacheprovider

test-fast: $(STAMP)
	$(PY) -m pytest -p no:cacheprovider -m "not browser and not slow"

# The examples of README.md and docs/*.md, and the library's doctests.
test-docs: $(STAMP)
	$(PY) -m pytest -p no:cacheprovider tests/test_docs.py estimator

bench: $(STAMP)
	$(PY) benchmarks/run.py

docs-fields: $(STAMP)
	$(PY) -c "import estimator.fields as f; print(f.document(), end='')" > docs/fields.md

lint: $(STAMP)
	$(PY) -m ruff check .

clean:
	rm -rf $(VENV) build *.egg-info
