# Thin wrapper over CMake: the two commands of the README.
#   make demo   dependencies, build, the default scenario, its outputs
#   make test   dependencies, sanitizer build, every test
#   make bench  the benchmark suite (tests/bench/bench.sh), by hand

BUILD      ?= build
TEST_BUILD ?= build-test
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
SCENARIO   ?= scenarios/lost-synack.lua
DEMO_OUT   ?= out/demo
WERROR     := $(if $(CI),-DSYNSIM_WERROR=ON,)

.PHONY: all deps build demo test valgrind bench fuzz docs clean

all: build

deps:
	@bash .ci/deps

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(WERROR) >/dev/null
	cmake --build $(BUILD) -j $(JOBS) -- --no-print-directory

demo: build
	./$(BUILD)/synsim run $(SCENARIO) --out $(DEMO_OUT)
	./$(BUILD)/synsim plot $(DEMO_OUT)
	./$(BUILD)/synsim view $(DEMO_OUT)
	@echo
	@echo "outputs in $(DEMO_OUT)/:"
	@ls -1 $(DEMO_OUT) | sed 's/^/  /'

test: deps
	cmake -S . -B $(TEST_BUILD) -DCMAKE_BUILD_TYPE=Debug -DSYNSIM_SANITIZE=ON $(WERROR) >/dev/null
	cmake --build $(TEST_BUILD) -j $(JOBS) -- --no-print-directory
	@# The summary is printed whether or not a suite failed; the exit
	@# status is ctest's.
	@cd $(TEST_BUILD) && ctest --output-on-failure -j $(JOBS); st=$$?; \
	echo; echo "libcheck summary:"; \
	awk '/^[0-9]+\/[0-9]+ Testing: / { name = $$3 } \
	     /^[0-9]+%: Checks/ { printf "  %-10s %s\n", name, $$0 }' \
	    Testing/Temporary/LastTest.log | sort; \
	exit $$st

# By hand: every scenario, its plots, its terminal ladder and its page, and
# the packetdrill scripts of tests/pkt/ on both Linux profiles, under
# valgrind (the test build's sanitizers and valgrind do not mix).
valgrind: build
	@command -v valgrind >/dev/null || \
	    { echo "valgrind is missing: apt-get install valgrind" >&2; exit 1; }
	@for s in scenarios/*.lua; do \
	    o=out/valgrind/$$(basename $$s .lua); echo "$$s"; \
	    for cmd in "run $$s -q --out $$o" "plot $$o" "ladder $$o" "view $$o"; do \
	        valgrind -q --error-exitcode=9 --leak-check=full \
	            ./$(BUILD)/synsim $$cmd >/dev/null || exit 1; \
	    done; \
	done; \
	for p in tests/pkt/*.pkt; do echo "$$p"; \
	    for prof in linux linux-6.18; do \
	        valgrind -q --error-exitcode=9 --leak-check=full ./$(BUILD)/synsim \
	            pkt $$p --profile $$prof --out out/valgrind/pkt >/dev/null \
	            || exit 1; \
	    done; \
	done; echo "valgrind: no errors, no leaks"

# By hand: whole runs up to a million connections, the SYN flood, the
# scheduler; figures and the commands that give them.  Never a test.
bench: build
	@bash tests/bench/bench.sh $(BUILD)

# By hand: each libFuzzer target for FUZZ_TIME seconds, from a copy of its
# committed corpus (tests/fuzz/corpus/NAME, and scenarios/ for the Lua
# loader; new finds stay in the copy).
# clang's libFuzzer runtime is needed here only, not by the other targets.
FUZZ_BUILD ?= build-fuzz
FUZZ_TIME  ?= 60
FUZZ_TARGETS := units csv json tcp lua
fuzz:
	@command -v clang >/dev/null || \
	    { echo "clang is missing: apt-get install clang" >&2; exit 1; }
	@echo 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }' | \
	    clang -fsanitize=fuzzer -x c - -o /dev/null 2>/dev/null || \
	    { echo "clang's libFuzzer runtime is missing: apt-get install" \
	      "libclang-rt-$$(clang -dumpversion | cut -d. -f1)-dev" >&2; exit 1; }
	CC=clang cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=Debug \
	    -DSYNSIM_FUZZ=ON -DSYNSIM_SANITIZE=ON -DSYNSIM_TESTS=OFF >/dev/null
	cmake --build $(FUZZ_BUILD) -j $(JOBS) -- --no-print-directory
	@for f in $(FUZZ_TARGETS); do \
	    mkdir -p $(FUZZ_BUILD)/corpus/$$f; \
	    cp tests/fuzz/corpus/$$f/* $(FUZZ_BUILD)/corpus/$$f/; \
	    if [ $$f = lua ]; then cp scenarios/*.lua $(FUZZ_BUILD)/corpus/lua/; fi; \
	    echo "fuzz_$$f: $(FUZZ_TIME) s"; \
	    ./$(FUZZ_BUILD)/fuzz_$$f -max_total_time=$(FUZZ_TIME) \
	        -print_final_stats=1 $(FUZZ_BUILD)/corpus/$$f \
	        2>$(FUZZ_BUILD)/fuzz_$$f.log || \
	        { tail -40 $(FUZZ_BUILD)/fuzz_$$f.log; exit 1; }; \
	    grep -E '^stat::number_of_executed_units' $(FUZZ_BUILD)/fuzz_$$f.log; \
	done

# The README's pictures, as docs/pictures.txt says to draw them.
docs: build
	@grep -v '^#' docs/pictures.txt | \
	while IFS='	' read -r pic scen opts file; do \
	    o=out/docs/$$(basename $$scen .lua); \
	    ./$(BUILD)/synsim run $$scen -q --out $$o >/dev/null && \
	    ./$(BUILD)/synsim plot $$o $$([ "$$opts" = - ] || echo $$opts) \
	        >/dev/null && \
	    cp $$o/$$file $$pic && echo "$$pic" || exit 1; \
	done

clean:
	rm -rf $(BUILD) $(TEST_BUILD) $(FUZZ_BUILD) out
