# SupportKB: `make demo` and `make test` are all a new machine needs.
SWIFT ?= swift
KB := .build/release/kb

.PHONY: setup build demo test bench clean

setup:
	@bash scripts/setup.sh

build: setup
	$(SWIFT) build -c release --product kb

demo: build
	@mkdir -p reports
	$(KB) run pipelines/nightly.yml
	$(KB) chunk --kb kb/articles --summary reports/kb-summary.md --quiet
	$(KB) search --db kb/index.sqlite "my customer's card keeps getting declined"

test: setup
	@bash scripts/test.sh

clean:
	rm -rf .build reports/runs kb/index.sqlite*
