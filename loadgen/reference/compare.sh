#!/usr/bin/env bash
# Measures the load generator against the minimal C epoll client (echo_client.c) on the same server, in one run:
# alternating runs of each, so machine noise hits both. Prints each figure and the ratio loadgen / C client.
#
#   loadgen/reference/compare.sh [MODEL] [CONNECTIONS] [PAYLOAD] [SECONDS] [ROUNDS] [-- extra loadgen options]
#
# MODEL is a server model name (select, blocking, ...) started from servers/IoModels.Server, "c" for the C
# reference server (servers/reference/echo_server.c, built by servers/reference/build.sh), or the path of any
# server executable that takes --port 0 and prints "listening on ADDRESS:PORT".
# Optional CPU placement (recorded in the output): SERVER_CPUS=0 CLIENT_CPUS=1 loadgen/reference/compare.sh ...
# Prints the median ratio at the end; with a noisy machine, use more, shorter rounds.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
model="${1:-select}"; connections="${2:-64}"; payload="${3:-64}"; seconds="${4:-5}"; rounds="${5:-2}"
shift $(( $# < 5 ? $# : 5 )); [[ "${1:-}" == "--" ]] && shift
extra=("$@")

client="$("$root/loadgen/reference/build.sh")"
dotnet build -c Release "$root/loadgen/IoModels.LoadGen" -v q -nologo >/dev/null
loadgen="$root/loadgen/IoModels.LoadGen/bin/Release/net10.0/IoModels.LoadGen"

server_pin=(); client_pin=()
[[ -n "${SERVER_CPUS:-}" ]] && server_pin=(taskset -c "$SERVER_CPUS")
[[ -n "${CLIENT_CPUS:-}" ]] && client_pin=(taskset -c "$CLIENT_CPUS")

out="$(mktemp)"
if [[ "$model" == "c" ]]; then
  bash "$root/servers/reference/build.sh" >/dev/null
  "${server_pin[@]}" "$root/servers/reference/build/echo_server" --port 0 >"$out" 2>/dev/null &
elif [[ -x "$model" ]]; then
  "${server_pin[@]}" "$model" --port 0 >"$out" 2>/dev/null &
else
  dotnet build -c Release "$root/servers/IoModels.Server" -v q -nologo >/dev/null
  "${server_pin[@]}" "$root/servers/IoModels.Server/bin/Release/net10.0/IoModels.Server" --model "$model" --port 0 >"$out" 2>/dev/null &
fi
server=$!
trap 'kill "$server" 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 100); do grep -q "listening on" "$out" && break; sleep 0.1; done
port="$(grep -o 'listening on [0-9.]*:[0-9]*' "$out" | sed 's/.*://')"
echo "server $model pid $server port $port; server cpus ${SERVER_CPUS:-any}, client cpus ${CLIENT_CPUS:-any} of $(grep Cpus_allowed_list /proc/self/status | cut -f2); load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "connections $connections, payload $payload B, $seconds s per run, loadgen options: ${extra[*]:-none}"

# Steal time (the hypervisor running someone else on our vCPUs) during a round makes that round's ratio noise.
steal() { awk '/^cpu /{ print $9 }' /proc/stat; }
ratios=()
for round in $(seq "$rounds"); do
  steal_before="$(steal)"
  c="$("${client_pin[@]}" "$client" 127.0.0.1 "$port" "$connections" "$payload" "$seconds" | awk '{print $2}')"
  json="$(mktemp)"
  "${client_pin[@]}" "$loadgen" --target "127.0.0.1:$port" --connections "$connections" --payload "$payload" --duration "${seconds}s" \
    --warmup 1s --progress false --json "$json" "${extra[@]}" >/dev/null
  l="$(grep -m1 '"messagesPerSecond"' "$json" | tr -dc '0-9.')"
  rm -f "$json"
  ratio="$(awk -v c="$c" -v l="$l" 'BEGIN { printf "%.3f", l / c }')"
  ratios+=("$ratio")
  echo "round $round: C client $c msg/s, loadgen $l msg/s, ratio $ratio, steal $(( $(steal) - steal_before )) ticks"
done
printf '%s\n' "${ratios[@]}" | sort -n | awk '{ a[NR] = $1 } END { m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "median ratio loadgen / C client: %.2f over %d rounds\n", m, NR }'
