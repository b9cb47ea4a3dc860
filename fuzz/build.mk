# SPDX-License-Identifier: MIT
# fuzz/build.mk - builds the libFuzzer targets into build-fuzz/ with clang.
# The library (every src/ file but main.c) gets coverage instrumentation
# (-fsanitize=fuzzer-no-link) plus ASan and UBSan; each fuzz/fuzz_*.c links
# against it with libFuzzer's main. Called by fuzz/run.sh; not a public entry.

PKGS       := libmicrohttpd sqlite3 libpq jansson libsodium xlsxwriter libcurl icu-uc icu-i18n libqrencode libical zlib
FUZZ_CC    ?= clang
B          := build-fuzz
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lgfshare -lpthread -lm
WARN       := -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter -Wstrict-prototypes -Wvla
SAN        := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FLAGS      := -std=c11 -D_GNU_SOURCE $(WARN) -O1 -g -fno-omit-frame-pointer $(SAN) \
              $(PKG_CFLAGS) -Isrc

SRC        := $(sort $(wildcard src/base/*.c src/core/*.c src/db/*.c src/engine/*.c src/modules/*.c \
                                src/modules/*/*.c))
OBJ        := $(patsubst %.c,$(B)/obj/%.o,$(SRC))
TARGETS    := $(patsubst fuzz/%.c,$(B)/%,$(sort $(wildcard fuzz/fuzz_*.c)))

.PHONY: all
all: $(TARGETS)

$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

$(TARGETS): $(B)/%: fuzz/%.c $(OBJ)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FLAGS) -fsanitize=fuzzer -MMD -MP -MF $@.d -o $@ $< $(OBJ) $(PKG_LIBS)

-include $(OBJ:.o=.d) $(TARGETS:=.d)
