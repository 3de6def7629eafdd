# Kestrel — the two commands: `make demo` (the main job) and `make test` (the test suite).
# Both install missing Debian packages first (apt-get, idempotent; needs root or sudo).

DEB_PACKAGES := libopenblas-dev zlib1g-dev libpng-dev libjpeg62-turbo-dev libarchive-dev dataset-fashion-mnist libhdf5-dev pkg-config librsvg2-dev libcairo2-dev fonts-dejavu-core libopenmpi-dev openmpi-bin libdnnl-dev
SWIFT ?= swift
# Kestrel's own builds enable the MPI package trait (KestrelDistributed over Open MPI); a package that
# depends on Kestrel gets no MPI unless it asks for the trait (README, "Training on several processes").
# The OneDNN trait (oneDNN convolutions in the CPU backend, Docs/Backends.md) is enabled the same way.
TRAITS ?= --traits MPI,OneDNN
# `make install` copies the release `kestrel` command to $(DESTDIR)$(PREFIX)/bin.
PREFIX ?= /usr/local

.PHONY: demo test deps build bench clean install check-package mutants docs

deps:
	@bash scripts/install-deps.sh $(DEB_PACKAGES)

# The suite is XCTest only; --disable-swift-testing keeps XCTest's "Executed N tests" as the closing line.
test: deps
	$(SWIFT) build --build-tests $(TRAITS)
	$(SWIFT) test --disable-swift-testing $(TRAITS)

demo: deps
	$(SWIFT) build -c release --product kestrel $(TRAITS)
	$(SWIFT) run -c release $(TRAITS) kestrel demo

# The DocC documentation of the Kestrel module (overview, getting started, diagnostics) in .build/docs.
docs:
	$(SWIFT) package --allow-writing-to-directory .build/docs generate-documentation --target Kestrel \
		--output-path .build/docs --warnings-as-errors

# Mutation testing (not part of `test`): plants scripts/mutants.txt's one-line bugs one at a time and
# prints how many the tests catch. Each mutant is an incremental rebuild.
mutants: deps
	bash scripts/mutants.sh

bench: deps
	$(SWIFT) run -c release Benchmarks

install: deps
	$(SWIFT) build -c release --product kestrel
	install -d "$(DESTDIR)$(PREFIX)/bin"
	install -m 755 "$$($(SWIFT) build -c release --show-bin-path)/kestrel" "$(DESTDIR)$(PREFIX)/bin/kestrel"
	@echo "installed $(DESTDIR)$(PREFIX)/bin/kestrel"

# Builds a throw-away package that depends on a tagged clone of this repository `from: "0.1.0"`.
check-package: deps
	SWIFT="$(SWIFT)" bash scripts/check-versioned-dependency.sh

clean:
	rm -rf .build
