# `make demo` and `make test` set up everything on a fresh Debian machine with the Swift toolchain.
SWIFT ?= swift

.PHONY: deps build release test demo clean chaos bench

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

# The programs as agents and admins install them: optimised, with Swift's runtime and Foundation
# linked into each binary (Package.swift, release only), so a `homeshore` process loads no Swift
# library at start (issue 10). Binaries in .build/release/.
release: deps
	$(SWIFT) build -c release --product homeshore
	$(SWIFT) build -c release --product homeshore-hub

# Short forms of the fault harness and the API checks first (each ends with "N passed, N failed"),
# then the Swift test suites, under a watchdog that names the tests of a run gone silent for ten
# minutes (a hang) and ends it, rather than leaving CI to wait out its time limit.
test: deps
	$(SWIFT) build --build-tests
	python3 scripts/chaos/chaos.py --iterations 10 --seed 7 --quiet
	.venv-api/bin/python scripts/api/contract_check.py
	.venv-api/bin/python scripts/api/fuzz.py
	$(MAKE) --no-print-directory bench QUICK=1
	python3 scripts/test-watchdog.py --silence 600 -- $(SWIFT) test --skip-build

# The fault harness (scripts/chaos): real hub and clients, a faulty relay, SIGKILLs, an invariant check.
# `make chaos SEED=S ITERATIONS=N` replays a reported failure.
ITERATIONS ?= 50
chaos: build
	python3 scripts/chaos/chaos.py --iterations $(ITERATIONS) $(if $(SEED),--seed $(SEED))

# The HTTP API as a contract (scripts/api): the hub's real answers checked against docs/openapi.yaml,
# then schemathesis against a live hub (in .venv-api, made by `make deps`).
.PHONY: api-check
api-check: build
	.venv-api/bin/python scripts/api/contract_check.py
	.venv-api/bin/python scripts/api/fuzz.py

# The benchmark program (bench/, Sources/HomeshoreBench): real hubs and clients on loopback TLS, each
# figure beside its target and a baseline from the same run; a full run rewrites the table in
# docs/benchmarks.md. `make bench QUICK=1` runs every scenario small on the debug build: it proves the
# program still works (make test runs it), its figures are not the targets'.
CONFIG ?= $(if $(QUICK),debug,release)
bench: deps
	$(SWIFT) build -c $(CONFIG)
	"$$($(SWIFT) build -c $(CONFIG) --show-bin-path)/homeshore-bench" $(if $(QUICK),--quick,--output docs/benchmarks.md)

demo: deps
	$(SWIFT) build
	scripts/demo.sh

clean:
	rm -rf .build demo-data
