# Short verbs over the one CMake build:
#   make setup   install the Debian packages and build (Release)
#   make bench   the quick suite (suite/suites/quick.json) on all five tasks; SUITE=smoke|quick|full|paper
#   make test    build and run every test with ctest
#   make site    the leaderboard site of results/runs in results/site (make bench builds it too)
#   make report  Pareto and expected-validation-performance tables, SVGs in results/report
#   make microbench  Google Benchmark microbenchmarks, JSON in results/microbench/
#   make sanitize  the fast tests under ASan + UBSan with library assertions (build-sanitize/)
#   make fuzz    every parser's libFuzzer target for FUZZ_SECONDS each (docs/reliability.md)
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=Release
# The data folder: $GREENBENCH_DATA, else ../shared/data beside the checkout, else ./data.
DATA ?= $(or $(GREENBENCH_DATA),$(if $(wildcard ../shared/data),../shared/data,data))
SUITE ?= quick
FUZZ_SECONDS ?= 60

.PHONY: setup deps build bench bench-full bench-large test sanitize fuzz site report microbench clean

setup: deps build

deps:
	bash scripts/install-deps.sh

build:
	cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j $(JOBS)

bench: build
	./$(BUILD)/greenbench bench --suite $(SUITE) --data $(DATA)

bench-full:
	$(MAKE) bench SUITE=full

bench-large: bench-full

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

sanitize:
	JOBS=$(JOBS) bash scripts/sanitize-tests.sh

fuzz:
	JOBS=$(JOBS) bash scripts/fuzz.sh $(FUZZ_SECONDS)

site: build
	./$(BUILD)/greenbench site build --results results/runs --out results/site

report: build
	./$(BUILD)/greenbench report --results results/runs --svg results/report

microbench: build
	mkdir -p results/microbench
	./$(BUILD)/suite/greenbench_microbench --benchmark_out=results/microbench/microbench.json \
	  --benchmark_out_format=json --benchmark_counters_tabular=true $(MICROBENCH_FLAGS)

clean:
	rm -rf $(BUILD)
