# Herald — the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
JOBS ?= $(shell nproc)

.PHONY: all setup build run test test-asan bench lint format clean

all: build

setup:
	@scripts/setup

build: setup
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)
	@if [ -f web/package.json ]; then (cd web && npm run build --silent); fi

run: build
	./build/herald serve

test: build
	@scripts/run-tests build

test-asan: setup
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)
	@scripts/run-tests build-asan

bench: build
	@bench/run

lint:
	@scripts/lint

format:
	@git ls-files 'server/*.cpp' 'server/*.hpp' 'bench/*.cpp' | xargs clang-format -i

clean:
	rm -rf build build-debug build-asan build-lint web/dist
