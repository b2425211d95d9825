#!/usr/bin/env bash
# Puts every server model and peer through the same scenarios, stores one report per model × scenario
# under bench-results/STAMP/, and writes summary.md and charts there (bench-results/README.md explains
# the layout and the choices). Every server runs fresh for each cell: a crash is pinned on one cell and
# the run goes on.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: ./run-bench.sh [--quick] [--models LIST] [--scenarios LIST] [--out DIR]
                      [--placement split|shared|none] [--compare BASELINE_DIR] [--threshold PCT]
                      [--warmup D] [--duration D]

  --quick        the whole matrix in about four minutes (short runs, fewer idle steps)
  --models       comma-separated; default: reference,blocking,select,epoll-lt,epoll-et,saea,uring,kestrel,node
  --scenarios    comma-separated; default: pingpong,throughput,many-conns,idle-scale,short-conn,nagle,large,open-loop
  --out          run folder (default bench-results/yyyyMMdd-HHmmss, UTC)
  --placement    split: server on CPU 0, load generator on CPU 1 (default; taskset)
                 shared: both on CPU 0; none: no pinning, the scheduler decides
  --compare      after the run, compare it with BASELINE_DIR (e.g. bench-results/baseline)
  --threshold    percent a ratio to reference may fall before --compare fails (default 25)
  --warmup       warm-up per cell, overriding --quick's 300ms or the full run's 2s (e.g. 2s)
  --duration     measured time per cell, overriding --quick's 1s or the full run's 10s

Exit status: 0 when every cell that ran was correct (and --compare found no regression), 1 when a cell
failed correctness (echo mismatch, crashed server, server that did not start or stop) or --compare
found a regression, 2 for a bad option.
EOF
}

die_usage() {
  echo "run-bench.sh: $1 (see --help)" >&2
  exit 2
}

root=$(cd "$(dirname "$0")" && pwd)
cd "$root"

all_models=(reference blocking select epoll-lt epoll-et saea uring kestrel node)
all_scenarios=(pingpong throughput many-conns idle-scale short-conn nagle large open-loop)
quick=false
models_text=$(IFS=,; echo "${all_models[*]}")
scenarios_text=$(IFS=,; echo "${all_scenarios[*]}")
out=""
placement=split
compare=""
threshold=25
warmup_override=""
duration_override=""

while (($# > 0)); do
  case "$1" in
    --quick) quick=true ;;
    --models | --scenarios | --out | --placement | --compare | --threshold | --warmup | --duration)
      (($# >= 2)) || die_usage "option '$1' needs a value"
      case "$1" in
        --models) models_text=$2 ;;
        --scenarios) scenarios_text=$2 ;;
        --out) out=$2 ;;
        --placement) placement=$2 ;;
        --compare) compare=$2 ;;
        --threshold) threshold=$2 ;;
        --warmup) warmup_override=$2 ;;
        --duration) duration_override=$2 ;;
      esac
      shift ;;
    -h | --help) usage; exit 0 ;;
    *) die_usage "unknown option '$1'" ;;
  esac
  shift
done

IFS=', ' read -r -a models <<<"$models_text"
IFS=', ' read -r -a scenarios <<<"$scenarios_text"
for model in "${models[@]}"; do
  [[ " ${all_models[*]} " == *" $model "* ]] || die_usage "unknown model '$model'; models are ${all_models[*]}"
done
for scenario in "${scenarios[@]}"; do
  [[ " ${all_scenarios[*]} " == *" $scenario "* ]] || die_usage "unknown scenario '$scenario'; scenarios are ${all_scenarios[*]}"
done
case "$placement" in split | shared | none) ;; *) die_usage "--placement must be split, shared or none" ;; esac
[[ "$threshold" =~ ^[0-9]+$ ]] || die_usage "--threshold must be a whole number of percent"
[[ -z "$compare" || -d "$compare" ]] || die_usage "no baseline run folder at '$compare'"

# Durations. Quick: 10 cells per model × 9 models = 90 cells of 1.3 s of load each, plus a server and a
# load generator start-up per cell: 3 min 55 s including the build on a quiet machine (bench-results/README.md).
if $quick; then
  warmup=300ms duration=1s idle_steps=(0 5000) open_loop_probe=1s
else
  warmup=2s duration=10s idle_steps=(0 1000 5000) open_loop_probe=5s
