# `make demo` and `make test` set up everything on a fresh Debian machine with the Swift toolchain.
SWIFT ?= swift

.PHONY: deps build test demo clean chaos

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

# Short forms of the fault harness and the API checks first (each ends with "N passed, N failed"),
# then the Swift test suites.
test: deps
	$(SWIFT) build --build-tests
	python3 scripts/chaos/chaos.py --iterations 10 --seed 7 --quiet
	.venv-api/bin/python scripts/api/contract_check.py
	.venv-api/bin/python scripts/api/fuzz.py
	$(SWIFT) test --skip-build

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

demo: deps
	$(SWIFT) build
	scripts/demo.sh

clean:
	rm -rf .build demo-data
