#!/usr/bin/env bash
# Builds the code-parser fuzz target with clang (libFuzzer, AddressSanitizer,
# UndefinedBehaviorSanitizer) and runs it for a bounded time.
#   tests/fuzz/run-fuzz.sh [SECONDS] [WORK_DIR]
# Exits non-zero on a crash or a sanitizer report; the input that caused it
# is left in WORK_DIR.
set -euo pipefail

seconds=${1:-60}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${2:-$(mktemp -d)}
mkdir -p "$work/corpus"

# The parser needs only GLib; a config.h of its own keeps this build
# independent of meson's.
printf '#pragma once\n#define GETTEXT_PACKAGE "tantay"\n' > "$work/config.h"

clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I"$work" -I"$root/src/core" \
  "$here/fuzz-code.c" "$root/src/core/tt-code.c" "$root/src/core/tt-text.c" \
  $(pkg-config --cflags --libs gobject-2.0 glib-2.0) \
  -o "$work/fuzz-code"

# New inputs go to the work corpus; the seed corpus in the tree is only read.
cd "$work"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ./fuzz-code -max_total_time="$seconds" -max_len=8192 -timeout=10 -print_final_stats=1 \
    "$work/corpus" "$here/corpus" 2>&1 | tail -n 25
exit "${PIPESTATUS[0]}"
