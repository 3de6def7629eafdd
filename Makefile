# Kestrel — the two commands: `make demo` (the main job) and `make test` (the test suite).
# Both install missing Debian packages first (apt-get, idempotent; needs root or sudo).

DEB_PACKAGES := libopenblas-dev zlib1g-dev libpng-dev libjpeg62-turbo-dev dataset-fashion-mnist
SWIFT ?= swift

.PHONY: demo test deps build bench clean mutants

deps:
	@bash scripts/install-deps.sh $(DEB_PACKAGES)

# The suite is XCTest only; --disable-swift-testing keeps XCTest's "Executed N tests" as the closing line.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --disable-swift-testing

demo: deps
	$(SWIFT) build -c release --product kestrel
	$(SWIFT) run -c release kestrel demo

# Mutation testing (not part of `test`): plants scripts/mutants.txt's one-line bugs one at a time and
# prints how many the tests catch. Each mutant is an incremental rebuild.
mutants: deps
	bash scripts/mutants.sh

bench: deps
	$(SWIFT) run -c release Benchmarks

clean:
	rm -rf .build
