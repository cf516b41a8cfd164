# SESIOR — `make run` starts the server, `make test` runs everything CI checks.
# Both install what a fresh Debian 12 machine lacks (see scripts/install-deps.sh).

SHELL := /bin/bash
FUZZ_SECONDS ?= 30
RUN_DIR := run

.PHONY: all run test unit-test conformance fuzz fuzz-long bench soak deps clean

all: test

## run: build sesior in release, make sure a Redis answers, start the server
run:
	@scripts/install-deps.sh run
	@scripts/run.sh

## test: unit, integration, interop and conformance tests, plus a short fuzz run of every target
test:
	@scripts/install-deps.sh test
	@scripts/test.sh

## fuzz: every libFuzzer target for FUZZ_SECONDS seconds each
fuzz:
	@scripts/install-deps.sh test
	@scripts/fuzz.sh $(FUZZ_SECONDS)

## fuzz-long: a campaign, every target for FUZZ_SECONDS (default 600) from its kept corpus, which
## is minimised with -merge=1 and replaced only when it gained coverage (see Docs/RELIABILITY.md)
fuzz-long:
	@scripts/install-deps.sh test
	@scripts/fuzz.sh --long $(if $(filter command line environment,$(origin FUZZ_SECONDS)),$(FUZZ_SECONDS),600)

## bench: benchmarks against the peers, results in Docs/PERFORMANCE.md
bench:
	@scripts/install-deps.sh bench
	@scripts/bench.sh

## soak: fault, load and hostile-input scenarios (loopback, a few minutes), see Docs/RELIABILITY.md
soak:
	@scripts/install-deps.sh test
	@scripts/soak.sh

clean:
	rm -rf .build .build-* $(RUN_DIR) reports
