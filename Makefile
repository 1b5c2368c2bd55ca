# `make demo` and `make test` set up everything on a fresh Debian machine with the Swift toolchain.
SWIFT ?= swift

.PHONY: deps build test demo clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

demo: deps
	$(SWIFT) build
	scripts/demo.sh

clean:
	rm -rf .build demo-data