fi
# Thread-pool servers (saea, kestrel) need a couple of seconds on one pinned core before the pool has grown and
# the JIT has tiered up; CI's compared run gives them that without the full run's length.
duration_pattern='^[0-9]+(ms|s|m)$'
[[ -z "$warmup_override" || "$warmup_override" =~ $duration_pattern ]] || die_usage "--warmup takes a duration such as 500ms or 2s"
[[ -z "$duration_override" || "$duration_override" =~ $duration_pattern ]] || die_usage "--duration takes a duration such as 500ms or 2s"
warmup=${warmup_override:-$warmup}
duration=${duration_override:-$duration}
listen_timeout=15 # seconds a server may take to print its listening line
stop_timeout=5    # SPEC §2: exit within 5 s of SIGTERM

stamp=$(date -u +%Y%m%d-%H%M%S)
out=${out:-bench-results/$stamp}
# Cells left from another run would mix into this one's summary.
[[ ! -e "$out/manifest.json" ]] || die_usage "'$out' already holds a run; remove it or choose another --out"
mkdir -p "$out/cells"
out=$(cd "$out" && pwd)

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

json_string() {
  local text=$1
  text=${text//\\/\\\\}
  text=${text//\"/\\\"}
  text=${text//$'\t'/ }
  text=${text//$'\r'/}
  text=${text//$'\n'/ }
  printf '"%s"' "$text"
}

json_array() {
  local first=true item
  printf '['
  for item in "$@"; do
    $first || printf ', '
    first=false
    json_string "$item"
  done
  printf ']'
}

# ---------------------------------------------------------------------------------------------------
# Placement. On a 2-core VM, whether client and server share a core or sit on two changes single-
# connection latency several times over; pinning makes that choice explicit, repeatable and recorded.
cores=$(nproc)
server_cpu="" loadgen_cpu=""
placement_note=""
if [[ "$placement" != none ]] && ! command -v taskset >/dev/null 2>&1; then
  placement_note=" (taskset not found: fell back to none)"
  placement=none
fi
if [[ "$placement" == split && "$cores" -lt 2 ]]; then
  placement_note=" (1 core: split needs 2, fell back to shared)"
  placement=shared
fi
case "$placement" in
  split) server_cpu=0 loadgen_cpu=1
    placement_description="server on CPU 0, load generator on CPU 1 (taskset)$placement_note" ;;
  shared) server_cpu=0 loadgen_cpu=0
    placement_description="server and load generator both on CPU 0 (taskset)$placement_note" ;;
  none) placement_description="no pinning: the scheduler places both processes$placement_note" ;;
esac
server_prefix=() loadgen_prefix=()
[[ -n "$server_cpu" ]] && server_prefix=(taskset -c "$server_cpu")
[[ -n "$loadgen_cpu" ]] && loadgen_prefix=(taskset -c "$loadgen_cpu")

started_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
write_manifest() {
  local finished_at=$1 commit dirty=false cpu_model
  commit=$(git rev-parse HEAD 2>/dev/null || echo unknown)
  # The run folder itself is new and untracked while the run writes it: it does not make the source dirty.
  [[ -n "$(git status --porcelain -- . ":(exclude)$out" 2>/dev/null)" ]] && dirty=true
  cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
  {
    printf '{\n  "schema": "iomodels.bench/1",\n'
    printf '  "startedAt": %s,\n  "finishedAt": %s,\n' "$(json_string "$started_at")" "$(json_string "$finished_at")"
    printf '  "host": { "kernel": %s, "cpuModel": %s, "cores": %s, "memoryKiB": %s },\n' \
      "$(json_string "$(uname -r)")" "$(json_string "$cpu_model")" "$cores" \
      "$(awk '/^MemTotal/ { print $2 }' /proc/meminfo)"
    printf '  "dotnetSdk": %s,\n' "$(json_string "$(dotnet --version)")"
    printf '  "gcc": %s,\n' "$(json_string "$(gcc -dumpfullversion 2>/dev/null || echo none)")"
    printf '  "node": %s,\n' "$(json_string "$(node --version 2>/dev/null || echo none)")"
    printf '  "commit": %s,\n  "dirty": %s,\n' "$(json_string "$commit")" "$dirty"
    printf '  "placement": { "mode": %s, "server": %s, "loadgen": %s, "description": %s },\n' \
      "$(json_string "$placement")" "$(json_string "${server_cpu:-any}")" "$(json_string "${loadgen_cpu:-any}")" \
      "$(json_string "$placement_description")"
    printf '  "models": %s,\n  "scenarios": %s,\n' "$(json_array "${models[@]}")" "$(json_array "${scenarios[@]}")"
    printf '  "options": { "quick": %s, "warmup": %s, "duration": %s, "idleSteps": %s, "framing": "framed", "payload": 64 }\n}\n' \
      "$quick" "$(json_string "$warmup")" "$(json_string "$duration")" "$(json_array "${idle_steps[@]}")"
  } >"$out/manifest.json"
}

# ---------------------------------------------------------------------------------------------------
# Tools a clean Debian machine may lack: gcc for the C reference, a font for the charts' text (ScottPlot
# draws with SkiaSharp's dependency-free Linux build, which reads fonts from /usr/share/fonts).
missing=()
command -v gcc >/dev/null 2>&1 || missing+=(gcc)
compgen -G '/usr/share/fonts/truetype/dejavu/*.ttf' >/dev/null || missing+=(fonts-dejavu-core)
if ((${#missing[@]} > 0)); then
  sudo=()
  [[ "$(id -u)" == 0 ]] || sudo=(sudo)
  if command -v apt-get >/dev/null 2>&1 && { ((${#sudo[@]} == 0)) || command -v sudo >/dev/null 2>&1; }; then
    log "installing ${missing[*]} (apt-get)"
    "${sudo[@]}" apt-get update -qq >"$out/apt.log" 2>&1
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$out/apt.log" 2>&1 || {
      echo "run-bench.sh: could not install ${missing[*]} (log: $out/apt.log)" >&2
      exit 1
    }
  else
    echo "run-bench.sh: needs ${missing[*]} (Debian: apt-get install ${missing[*]})" >&2
    exit 1
  fi
fi

# ---------------------------------------------------------------------------------------------------
# Build once.
log "building Release (dotnet build IoModels.sln -c Release)"
dotnet build IoModels.sln -c Release -v quiet -nologo >"$out/build.log" 2>&1 || {
  tail -n 30 "$out/build.log" >&2
  echo "run-bench.sh: the build failed (full log: $out/build.log)" >&2
  exit 1
}
reference_binary=""
if [[ -x servers/reference/build.sh ]]; then
  log "building the C reference server (servers/reference/build.sh)"
  reference_binary=$(servers/reference/build.sh)
fi

loadgen_dll=loadgen/IoModels.LoadGen/bin/Release/net10.0/IoModels.LoadGen.dll
report_dll=loadgen/IoModels.BenchReport/bin/Release/net10.0/IoModels.BenchReport.dll
server_dll=servers/IoModels.Server/bin/Release/net10.0/IoModels.Server.dll
kestrel_dll=servers/IoModels.KestrelEcho/bin/Release/net10.0/IoModels.KestrelEcho.dll
node_script=servers/peers/node/echo.js
# IOMODELS_LOADGEN: another load generator command taking the SPEC §3 options (e.g. a Debug build).
if [[ -n "${IOMODELS_LOADGEN:-}" ]]; then
  read -r -a loadgen_command <<<"$IOMODELS_LOADGEN"
else
  [[ -f "$loadgen_dll" ]] || { echo "run-bench.sh: the load generator was not built ($loadgen_dll)" >&2; exit 1; }
  loadgen_command=(dotnet "$loadgen_dll")
fi
# Our models come from the server itself, so a model added to the catalog is benchmarked with no edit here.
known_models=$(dotnet "$server_dll" --help | sed -n 's/^ *--model MODEL *//p')

write_manifest ""

# Sets server_command (array) for a model; or sets absent_status and absent_detail and returns 1.
server_command_for() {
  local model=$1
  absent_status=not-available
  case "$model" in
    reference)
      [[ -n "$reference_binary" ]] || { absent_detail="servers/reference/build.sh is not in this tree"; return 1; }
      server_command=("$reference_binary") ;;
    kestrel)
      [[ -f "$kestrel_dll" ]] || { absent_detail="servers/IoModels.KestrelEcho is not in this tree"; return 1; }
      server_command=(dotnet "$kestrel_dll") ;;
    node)
      command -v node >/dev/null 2>&1 || { absent_status=skipped absent_detail="node is not installed"; return 1; }
      [[ -f "$node_script" ]] || { absent_detail="$node_script is not in this tree"; return 1; }
      server_command=(node "$node_script") ;;
    *)
      [[ ", $known_models, " == *", $model, "* ]] || { absent_detail="the server does not know this model yet (it knows $known_models)"; return 1; }
      server_command=(dotnet "$server_dll" --model "$model") ;;
  esac
}

server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'echo "run-bench.sh: interrupted" >&2; exit 130' INT TERM

# A child that exited but was not reaped yet still answers kill -0: look at its state instead.
is_running() {
  local state
  state=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
  [[ -n "$state" && "$state" != Z ]]
}

# Starts a server and waits for its listening line. Sets server_pid and target, or returns 1.
start_server() {
  local stdout_file=$1 stderr_file=$2 deadline line
  shift 2
  : >"$stdout_file" # exists before the server starts, so polling it never races the redirection
  "${server_prefix[@]}" "$@" >"$stdout_file" 2>"$stderr_file" &
  server_pid=$!
  deadline=$((SECONDS + listen_timeout))
  while ((SECONDS < deadline)); do
    line=$(grep -m 1 '^listening on ' "$stdout_file" || true)
    if [[ -n "$line" ]]; then
      target=$(awk '{ print $3 }' <<<"$line")
      return 0
    fi
    is_running "$server_pid" || return 1
    sleep 0.05
  done
  return 1
}

# Sends SIGTERM and waits up to stop_timeout. Sets server_exit (the code, or "timeout").
stop_server() {
  local deadline
  kill -TERM "$server_pid" 2>/dev/null || true
  deadline=$((SECONDS + stop_timeout))
  while is_running "$server_pid" && ((SECONDS < deadline)); do
    sleep 0.05
  done
  if is_running "$server_pid"; then
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_exit=timeout
  else
    server_exit=0
    wait "$server_pid" 2>/dev/null || server_exit=$?
  fi
  server_pid=""
}

json_number() { # first number after "KEY": in a JSON file; empty when the file or the key is missing
  { grep -o "\"$2\": *[0-9.eE+-]*" "$1" 2>/dev/null || true; } | head -n 1 | sed 's/.*: *//'
}

# Runs the load generator; sets loadgen_exit.
run_loadgen() {
  loadgen_exit=0
  "${loadgen_prefix[@]}" "${loadgen_command[@]}" --target "$target" --server-pid "$server_pid" \
    --warmup "$warmup" --framing framed --progress false "$@" || loadgen_exit=$?
}

declare -A capacity=() # model → messages/s measured by the throughput scenario, for open-loop's rate
failures=0
cell_index=0

# Cell arguments: model scenario family variant server-options... -- loadgen-options...
run_cell() {
  local model=$1 scenario=$2 family=$3 variant=$4
  shift 4
  local server_options=() loadgen_options=() status detail="" began=$SECONDS
  while [[ "$1" != -- ]]; do server_options+=("$1"); shift; done
  shift
  loadgen_options=("$@")
  local dir="$out/cells/$scenario"
  local stem="$dir/$model"
  mkdir -p "$dir"
  cell_index=$((cell_index + 1))
  printf -v progress '[%3d/%d] %-9s × %-18s' "$cell_index" "$total_cells" "$model" "$scenario"

  server_command=()
  if ! server_command_for "$model"; then
    status=$absent_status detail=$absent_detail
  elif ! start_server "$stem.server.out" "$stem.server.log" "${server_command[@]}" --port 0 "${server_options[@]}"; then
    status=failed-to-start
    if is_running "$server_pid"; then
      detail="no 'listening on' line within ${listen_timeout} s"
      stop_server
    else
      wait "$server_pid" 2>/dev/null && server_exit=0 || server_exit=$?
      detail="exited with $server_exit before listening: $(head -n 1 "$stem.server.log")"
      server_pid=""
    fi
  else
    local rate="" run=true
    if [[ "$family" == open-loop ]]; then
      # Half of this model's capacity: from the throughput scenario of this run, else a short probe now.
      rate=${capacity[$model]:-}
      if [[ -z "$rate" ]]; then
        run_loadgen --connections 64 --payload 64 --duration "$open_loop_probe" --label "$model/capacity-probe" \
          --json "$stem.probe.json" >"$stem.probe.log" 2>&1
        rate=$(json_number "$stem.probe.json" messagesPerSecond)
      fi
      rate=$(awk -v r="${rate:-0}" 'BEGIN { printf "%d", r / 2 }')
      if ((rate > 0)); then
        loadgen_options+=(--rate "$rate")
      else
        run=false
      fi
    fi
    loadgen_exit=0
    if $run; then
      run_loadgen --duration "$duration" --label "$model/$scenario" --json "$stem.json" --hgrm "$stem.hgrm" \
        "${loadgen_options[@]}" >"$stem.loadgen.log" 2>&1
    fi
    if ! is_running "$server_pid"; then
      wait "$server_pid" 2>/dev/null && server_exit=0 || server_exit=$?
      server_pid=""
      status=crashed detail="the server exited with $server_exit before SIGTERM (log: cells/$scenario/$model.server.log)"
    else
      stop_server
      if ! $run; then
        status=loadgen-error detail="no capacity to set open-loop's rate from: the closed-loop probe echoed nothing (log: cells/$scenario/$model.probe.log)"
      elif ((loadgen_exit == 1)); then
        status=mismatch detail="the load generator found echoes that differ from what it sent (log: cells/$scenario/$model.loadgen.log)"
      elif ((loadgen_exit != 0)) || [[ ! -s "$stem.json" ]]; then
        status=loadgen-error detail="the load generator exited with $loadgen_exit: $({ grep -v '^\s*$' "$stem.loadgen.log" || true; } | tail -n 1)"
      elif [[ "$(json_number "$stem.json" messages)" == 0 ]]; then
        status=stalled detail="no echo completed in the measured phase (log: cells/$scenario/$model.loadgen.log)"
      elif [[ "$server_exit" == timeout ]]; then
        status=stop-timeout detail="still running ${stop_timeout} s after SIGTERM; killed"
      elif [[ "$server_exit" != 0 ]]; then
        status=server-error detail="exited with $server_exit after SIGTERM"
      else
        status=ok
      fi
    fi
  fi

  case "$status" in ok | not-available | skipped) ;; *) failures=$((failures + 1)) ;; esac
  printf '{ "model": %s, "scenario": %s, "family": %s, "variant": %s, "status": %s, "detail": %s, "seconds": %s }\n' \
    "$(json_string "$model")" "$(json_string "$scenario")" "$(json_string "$family")" "$(json_string "$variant")" \
    "$(json_string "$status")" "$(json_string "$detail")" "$((SECONDS - began))" >"$stem.outcome.json"

  local figures=""
  if [[ "$status" == ok ]]; then
    local mps p99
    mps=$(json_number "$stem.json" messagesPerSecond)
    p99=$(json_number "$stem.json" p99)
    figures=$(awk -v m="$mps" -v p="$p99" 'BEGIN { printf "%.0f msg/s, p99 %.0f µs", m, p }')
    [[ "$family" == throughput ]] && capacity[$model]=$mps
  fi
  log "$progress $status ${figures:-$detail} ($((SECONDS - began)) s)"
}

# The matrix: scenarios outside, models inside, so open-loop can use the throughput just measured.
cells_per_model=0
for scenario in "${scenarios[@]}"; do
  case "$scenario" in
    idle-scale) cells_per_model=$((cells_per_model + ${#idle_steps[@]})) ;;
    nagle) cells_per_model=$((cells_per_model + 2)) ;;
    *) cells_per_model=$((cells_per_model + 1)) ;;
  esac
done
total_cells=$((cells_per_model * ${#models[@]}))
log "run folder $out: ${#models[@]} models × ${#scenarios[@]} scenarios = $total_cells cells; $placement_description"

for scenario in "${scenarios[@]}"; do
  for model in "${models[@]}"; do
    case "$scenario" in
      pingpong) run_cell "$model" pingpong pingpong "" -- --connections 1 --payload 64 ;;
      throughput) run_cell "$model" throughput throughput "" -- --connections 64 --payload 64 ;;
      many-conns) run_cell "$model" many-conns many-conns "" -- --connections 1000 --payload 64 ;;
      idle-scale)
        for idle in "${idle_steps[@]}"; do
          run_cell "$model" "idle-scale-$idle" idle-scale "$idle" -- --connections 16 --payload 64 --idle-connections "$idle"
        done ;;
      short-conn) run_cell "$model" short-conn short-conn "" -- --connections 8 --payload 64 --connect-mode per-request ;;
      nagle)
        # Header and payload in two writes; Nagle (no-delay false) on both sides vs TCP_NODELAY on both.
        run_cell "$model" nagle-nodelay-off nagle "no-delay false" --no-delay false -- \
          --connections 1 --payload 64 --split-writes --no-delay false
        run_cell "$model" nagle-nodelay-on nagle "no-delay true" --no-delay true -- \
          --connections 1 --payload 64 --split-writes --no-delay true ;;
      large) run_cell "$model" large large "" -- --connections 4 --payload 65536 ;;
      open-loop) run_cell "$model" open-loop open-loop "" -- --connections 64 --payload 64 ;;
    esac
  done
done

write_manifest "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
dotnet "$report_dll" summarize "$out" >&2
log "summary: $out/summary.md"

status=0
if ((failures > 0)); then
  log "$failures cell(s) failed correctness: see the top of $out/summary.md"
  status=1
fi
if [[ -n "$compare" ]]; then
  dotnet "$report_dll" compare "$compare" "$out" --threshold "$threshold" --markdown "$out/compare.md" || status=1
fi
exit "$status"
