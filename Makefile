# acsconform: see README.md. Every target works from a clean clone.
GO      ?= go
SHARED  ?= ../shared
OUT     ?= out
SEED    ?= 1
PKGS    := ./...

.PHONY: all build run deps test vet fmt-check tidy-check unit cli junit-check bench bench-rss fuzz mutation mutation-gate sdk-gate clean

all: test

build:
	$(GO) build -o bin/acsconform ./cmd/acsconform

## run: the full suite against the embedded emulator; writes $(OUT)/junit.xml, $(OUT)/report.json and $(OUT)/report.html
run:
	@mkdir -p $(OUT)
	$(GO) run ./cmd/acsconform run --seed $(SEED) --junit $(OUT)/junit.xml --json $(OUT)/report.json --html $(OUT)/report.html

## deps: what the tests need beyond Go, only what is missing (idempotent): xmllint, node, npm and
## chromium with apt-get; the interop tools at the exact versions of interop/package-lock.json with
## npm ci into interop/node_modules (gitignored). One line on stderr says what failed, if anything.
deps:
	@sh interop/deps.sh

## test: deps, vet, formatting, go.mod tidiness, the race-enabled unit and interop tests (the HTML
## report's test renders a page in headless Chromium), the JUnit schema check and the mutation gate
test: deps vet fmt-check tidy-check unit junit-check mutation-gate

vet:
	$(GO) vet $(PKGS)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

## tidy-check: go.mod and go.sum are what go mod tidy makes them (direct dependencies direct, no unused one)
tidy-check:
	@$(GO) mod tidy -diff || { echo "go.mod/go.sum are not tidy: run go mod tidy"; exit 1; }

unit:
	$(GO) test -race -count=1 -timeout 12m $(PKGS)

## cli: the command, built once for junit-check and mutation-gate (go build relinks only on a change)
cli:
	@mkdir -p $(OUT)
	$(GO) build -o $(OUT)/acsconform ./cmd/acsconform

## junit-check: a real run's JUnit output validates against the strict Ant schema
junit-check: cli
	$(OUT)/acsconform run --seed $(SEED) --junit $(OUT)/junit-check.xml --json $(OUT)/report-check.json > /dev/null
	xmllint --noout --schema $(SHARED)/schemas/junit-ant.xsd $(OUT)/junit-check.xml

## bench: speed and memory, measured (never asserted in tests), in one run: the Go benchmarks with
## allocations, then the emulator under sustained concurrent valid creates (rate and RSS), the
## end-to-end campaign against the embedded emulator on loopback (fixed seed, workers = cores) in
## exchanges per second, the ceiling (the campaign's requests, pre-encoded and signed, replayed by a
## bare keep-alive loop against the same emulator) and their ratio, and last bench-rss, the peak
## RSS of a ~1,000,000-exchange campaign (about 15 minutes on 2 cores; BENCH_RSS=0 leaves it out)
BENCH_EXAMPLES ?= 500
BENCH_RSS      ?= 1
bench:
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)
	$(GO) run ./cmd/acsconform bench --seed $(SEED) --examples $(BENCH_EXAMPLES)
	@if [ "$(BENCH_RSS)" != 0 ]; then $(MAKE) --no-print-directory bench-rss; fi

## bench-rss: peak RSS of a campaign of about 1,000,000 exchanges (ram and eds-user against the
## embedded emulator; minutes), measured by GNU time (/usr/bin/time -v, Debian package time)
RSS_EXAMPLES ?= 120000
bench-rss: build
	@mkdir -p $(OUT)
	@test -x /usr/bin/time || { echo "bench-rss: /usr/bin/time (GNU time) is missing: run 'make deps'"; exit 1; }
	/usr/bin/time -v -o $(OUT)/bench-rss.time bin/acsconform run --seed $(SEED) --examples $(RSS_EXAMPLES) \
	  --ops ram,eds-user --max-time 0 --shrink=false --json $(OUT)/bench-rss.json > $(OUT)/bench-rss.txt 2> $(OUT)/bench-rss.log || true
	@grep -E 'Maximum resident set size|Elapsed \(wall clock\)|Exit status' $(OUT)/bench-rss.time
	@grep -E 'requests planned' $(OUT)/bench-rss.log || echo "(the run never got to its first request)"

## fuzz: a short native fuzzing session per target (FUZZTIME=30s by default)
FUZZTIME ?= 30s
fuzz:
	@set -e; for pkg in $$($(GO) list $(PKGS)); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "fuzz $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg; \
	  done; done

## mutation: the suite against the emulator with each named fault injection; prints caught/survived
## per fault and "caught N of M" (a few minutes; the clean emulator must pass every check on 20
## control seeds: a failed or errored check there is a false alarm, exit 1)
MUTATION_EXAMPLES ?= 10
mutation:
	$(GO) run ./cmd/acsconform mutation --seed $(SEED) --examples $(MUTATION_EXAMPLES)

## mutation-gate: make mutation as a CI gate (part of make test): exit 1 when fewer than
## MUTATION_MIN_CAUGHT faults are caught (the count recorded in README, "Proving the suite") or
## the clean emulator fails or errors a check on any of 8 control seeds (fewer than make
## mutation's 20; they are also the extra seeds of the unit tests' clean-emulator test, run here
## without -race), a 30 s bound per run and 4 runs at once (the hanging and trickling faults'
## runs mostly wait; they start first), for CI time; bounded by MUTATION_TIMEOUT
MUTATION_MIN_CAUGHT ?= 61
MUTATION_TIMEOUT    ?= 600
mutation-gate: cli
	timeout $(MUTATION_TIMEOUT) $(OUT)/acsconform mutation --seed 1 --examples 10 --control-seeds 8 --max-time 30s --parallel 4 --min-caught $(MUTATION_MIN_CAUGHT)

## sdk-gate: the official SDKs (RAM, Bastionhost, eds-user through CallApi), V3 and V1, through
## acsconform's validating proxy to the emulator; prints a per-SDK table (requests checked, answers
## parsed, findings). Point it at an SDK working copy with a replace directive (README, "Gate an SDK change").
sdk-gate:
	@mkdir -p $(OUT)
	$(GO) test -count=1 -race -run '^(TestSDKGate|TestBrokenClient)$$' ./proxy -args -sdk-gate-table $(abspath $(OUT))/sdk-gate.txt
	@cat $(OUT)/sdk-gate.txt

clean:
	rm -rf $(OUT) bin interop/node_modules
