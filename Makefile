# SupportKB: `make demo` and `make test` are all a new machine needs.
SWIFT ?= swift
KB := .build/release/kb

.PHONY: setup build demo editor-session serve serve-load test lint format bench clean

setup:
	@bash scripts/setup.sh

build: setup
	$(SWIFT) build -c release --product kb

demo: build
	@mkdir -p reports
	$(KB) run pipelines/nightly.yml
	$(KB) chunk --kb kb/articles --summary reports/kb-summary.md --quiet
	$(KB) search --db kb/index.sqlite "my customer's card keeps getting declined"
	@echo ""
	@echo "The editors' web app on this project: make serve (or $(KB) serve), then open http://127.0.0.1:8080/"
	@echo "  (loopback only; you are the editor, named by \$$KB_EDITOR or \$$USER in the review log; kb serve --help for a shared host)"

# The editors' web app on the demo project (after `make demo`).
serve:
	$(KB) serve

# wrk against kb serve on the demo (after `make demo`): /api/search and the queue, 20 connections, 30 s.
serve-load:
	@bash bench/serve_load.sh

# After `make demo`: an editor publishes a draft; checks it is indexed, found, counted, exported clean.
editor-session:
	@bash scripts/editor_session.sh

test: setup
	@bash scripts/test.sh

# swift-format (.swift-format) in strict lint mode, and the module graph against Package.swift
# and docs/ARCHITECTURE.md (scripts/check_imports.py).
lint:
	$(SWIFT) format lint --strict --recursive --parallel Sources Tests Package.swift
	python3 scripts/check_imports.py

# Rewrites the sources in the project's format (what `make lint` checks).
format:
	$(SWIFT) format format --in-place --recursive --parallel Sources Tests Package.swift

clean:
	rm -rf .build reports/runs kb/index.sqlite*
