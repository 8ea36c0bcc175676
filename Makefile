# kg: the two commands a newcomer needs are `make demo` and `make test`.
VENV   ?= .venv
PYTHON ?= python3
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test lint typecheck services neo4j-jars fuseki-jars chromium bench train clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

## demo: set up, build the seed graph, answer a query, write out/graph.html and out/seed.ttl
demo: $(STAMP)
	$(BIN)/kg run pipelines/daily_papers.toml

## test: lint, type-check, start real services (Neo4j, Fuseki, Chromium) and run every test
test: $(STAMP) services lint typecheck
	bash scripts/run_tests.sh

lint: $(STAMP)
	$(BIN)/ruff check kg tests benchmarks
	$(BIN)/ruff format --check kg

typecheck: $(STAMP)
	$(BIN)/mypy

services: neo4j-jars fuseki-jars chromium

neo4j-jars:
	bash scripts/neo4j_jars.sh

fuseki-jars:
	bash scripts/fuseki_jars.sh

chromium:
	bash scripts/install_chromium.sh

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

## train: retrain the shipped entity and result models on ../shared/eval (deterministic)
train: $(STAMP)
	$(BIN)/kg train

clean:
	rm -rf out .kg test-artifacts .pytest_cache .coverage
