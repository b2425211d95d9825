#!/bin/sh
# Builds a C reference program into a build/ folder beside its source (gitignored) and prints the binary's path:
# by default the reference echo server (servers/reference/echo_server.c); loadgen/reference/build.sh passes the
# C client. Idempotent: rebuilds only when the source or this script is newer than the binary. Needs gcc
# (Debian: apt-get install gcc).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$(dirname "${1:-$here/echo_server.c}")" && pwd)/$(basename "${1:-echo_server.c}")
out="$(dirname "$src")/build/$(basename "$src" .c)"
command -v gcc >/dev/null 2>&1 || { echo "build.sh: gcc not found (apt-get install gcc)" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
if [ ! -x "$out" ] || [ "$src" -nt "$out" ] || [ "$0" -nt "$out" ]; then
    gcc -O2 -Wall -Wextra -Werror -std=gnu11 -o "$out.tmp.$$" "$src"
    mv -f "$out.tmp.$$" "$out"
fi
echo "$out"
