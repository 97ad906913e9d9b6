# Thin wrapper over CMake: the two commands of the README.
#   make demo   dependencies, build, the default scenario, its outputs
#   make test   dependencies, sanitizer build, every test

BUILD      ?= build
TEST_BUILD ?= build-test
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
SCENARIO   ?= scenarios/lost-synack.lua
DEMO_OUT   ?= out/demo
WERROR     := $(if $(CI),-DSYNSIM_WERROR=ON,)

.PHONY: all deps build demo test valgrind clean

all: build

deps:
	@bash .ci/deps

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(WERROR) >/dev/null
	cmake --build $(BUILD) -j $(JOBS) -- --no-print-directory

demo: build
	./$(BUILD)/synsim run $(SCENARIO) --out $(DEMO_OUT)
	./$(BUILD)/synsim plot $(DEMO_OUT)
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

# By hand: every scenario, its plots and its terminal ladder, and the
# packetdrill scripts of tests/pkt/ on both Linux profiles, under
# valgrind (the test build's sanitizers and valgrind do not mix).
valgrind: build
	@command -v valgrind >/dev/null || \
	    { echo "valgrind is missing: apt-get install valgrind" >&2; exit 1; }
	@for s in scenarios/*.lua; do \
	    o=out/valgrind/$$(basename $$s .lua); echo "$$s"; \
	    for cmd in "run $$s -q --out $$o" "plot $$o" "ladder $$o"; do \
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

clean:
	rm -rf $(BUILD) $(TEST_BUILD) out
