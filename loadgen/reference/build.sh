#!/usr/bin/env bash
# Builds the C reference echo client into loadgen/reference/build/ (gitignored).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$here/build"
gcc -O2 -Wall -Wextra -o "$here/build/echo_client" "$here/echo_client.c"
echo "$here/build/echo_client"
