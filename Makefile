# maillage — GNU Makefile. `make run` and `make test` are the two entry points.
# Build dirs: build/ (release), build/san (SANITIZE=...), build/fuzz.

PKGS      := sqlite3 libpq jansson proj libarchive xlsxwriter libmicrohttpd zlib libsodium cairo
CC        ?= cc
SANITIZE  ?=
PREFIX    ?= /usr/local

ifeq ($(SANITIZE),)
  BUILD   := build
  OPT     := -O2 -g
else
  BUILD   := build/san
  OPT     := -O1 -g -fno-omit-frame-pointer -fsanitize=$(SANITIZE) -fno-sanitize-recover=all
endif

WARN      := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
             -Wformat=2 -Wvla -Wpointer-arith -Wcast-qual -Wundef -Werror $(EXTRA_WARN)
CPPFLAGS  += -Iinclude -Ilib -D_GNU_SOURCE -DML_DATADIR='"$(CURDIR)/data"' \
             -DTESTS_DATA='"$(CURDIR)/tests/data"' -DML_WEBDIR='"$(CURDIR)/web"' \
             -DML_VENDORDIR='"$(CURDIR)/node_modules"'
CFLAGS    += -std=c17 $(OPT) $(WARN) $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS    += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lstemmer -lm -lpthread
LDFLAGS   += $(if $(SANITIZE),-fsanitize=$(SANITIZE))

LIB_SRC   := $(sort $(wildcard lib/*/*.c))
PROG_SRC  := $(sort $(wildcard src/*.c src/http/*.c))
UNIT_SRC  := $(sort $(wildcard tests/unit/test_*.c))
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/%.o)
PROG_OBJ  := $(PROG_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
LIBA      := $(BUILD)/libmaillage.a
BIN       := $(BUILD)/maillage

.PHONY: all deps run tour demo test check unit cli fuzz bench clean format
all: $(BIN)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(LIBA): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(PROG_OBJ) $(LIBA)
	$(CC) $(LDFLAGS) -o $@ $(PROG_OBJ) $(LIBA) $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBA) $(LDLIBS) -lcmocka -lz

-include $(LIB_OBJ:.o=.d) $(PROG_OBJ:.o=.d)

# Installs missing Debian and npm packages; does nothing when all are there.
deps:
	@tools/install-deps.sh

DEMO_DIR  := build/demo
DEMO_DB   := build/demo.db
# The demo generates the whole département of Bouches-du-Rhône (so that its
# metropolis, whose pages the tour opens, is compared with a territory the
# database covers); the tour and the web pages open on the metropolis.
DEMO_AREA := 13
DEMO_EPCI := 200054807

demo: deps $(BIN)
	@tools/make-demo.sh $(BIN) $(DEMO_AREA) $(DEMO_DIR) $(DEMO_DB)

# Builds, makes the demo database, and serves the web UI (Ctrl-C stops).
run: demo
	@tools/show-demo.sh $(BIN) $(DEMO_DB) $(DEMO_EPCI) --brief
	@echo
	@echo "Open http://127.0.0.1:$(or $(PORT),8080)/ in a browser (generated demo data)."
	@echo "Sign in (\"Se connecter\") with the password demo-maillage as admin@demo.maillage.fr"
	@echo "(agency administrator), chargee@demo.maillage.fr (officer) or lecteur@demo.maillage.fr"
	@echo "(viewer of the sub-prefecture); the directory and the map are readable without signing in."
	@$(BIN) --db $(DEMO_DB) serve --port $(or $(PORT),8080)

# The command-line tour of the demo database.
tour: demo
	@tools/show-demo.sh $(BIN) $(DEMO_DB) $(DEMO_EPCI)

# The test suite runs under AddressSanitizer and UndefinedBehaviorSanitizer.
test: deps
	@$(MAKE) --no-print-directory SANITIZE=address,undefined check

check: $(BIN) $(UNIT_BIN)
	@tests/run.sh $(BUILD)

# The include rules of docs/architecture.md: each violation as file:line.
.PHONY: check-layers
check-layers:
	@tools/check-layers.sh

fuzz:
	@tools/fuzz.sh $(or $(FUZZ_SECONDS),60)

bench: deps $(BIN)
	@bench/run.sh

format:
	clang-format -i include/*.h lib/*/*.[ch] src/*.[ch] tests/unit/*.c tests/fuzz/*.c

clean:
	rm -rf build
