# Convenience targets over CMake. `make` builds build/postern; `make test` runs
# the whole suite; `make demo` scans a router-style image built from Debian's
# installer package; `make check` runs the suite, then again under ASan+UBSan;
# `make deb` builds the Debian packages into build/deb/ (scripts/make-deb);
# `make install` installs (DESTDIR, PREFIX) what the packages hold.
BUILD ?= build
ASAN_BUILD ?= build-asan
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo

.PHONY: all test demo asan test-asan check bench clean install deb package-test

all:
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null
	cmake --build $(BUILD) -j$(JOBS)

test: all
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

$(BUILD)/example/router.bin:
	mkdir -p $(BUILD)/example
	scripts/make-router-image $@

demo: all $(BUILD)/example/router.bin
	$(BUILD)/postern scan $(BUILD)/example/router.bin || test $$? -eq 1

asan:
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS_DEBUG='-g -O1' \
	  -DPOSTERN_SANITIZE=ON >/dev/null
	cmake --build $(ASAN_BUILD) -j$(JOBS)

test-asan: asan
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j$(JOBS)

check: test test-asan

PREFIX ?= /usr/local
install: all
	cmake --install $(BUILD) --prefix $(PREFIX)

deb:
	scripts/make-deb $(BUILD)/deb

# Builds the packages, installs them on this machine, scans the demo image
# with the installed files only, removes them (CI runs it after the suite).
package-test:
	scripts/package-test

bench: all
	bench/router_bench.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
