#!/usr/bin/env bash
# The test command of the README: restores, builds and runs every test on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")"
dotnet test IoModels.sln -c Release --logger "console;verbosity=minimal" "$@"
