#!/bin/sh
# Builds the minimal C epoll echo client into loadgen/reference/build/ (gitignored) and prints its path.
# Idempotent: rebuilds only when the source is newer than the binary. Needs gcc (Debian: apt-get install gcc).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/build/echo_client"
src="$here/echo_client.c"
command -v gcc >/dev/null 2>&1 || { echo "build.sh: gcc not found (apt-get install gcc)" >&2; exit 1; }
mkdir -p "$here/build"
if [ ! -x "$out" ] || [ "$src" -nt "$out" ] || [ "$0" -nt "$out" ]; then
    gcc -O2 -Wall -Wextra -Werror -std=gnu11 -o "$out.tmp.$$" "$src"
    mv -f "$out.tmp.$$" "$out"
fi
echo "$out"
