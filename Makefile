# Two entry points: `make run` (the dashboard on 127.0.0.1) and `make test`.
# Each creates .venv on first use. `make docs`, `make notebook` and `make wheel-check`
# add the documentation tools (the `docs` extra) to it on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DOCS_STAMP := $(VENV)/.installed-docs

.PHONY: run test test-fast test-docs bench lint clean docs-fields docs docs-cli docs-notebook docs-serve notebook wheel-check

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	@# The distribution was named `estimator` before 0.1.0 was packaged: drop that name from an older .venv.
	$(PY) -m pip uninstall --quiet --yes estimator 2>/dev/null || true
	$(PY) -m pip install --quiet -e ".[dashboard,test]"
	touch $(STAMP)

$(DOCS_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e ".[dashboard,test,docs,frame]"
	touch $(DOCS_STAMP)

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

# The CLI reference, generated from the parser (tests/test_cli_format.py checks it is current).
docs-cli: $(STAMP)
	$(PY) -c "import estimator.cli as c; print(c.reference(), end='')" > docs/cli.md

# The example notebook as a docs page (tests/test_packaging.py checks it is current).
docs-notebook: $(DOCS_STAMP)
	$(PY) examples/run_notebook.py examples/estimator.ipynb --markdown docs/notebook.md

# The documentation site into site/; any warning (a broken link, a bad docstring) fails it.
docs: $(DOCS_STAMP)
	NO_MKDOCS_2_WARNING=1 $(PY) -m mkdocs build --strict --site-dir site

docs-serve: $(DOCS_STAMP)
	NO_MKDOCS_2_WARNING=1 $(PY) -m mkdocs serve --dev-addr 127.0.0.1:8000

# Run the example notebook top to bottom in a fresh kernel (its outputs are not committed).
notebook: $(DOCS_STAMP)
	$(PY) examples/run_notebook.py examples/estimator.ipynb

# Build the wheel, install it alone into a fresh venv and use it from outside the source tree.
wheel-check: $(DOCS_STAMP)
	.ci/wheel-check $(PY)

lint: $(STAMP)
	$(PY) -m ruff check .

clean:
	rm -rf $(VENV) build dist site *.egg-info
