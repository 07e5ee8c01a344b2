# huiqi build. `make` builds build/huiqi; `make test` runs the whole suite (unit tests, policy
# cases, negative tests, fuzz-corpus replay) once normally and once under ASan+UBSan, then the
# threaded parts (the HTTP server's tests, a threaded match of the demo city) under
# ThreadSanitizer; `make bench` measures the evaluator. Sources are found by wildcard, one
# folder per layer.
#
# SANITIZER=… builds with those sanitizers in a tree of its own, so objects never mix:
# SANITIZER=address,undefined (what test-asan runs) into build/asan, SANITIZER=thread into
# build/tsan; e.g. `make SANITIZER=thread all`.
ifeq ($(SANITIZER),thread)
BUILD   ?= build/tsan
OPT     ?= -O1 -g -fno-omit-frame-pointer -fsanitize=thread
LDLIBS  += -fsanitize=thread
else ifneq ($(SANITIZER),)
BUILD   ?= build/asan
OPT     ?= -O1 -g -fno-omit-frame-pointer -fsanitize=$(SANITIZER) -fno-sanitize-recover=all
LDLIBS  += -fsanitize=$(SANITIZER)
endif

CC      ?= cc
STD      = -std=c17 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
WARN     = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla
PKGS     = jansson libcrypto sqlite3 xlsxwriter libmicrohttpd libargon2 libzip expat
PKGCFLAGS := $(shell pkg-config --cflags $(PKGS))
PKGLIBS   := $(shell pkg-config --libs $(PKGS))
# libpq for the PostgreSQL back end (src/store/store_pg.c); its headers live apart.
PGINCLUDE := $(shell pg_config --includedir 2>/dev/null || echo /usr/include/postgresql)
PKGCFLAGS += -I$(PGINCLUDE)
PKGLIBS   += -lpq
OPT     ?= -O2 -g
CFLAGS  += $(STD) $(WARN) $(OPT) $(PKGCFLAGS) -Isrc -pthread
LDLIBS  += $(PKGLIBS) -pthread

BUILD   ?= build
LIB_SRC := $(wildcard src/base/*.c src/rules/*.c src/eval/*.c src/facts/*.c src/gen/*.c src/io/*.c src/store/*.c src/ledger/*.c src/ops/*.c src/http/*.c src/plan/*.c)
CLI_SRC := $(wildcard src/cli/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all test test-plain test-asan test-tsan unit cases clean bench bench-anchors fuzz fuzz-replay
all: $(BUILD)/huiqi

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libhuiqi.a: $(LIB_OBJ)
	rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/huiqi: $(CLI_OBJ) $(BUILD)/libhuiqi.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/helpers.h $(BUILD)/libhuiqi.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests -o $@ $< $(BUILD)/libhuiqi.a $(LDLIBS) -lcmocka

unit: $(UNIT_BIN)

# Fuzz entry points (tests/fuzz/fuzz_*.c), linked with a plain replay driver so their corpora
# run as regression tests in every build, sanitizers included.
FUZZ_TARGETS := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
REPLAY_BIN   := $(FUZZ_TARGETS:%=$(BUILD)/fuzz/replay_%)

$(BUILD)/fuzz/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz_corpus.h $(BUILD)/libhuiqi.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ tests/fuzz/replay.c $< $(BUILD)/libhuiqi.a $(LDLIBS)

fuzz-replay: $(REPLAY_BIN)
	@for t in $(FUZZ_TARGETS); do $(BUILD)/fuzz/replay_$$t tests/fuzz/corpus/$$t || exit 1; done

# Real fuzzing with clang's libFuzzer: FUZZ_SECONDS per target; new inputs go to
# build/fuzz-work/<target>, crashes to build/fuzz-work/crash-*. Copy what matters into
# tests/fuzz/corpus/<target> so it is replayed from then on.
FUZZ_SECONDS ?= 60
FUZZ_FLAGS = -std=c17 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g -O1 -Isrc $(PKGCFLAGS) -pthread \
             -fsanitize=fuzzer,address,undefined
fuzz:
	@mkdir -p build/fuzz-work
	@for t in $(FUZZ_TARGETS); do \
	    clang $(FUZZ_FLAGS) -o build/fuzz-work/fuzz_$$t tests/fuzz/fuzz_$$t.c $(LIB_SRC) $(PKGLIBS) || exit 1; \
	    mkdir -p build/fuzz-work/$$t; \
	    build/fuzz-work/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=build/fuzz-work/ \
	        build/fuzz-work/$$t tests/fuzz/corpus/$$t || exit 1; \
	done

# The suite proper, for one build flavour (BUILD decides which).
test-plain: $(BUILD)/huiqi unit $(REPLAY_BIN)
	BUILD=$(BUILD) tests/run.sh

# Sanitizer builds in their own trees (SANITIZER above).
test-asan:
	$(MAKE) SANITIZER=address,undefined BUILD=build/asan test-plain

# The threaded code under ThreadSanitizer, kept to a few minutes: the HTTP API tests (pool
# threads, the writers' pool, per-thread connections) and a threaded match of the demo city.
test-tsan:
	$(MAKE) SANITIZER=thread BUILD=build/tsan all
	BUILD=build/tsan scripts/tsan.sh

test: test-plain test-asan test-tsan

bench: $(BUILD)/huiqi
	$(MAKE) -s $(BUILD)/bench/hqbench
	BUILD=$(BUILD) bench/run.sh

# huiqi against the bench-anchors yardstick (C loop, SQLite; CLIPS and json-rules-engine with
# ANCHORS_SLOW=1): bench/anchors/run.sh; ANCHORS_N="100000" for one size. Needs python3 and
# /usr/bin/time: `setup.sh --bench`.
bench-anchors: $(BUILD)/huiqi
	BUILD=$(BUILD) bench/anchors/run.sh

$(BUILD)/bench/hqbench: bench/hqbench.c bench/handloop.c $(BUILD)/libhuiqi.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -O3 -o $@ bench/hqbench.c bench/handloop.c $(BUILD)/libhuiqi.a $(LDLIBS)

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
