# huiqi build. `make` builds build/huiqi; `make test` runs the whole suite (unit tests, policy
# cases, negative tests, fuzz-corpus replay) once normally and once under ASan+UBSan;
# `make bench` measures the evaluator. Sources are found by wildcard, one folder per layer.

CC      ?= cc
STD      = -std=c17 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
WARN     = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla
PKGS     = jansson libcrypto
PKGCFLAGS := $(shell pkg-config --cflags $(PKGS))
PKGLIBS   := $(shell pkg-config --libs $(PKGS))
OPT     ?= -O2 -g
CFLAGS  += $(STD) $(WARN) $(OPT) $(PKGCFLAGS) -Isrc -pthread
LDLIBS  += $(PKGLIBS) -pthread

BUILD   ?= build
LIB_SRC := $(wildcard src/base/*.c src/rules/*.c src/eval/*.c src/facts/*.c)
CLI_SRC := $(wildcard src/cli/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all test test-plain test-asan unit cases clean bench fuzz
all: $(BUILD)/huiqi

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libhuiqi.a: $(LIB_OBJ)
	$(AR) rcs $@ $^

$(BUILD)/huiqi: $(CLI_OBJ) $(BUILD)/libhuiqi.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/helpers.h $(BUILD)/libhuiqi.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests -o $@ $< $(BUILD)/libhuiqi.a $(LDLIBS) -lcmocka

unit: $(UNIT_BIN)

# The suite proper, for one build flavour (BUILD decides which).
test-plain: $(BUILD)/huiqi unit
	BUILD=$(BUILD) tests/run.sh

# Sanitizer build in its own tree so objects never mix.
test-asan:
	$(MAKE) BUILD=build/asan OPT="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all" \
	        LDLIBS="$(LDLIBS) -fsanitize=address,undefined" test-plain

test: test-plain test-asan

bench: $(BUILD)/huiqi
	$(MAKE) -s $(BUILD)/bench/hqbench
	BUILD=$(BUILD) bench/run.sh

$(BUILD)/bench/hqbench: bench/hqbench.c bench/handloop.c $(BUILD)/libhuiqi.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -O3 -o $@ bench/hqbench.c bench/handloop.c $(BUILD)/libhuiqi.a $(LDLIBS)

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
