# Makefile - a thin wrapper around CMake for the README's two commands.
BUILD ?= build
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: all deps configure build run test install package image bench clean

all: build

# Build logs, and make's own echo of each command, go to stderr, so that
# `make run > events.json` holds events only.
deps:
	@echo ./scripts/install-deps.sh >&2
	@./scripts/install-deps.sh >&2

configure: deps
	@echo cmake -S . -B $(BUILD) >&2
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >&2

build: configure
	cmake --build $(BUILD) -j$$(nproc) >&2

# vigil's main job: every syscall and process event system-wide, as JSON.
run: configure
	@echo cmake --build $(BUILD) --target vigil >&2
	@cmake --build $(BUILD) -j$$(nproc) --target vigil >&2
	@echo $(SUDO) $(BUILD)/userspace/vigil $(ARGS) >&2
	@$(SUDO) $(BUILD)/userspace/vigil $(ARGS)

test: build
	cd $(BUILD) && $(SUDO) ctest --output-on-failure

install: build
	$(SUDO) cmake --install $(BUILD)

# The Debian package, build/vigil_VERSION_ARCH.deb (docs/deployment.md).
package: build
	cmake --build $(BUILD) --target package >&2

# The container image vigil:latest (deploy/docker/build.sh).
image: deps
	$(SUDO) ./deploy/docker/build.sh

bench: build
	./scripts/install-deps.sh --bench
	$(SUDO) ./bench/run.sh --vigil $(BUILD)/userspace/vigil

clean:
	rm -rf $(BUILD)
