# bureau - build, run, test. See README.md.
PKGS      := libmicrohttpd sqlite3 libpq jansson libsodium xlsxwriter libcurl icu-uc icu-i18n libqrencode libical zlib
CC        ?= cc
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lgfshare -lpthread -lm
WARN      := -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter -Wstrict-prototypes -Wvla
CFLAGS    ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) $(PKG_CFLAGS) -Isrc

SRC       := $(sort $(wildcard src/base/*.c src/core/*.c src/db/*.c src/engine/*.c src/modules/*.c src/modules/*/*.c))
LIB_SRC   := $(SRC)
MAIN_SRC  := src/main.c
UNIT_SRC  := $(sort $(wildcard tests/unit/t_*.c))

# flavours: build/ (release) and build-asan/ (ASan + UBSan)
B         ?= build
OBJ       := $(patsubst %.c,$(B)/obj/%.o,$(LIB_SRC))
MAIN_OBJ  := $(B)/obj/src/main.o
UNITS     := $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNIT_SRC))

.PHONY: all bureau asan units test run bench fuzz lint format clean snap deps
all: bureau

bureau: $(B)/bureau $(B)/bureau-collate.so

# quiet by default; make V=1 shows the commands
Q := $(if $(V),,@)

# the web UI, embedded: web/ and the vendor files web/index.html names
WEB_GEN   := $(B)/gen/web_assets.c
WEB_OBJ   := $(B)/obj/gen/web_assets.o
# (folders too: a deleted file changes its folder's time)
WEB_IN    := $(shell find web 2>/dev/null) $(wildcard package-lock.json)

$(WEB_GEN): scripts/embed-web.sh $(WEB_IN)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  GEN     $@")
	$(Q)scripts/embed-web.sh $(B)/gen

$(WEB_OBJ): $(WEB_GEN) src/core/web.h
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/bureau: $(OBJ) $(MAIN_OBJ) $(WEB_OBJ)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(PKG_LIBS) $(LDFLAGS)

# the names' collations as a SQLite extension, for the sqlite3 shell (src/db/collate.h);
# without the flavour's CFLAGS: the shell is not built with the sanitizers
$(B)/bureau-collate.so: src/db/collate.c src/db/collate.h
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) -std=c11 -D_GNU_SOURCE $(WARN) -O2 $(PKG_CFLAGS) -DBUREAU_SQLITE_EXTENSION -fPIC \
		-shared -o $@ $< $(shell pkg-config --libs icu-uc icu-i18n)

$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(B)/tests/%: tests/unit/%.c $(OBJ)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_CFLAGS) -Itests -o $@ $< $(OBJ) $(PKG_LIBS) -lcmocka $(LDFLAGS)

units: $(UNITS)

asan:
	$(MAKE) B=build-asan CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined" LDFLAGS="-fsanitize=address,undefined" bureau units

deps:
	@scripts/deps.sh

run: deps
	@$(MAKE) --no-print-directory bureau
	$(B)/bureau serve --db bureau.db --listen 127.0.0.1:8080 --demo

test: deps
	@scripts/test.sh

bench: deps
	@bench/run.sh
	@bench/servicedesk.sh
	@bench/fleet.sh
	@bench/space.sh
	@bench/booking.sh
	@bench/assets.sh
	@bench/kit.sh
	@bench/names.sh

fuzz: deps
	@fuzz/run.sh $${FUZZ_SECONDS:-30}

snap: bureau
	@scripts/snap.sh update

lint:
	@scripts/lint.sh

format:
	clang-format -i $(SRC) $(MAIN_SRC) $(wildcard src/*/*.h src/*.h)

clean:
	rm -rf build build-asan build-fuzz

-include $(OBJ:.o=.d) $(MAIN_OBJ:.o=.d)
