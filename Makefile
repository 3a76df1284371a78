# Makefile - a thin wrapper around CMake for the README's two commands.
BUILD ?= build
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: all deps build run test bench clean

all: build

deps:
	./scripts/install-deps.sh

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(BUILD) -j$$(nproc)

# vigil's main job: every syscall and process event system-wide, as JSON.
run: build
	$(SUDO) $(BUILD)/userspace/vigil $(ARGS)

test: build
	cd $(BUILD) && $(SUDO) ctest --output-on-failure

bench: build
	./scripts/install-deps.sh --bench
	$(SUDO) ./bench/run.sh --vigil $(BUILD)/userspace/vigil

clean:
	rm -rf $(BUILD)
