#!/bin/sh
# Builds the minimal C epoll echo client into loadgen/reference/build/ (gitignored) and prints its path, with the
# same build as the reference server's (servers/reference/build.sh). Needs gcc (Debian: apt-get install gcc).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
exec "$here/../../servers/reference/build.sh" "$here/echo_client.c"
