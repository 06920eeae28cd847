# Ludus: build, run and test.  See README.md.
#
#   make run        install missing packages, build, start the embedded
#                   PostgreSQL under var/, migrate, seed, serve on :8080
#   make test       everything, in a throwaway cluster: unit, SQL, DB, API
#                   and browser suites, with the normal and sanitizer builds
#   make test-asan  the unit, DB, API and browser suites with ASan and UBSan
#   make bench      a fresh cluster with a generated data set, then each
#                   main operation under wrk against its floors (bench/)
#   make stop       stop the embedded PostgreSQL of `make run`
#   make clean      remove build/

BUILD ?= build
SAN ?=
CC ?= cc

PKGS := libmicrohttpd jansson libsodium libpq md4c-html openssl libcurl \
	sqlite3 libzip libzstd libxml-2.0 poppler-glib libexttextcat libmagic
VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wpointer-arith -Wformat=2 -Wvla -Wundef
ifeq ($(SAN),1)
OPT := -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
else
OPT := -O2 -fstack-protector-strong -D_FORTIFY_SOURCE=2
endif
CFLAGS := -std=gnu11 -D_GNU_SOURCE -g $(OPT) $(WARN) -Isrc \
	$(shell pkg-config --cflags $(PKGS))
LDFLAGS := $(OPT)
LIBS := $(shell pkg-config --libs $(PKGS)) -lcrypt -lpthread -lm

SRC := $(sort $(wildcard src/*/*.c))
OBJ := $(SRC:%.c=$(BUILD)/%.o) $(BUILD)/embedded.o $(BUILD)/version.o
EMBED := $(sort $(wildcard sql/migrations/*.sql sql/queries/*.sql sql/seed/*.sql \
	sql/seed/*.csv)) $(shell find web -type f -not -name '.*' | sort)
UNIT := $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,$(wildcard tests/unit/test_*.c))
DBT := $(patsubst tests/db/%.c,$(BUILD)/tests/db/%,$(wildcard tests/db/test_*.c))

.PHONY: all tests run test test-asan bench security stop deps clean FORCE
.DELETE_ON_ERROR:

all: $(BUILD)/ludus

tests: $(UNIT) $(DBT)

$(BUILD)/ludus: $(BUILD)/src/main.o $(BUILD)/libludus.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/libludus.a: $(OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

# SQL and the web app are compiled into the binary: the embed tool runs on the build host.
$(BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $<

$(BUILD)/embedded.c: $(BUILD)/tools/embed $(EMBED)
	$(BUILD)/tools/embed $@ $(EMBED)

$(BUILD)/embedded.o: $(BUILD)/embedded.c
	$(CC) $(CFLAGS) -c -o $@ $<

# The version (git describe) lives in a file of its own that is rewritten
# only when it changes, so a new commit relinks without a full rebuild.
$(BUILD)/version.c: FORCE
	@mkdir -p $(BUILD)
	@echo 'const char ludus_version[] = "$(VERSION)";' > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

$(BUILD)/version.o: $(BUILD)/version.c
	$(CC) $(CFLAGS) -c -o $@ $<

# Test programs keep their dependency files apart, so that the folders hold
# nothing but the programs scripts/test.sh runs.
$(BUILD)/tests/%: tests/%.c $(BUILD)/libludus.a
	@mkdir -p $(dir $@) $(dir $(BUILD)/deps/$*)
	$(CC) $(CFLAGS) -MMD -MP -MF $(BUILD)/deps/$*.d -o $@ $< \
		$(BUILD)/libludus.a $(LIBS) -lcmocka

# How fast a material is processed (bench/matgen.c): make bench runs it.
$(BUILD)/bench/matgen: bench/matgen.c $(BUILD)/libludus.a
	@mkdir -p $(dir $@) $(BUILD)/deps/bench
	$(CC) $(CFLAGS) -MMD -MP -MF $(BUILD)/deps/bench/matgen.d -o $@ $< \
		$(BUILD)/libludus.a $(LIBS)

deps:
	@./scripts/deps.sh

run:
	@./scripts/deps.sh
	@$(MAKE) --no-print-directory all
	@./scripts/run.sh

test:
	@./scripts/deps.sh
	@$(MAKE) --no-print-directory all tests
	@$(MAKE) --no-print-directory BUILD=build/asan SAN=1 all tests
	@./scripts/test.sh build build/asan

test-asan:
	@./scripts/deps.sh
	@$(MAKE) --no-print-directory BUILD=build/asan SAN=1 all tests
	@./scripts/test.sh build/asan

bench:
	@./scripts/deps.sh
	@$(MAKE) --no-print-directory all $(BUILD)/bench/matgen
	@./bench/run.sh

security:
	@./scripts/deps.sh security
	@$(MAKE) --no-print-directory all
	@./scripts/security.sh

stop:
	@./scripts/pg.sh stop var/pg

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
