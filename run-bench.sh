#!/usr/bin/env bash
# Puts every server model and peer through the scenarios of bench/scenarios.json and writes a run folder under
# bench-results/ (bench-results/README.md explains the options, the layout and the choices). The work is done by
# the C# bench tool, bench/IoModels.Bench; this wrapper builds it and hands it the command line:
#   ./run-bench.sh [options]               the run verb (./run-bench.sh --help lists its options)
#   ./run-bench.sh --ab REF [options]      the ab verb: this tree against git ref REF, interleaved
#   ./run-bench.sh VERB [arguments]        summarize, compare, scenario-table, validate, merge
set -euo pipefail

root=$(cd "$(dirname "$0")" && pwd)
cd "$root"

project=bench/IoModels.Bench/IoModels.Bench.csproj
tool=bench/IoModels.Bench/bin/Release/net10.0/IoModels.Bench.dll
build_log=$(mktemp "${TMPDIR:-/tmp}/iomodels-bench-build.XXXXXX")
trap 'rm -f "$build_log"' EXIT

# Only the tool here: it parses the options first, so a mistake costs no solution build; its run verb then
# builds the solution itself.
if ! dotnet build "$project" -c Release -v quiet -nologo >"$build_log" 2>&1; then
  tail -n 30 "$build_log" >&2
  cp "$build_log" "$root/bench-build.log"
  echo "run-bench.sh: the bench tool did not build (log: bench-build.log)" >&2
  exit 1
fi

args=("$@")
verb=run
case "${1:-}" in
  summarize | compare | scenario-table | validate | ab | merge | run)
    verb=$1
    args=("${@:2}") ;;
  --ab)
    verb=ab
    args=("${@:2}") ;;
esac

export IOMODELS_BENCH_NAME=run-bench.sh
exec dotnet "$tool" "$verb" "${args[@]}"
