# Adept: one entry point.  See README.md.
#
# Sources are found by directory, so adding a file under src/ needs no edit
# here.  All output goes under $(BUILD) (default build/), except the FastCGI
# program, which lands in cgi-bin/ as DESIGN.md says.  BUILD=... lets a second
# build (the sanitizer one, or a helper's) run beside the first.
# V=1 shows the full compiler command lines.

BUILD    ?= build
V        ?= 0
ifeq ($(V),0)
Q         = @
say       = @printf '  %-6s %s\n'
else
Q         =
say       = @true
endif
CC       ?= cc
OPT      ?= -O2
SAN      ?=
CFLAGS   ?= $(OPT) -g
WARN      = -Wall -Wextra -Werror -Wno-unused-parameter
CPPFLAGS += -std=c11 -D_GNU_SOURCE -Isrc -MMD -MP $(shell pkg-config --cflags ctpl) \
            -I$(shell pg_config --includedir 2>/dev/null || echo /usr/include/postgresql)
ALLCFLAGS = $(CFLAGS) $(WARN) $(SAN) $(CPPFLAGS)
LIBS      = -lfcgi -lpq -lctpl -ljwt -lsodium -lcurl -lhpdf -lqrencode -lcmark -ljansson -loath -lseccomp \
            -lpthread -lm $(shell pkg-config --libs ctpl)

LEARN_SRC = $(wildcard src/learn/*.c)
CORE_SRC  = $(wildcard src/base/*.c src/http/*.c src/db/*.c src/pages/*.c \
                       src/jobs/*.c src/out/*.c)
CORE_SRC := $(filter-out src/http/fcgi_main.c,$(CORE_SRC))
CLI_SRC   = $(wildcard src/cli/*.c)

LEARN_OBJ = $(LEARN_SRC:%.c=$(BUILD)/obj/%.o)
CORE_OBJ  = $(CORE_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ   = $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
STMT_GEN  = $(BUILD)/gen/db_stmts.h

UNIT_SRC  = $(wildcard tests/unit/*/test_*.c)
UNIT_BIN  = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRC  = $(wildcard tests/fuzz/fuzz_*.c)
BENCH_SRC = $(wildcard tests/bench/bench_*.c)
BENCH_BIN = $(BENCH_SRC:tests/bench/%.c=$(BUILD)/bench/%)

FCGI      = cgi-bin/adept.fcgi
ifneq ($(BUILD),build)
FCGI      = $(BUILD)/adept.fcgi
endif

.PHONY: all deps run start stop test unit unit-asan integration browser \
        test-security bench fuzz clean format
.DEFAULT_GOAL := all

all: $(BUILD)/liblearn.a $(BUILD)/adept $(FCGI)

deps:
	@src/ops/deps.sh

$(BUILD)/obj/%.o: %.c | $(STMT_GEN)
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CC) $(ALLCFLAGS) -I$(BUILD)/gen -c $< -o $@

# The statement registry is generated from sql/queries/*.sql (see
# src/db/gen_stmts.sh): one enum value and one SQL text per "-- name:" block.
$(STMT_GEN): $(wildcard sql/queries/*.sql) src/db/gen_stmts.sh
	@mkdir -p $(dir $@)
	$(say) GEN $@
	$(Q)src/db/gen_stmts.sh sql/queries/*.sql > $@.tmp && mv $@.tmp $@

# The common-password list is linked in with .incbin (src/base/pwpolicy.h);
# the compiler's dependency files do not see it.
$(BUILD)/obj/src/base/pwpolicy.o: src/base/pwpolicy_common.txt

$(BUILD)/liblearn.a: $(LEARN_OBJ)
	@mkdir -p $(dir $@)
	$(say) AR $@
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/libadept.a: $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(say) AR $@
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/adept: $(CLI_OBJ) $(BUILD)/libadept.a $(BUILD)/liblearn.a
	$(say) LD $@
	$(Q)$(CC) $(SAN) -o $@ $(CLI_OBJ) $(BUILD)/libadept.a $(BUILD)/liblearn.a $(LIBS)

$(FCGI): $(BUILD)/obj/src/http/fcgi_main.o $(BUILD)/libadept.a $(BUILD)/liblearn.a
	@mkdir -p $(dir $@)
	$(say) LD $@
	$(Q)$(CC) $(SAN) -o $@ $^ $(LIBS)

# A unit test may name extra link flags (e.g. -Wl,--wrap=) on a line
# "// LDFLAGS: ..." near its top.
$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libadept.a $(BUILD)/liblearn.a
	@mkdir -p $(dir $@)
	$(say) TEST $@
	$(Q)$(CC) $(ALLCFLAGS) -I$(BUILD)/gen -Itests/unit -o $@ $< \
	    $(shell sed -n 's|^// LDFLAGS: ||p' $<) \
	    $(BUILD)/libadept.a $(BUILD)/liblearn.a -lcmocka $(LIBS)

$(BUILD)/bench/%: tests/bench/%.c $(BUILD)/libadept.a $(BUILD)/liblearn.a
	@mkdir -p $(dir $@)
	$(say) BENCH $@
	$(Q)$(CC) $(ALLCFLAGS) -O3 -march=native -I$(BUILD)/gen -o $@ $< \
	    $(BUILD)/libadept.a $(BUILD)/liblearn.a $(LIBS)

# ---- running -------------------------------------------------------------

run: deps all
	@src/ops/stack.sh run

start: deps all
	@src/ops/stack.sh start

stop:
	@src/ops/stack.sh stop

# ---- tests ---------------------------------------------------------------

test: deps
	@tests/run.sh

unit: $(UNIT_BIN)
	@tests/unit/run.sh $(BUILD) $(UNIT_BIN)

unit-asan:
	@$(MAKE) --no-print-directory BUILD=build/asan OPT=-O1 \
	    SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" unit

integration: all
	@tests/run.sh integration

browser: all
	@tests/run.sh browser

# The security and fault suite alone (tests/security/run.sh): timed
# libFuzzer runs, faults under load, slow clients, disk full, sqlmap, and
# part of the integration suite against the ASan + UBSan build.
test-security: deps
	@tests/run.sh security

bench: deps all $(BENCH_BIN)
	@tests/bench/run.sh $(BENCH_BIN)

fuzz: deps
	@tests/fuzz/run.sh

format:
	clang-format -i $(shell find src tests -name '*.[ch]')

clean:
	rm -rf build $(FCGI)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
