# SupportKB: `make demo` and `make test` are all a new machine needs.
SWIFT ?= swift
KB := .build/release/kb

.PHONY: setup build demo editor-session test bench clean

setup:
	@bash scripts/setup.sh

build: setup
	$(SWIFT) build -c release --product kb

demo: build
	@mkdir -p reports
	$(KB) run pipelines/nightly.yml
	$(KB) chunk --kb kb/articles --summary reports/kb-summary.md --quiet
	$(KB) search --db kb/index.sqlite "my customer's card keeps getting declined"

# After `make demo`: an editor publishes a draft; checks it is indexed, found, counted, exported clean.
editor-session:
	@bash scripts/editor_session.sh

test: setup
	@bash scripts/test.sh

clean:
	rm -rf .build reports/runs kb/index.sqlite*
