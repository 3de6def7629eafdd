# Kestrel — the two commands: `make demo` (the main job) and `make test` (the test suite).
# Both install missing Debian packages first (apt-get, idempotent; needs root or sudo).

DEB_PACKAGES := libopenblas-dev zlib1g-dev libpng-dev libjpeg62-turbo-dev libarchive-dev dataset-fashion-mnist
SWIFT ?= swift

.PHONY: demo test deps build bench clean

deps:
	@bash scripts/install-deps.sh $(DEB_PACKAGES)

# The suite is XCTest only; --disable-swift-testing keeps XCTest's "Executed N tests" as the closing line.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --disable-swift-testing

demo: deps
	$(SWIFT) build -c release --product kestrel
	$(SWIFT) run -c release kestrel demo

bench: deps
	$(SWIFT) run -c release Benchmarks

clean:
	rm -rf .build
