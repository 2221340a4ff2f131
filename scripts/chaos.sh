#!/usr/bin/env bash
# The chaos suite: one api and worker processes, each a real rnnlab-server, on a private local PostgreSQL (membership
# and storage), running an 8-trial training sweep (checkpoints every 2 epochs, 10 s leases) while a fault lands
# mid-trial. After each scenario it checks: every trial final exactly once, one metric point per (trial, epoch, name)
# with epochs contiguous from 1, a gap-free event sequence, no trial Running without a live lease, the sweep finished.
#
#   scripts/chaos.sh [--no-build] [--trx FILE] [SCENARIO...]   (default: every scenario; list them with --list)
# --trx writes the scenarios as test results for scripts/summarize-trx.sh.
#
# Last line: chaos: <n> scenarios, <lost> lost, <duplicated> duplicated, recovery p50 <seconds> s
# (recovery = from the fault until an affected trial runs again). Exits 1 when an invariant fails.
set -euo pipefail
# The whole script is one block, read before it runs, so editing the file meanwhile cannot change a running suite.
{
cd "$(dirname "$0")/.."
root=$(pwd)

all_scenarios=(kill-worker kill-api restart-postgres postgres-down-30s sigstop-worker sigterm-worker late-worker)
build=1
trx=
scenarios=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0 ;;
    --trx) trx=$2; shift ;;
    --list) printf '%s\n' "${all_scenarios[@]}"; exit 0 ;;
    *) scenarios+=("$1") ;;
  esac
  shift
done
[ ${#scenarios[@]} -gt 0 ] || scenarios=("${all_scenarios[@]}")

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if [ "$build" = 1 ]; then
  dotnet build src/RnnLab.Cli/RnnLab.Cli.csproj -c Release -v quiet -nologo >&2
fi
server_dll=$root/src/RnnLab.Server/bin/Release/net10.0/rnnlab-server.dll
cli_dll=$root/src/RnnLab.Cli/bin/Release/net10.0/rnnlab.dll
[ -f "$server_dll" ] && [ -f "$cli_dll" ] || { echo "chaos: build first (missing $server_dll or $cli_dll)" >&2; exit 2; }

work=$(mktemp -d /tmp/rnnlab-chaos.XXXXXX)
chmod 755 "$work"
echo "chaos: logs in $work" >&2

# --- A private PostgreSQL, so stopping it disturbs nobody else's database. ---------------------------------------
scripts/ensure-postgres.sh >/dev/null   # installs the server binaries when missing
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
pg_port=${RNNLAB_CHAOS_PG_PORT:-55432}
pg_home=$work/pg
pg_data=$pg_home/data
as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi; }
mkdir -p "$pg_home" && { [ "$(id -u)" != 0 ] || chown postgres "$pg_home"; }
as_postgres "$pg_bin/initdb -D $pg_data -U postgres --auth=trust -E UTF8 >$pg_home/initdb.log 2>&1"
pg_ctl() { as_postgres "$pg_bin/pg_ctl -D $pg_data -l $pg_home/server.log -o '-p $pg_port -k $pg_home -c listen_addresses=127.0.0.1 -c max_connections=300' $* >/dev/null 2>&1"; }
pg_ctl -w start
psql_db() { PGOPTIONS="-c client_min_messages=warning" psql "host=127.0.0.1 port=$pg_port user=postgres dbname=$1" -v ON_ERROR_STOP=1 -qtAX -c "$2"; }

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -CONT "$pid" 2>/dev/null || true; kill -KILL "$pid" 2>/dev/null || true; done
  pg_ctl -m immediate stop || true
}
trap cleanup EXIT

# --- Processes ---------------------------------------------------------------------------------------------------
declare -A pid_of grpc_port web_port silo_port
# Below Linux's ephemeral range (32768-60999): a port there can be taken by any outgoing connection on the machine,
# and a restarted process could then not bind its old port again.
port_base=${RNNLAB_CHAOS_PORT_BASE:-24600}
next_port=$port_base

# start NAME ROLE: starts (or restarts, on the same ports) one rnnlab-server process.
start() {
  local name=$1 role=$2
  if [ -z "${grpc_port[$name]:-}" ]; then
    grpc_port[$name]=$next_port; web_port[$name]=$((next_port + 1)); silo_port[$name]=$((next_port + 2))
    next_port=$((next_port + 4))
  fi
  local gp=${grpc_port[$name]}
  (
    cd "$work"
    export RNNLAB_ROLE=$role RNNLAB_DATAFOLDER=$work/data
    export RNNLAB_STORAGE__PROVIDER=Postgres RNNLAB_STORAGE__CONNECTIONSTRING="$connection"
    export RNNLAB_CLUSTER__PROVIDER=Postgres RNNLAB_CLUSTER__CLUSTERID=$cluster RNNLAB_CLUSTER__SERVICEID=$cluster
    export RNNLAB_CLUSTER__SILOPORT=${silo_port[$name]} RNNLAB_CLUSTER__GATEWAYPORT=$((gp + 3))
    export RNNLAB_KESTREL__ENDPOINTS__GRPC__URL=http://127.0.0.1:$gp RNNLAB_KESTREL__ENDPOINTS__WEB__URL=http://127.0.0.1:${web_port[$name]}
    export RNNLAB_SLOTS=2 RNNLAB_LEASEDURATION=00:00:10 RNNLAB_CHECKPOINTEVERY=2
    export RNNLAB_LOGGING__LOGLEVEL__DEFAULT=Warning
    exec dotnet "$server_dll" >>"$work/$scenario-$name.log" 2>&1
  ) &
  pid_of[$name]=$!
  pids+=("$!")
  disown "$!"   # the faults kill processes on purpose; the shell need not report each
}

wait_ready() {
  local name=$1 deadline=$((SECONDS + 90))
  until infra/bin/rnnlab-healthcheck /health/ready "${web_port[$name]}" >/dev/null 2>&1; do
    if [ $SECONDS -gt $deadline ]; then echo "chaos: $name was not ready in 90 s (see $work/$scenario-$name.log)" >&2; return 1; fi
    sleep 0.5
  done
}

signal() { kill "-$1" "${pid_of[$2]}" 2>/dev/null || true; }
stop_all() {
  for name in "${!pid_of[@]}"; do kill -CONT "${pid_of[$name]}" 2>/dev/null || true; kill -KILL "${pid_of[$name]}" 2>/dev/null || true; done
  for name in "${!pid_of[@]}"; do
    while kill -0 "${pid_of[$name]}" 2>/dev/null; do sleep 0.2; done
  done
  pid_of=()
}

cli() { RNNLAB_SERVER=http://127.0.0.1:${grpc_port[api]} dotnet "$cli_dll" "$@"; }

spec=$work/sweep.yaml
cat >"$spec" <<'YAML'
name: chaos
task: { name: adding, options: { length: 40, train_size: 1536, eval_size: 256, data_seed: 3 } }
metric: { name: valid.mse, direction: minimize }
fixed: { cell: gru, hidden: 32, batch: 32, epochs: 10, patience: 0 }
search:
  sampler: { type: random, seed: 5 }
  space:
    lr: { loguniform: [0.002, 0.01] }
budget: { trials: 8, parallelism: 8 }
seed: 5
YAML

# --- Observations ------------------------------------------------------------------------------------------------
# Running trials of a worker (by its silo port), or all, with their attempt and last stored epoch: "id attempt epoch".
running_trials() {
  local filter=${1:+"AND worker LIKE '%:$1@%'"}
  psql_db "$db" "SELECT t.id, t.attempt, COALESCE((SELECT max(epoch) FROM metric_points m WHERE m.trial_id = t.id), 0)
                 FROM trials t WHERE t.state = 'Running' $filter ORDER BY t.number" 2>/dev/null | tr '|' ' '
}

# Waits until a trial has stored at least N epochs (a fault then lands mid-trial).
wait_epoch() {
  local n=$1 deadline=$((SECONDS + 180))
  until [ "$(psql_db "$db" "SELECT count(*) FROM trials t WHERE t.state = 'Running' AND EXISTS (SELECT 1 FROM metric_points m WHERE m.trial_id = t.id AND m.epoch >= $n)" 2>/dev/null || echo 0)" -gt 0 ]; do
    [ $SECONDS -lt $deadline ] || { echo "chaos: no trial reached epoch $n" >&2; return 1; }
    sleep 0.5
  done
}

sweep_state() { psql_db "$db" "SELECT state FROM sweeps WHERE id = '$sweep'" 2>/dev/null || echo unknown; }

# Follows the affected trials ("id attempt epoch" lines) from the fault until the sweep ends; prints each trial's
# recovery in seconds: the first moment it ran again (a newer attempt, a newer epoch, or a final state).
follow() {
  local fault_at=$1 affected=$2 deadline=$((SECONDS + ${3:-300}))
  declare -A pending=()
  while read -r id attempt epoch; do [ -n "$id" ] && pending[$id]="$attempt $epoch"; done <<<"$affected"
  while :; do
    for id in "${!pending[@]}"; do
      read -r a0 e0 <<<"${pending[$id]}"
      row=$(psql_db "$db" "SELECT state, attempt, COALESCE((SELECT max(epoch) FROM metric_points WHERE trial_id = '$id'), 0) FROM trials WHERE id = '$id'" 2>/dev/null | tr '|' ' ') || continue
      read -r state attempt epoch <<<"$row"
      if { [ "$state" = Running ] && { [ "$attempt" -gt "$a0" ] || [ "$epoch" -gt "$e0" ]; }; } \
         || [[ "$state" =~ ^(Completed|Pruned|Diverged|Failed|Cancelled)$ ]]; then
        echo "recovery $(awk -v now="$(date +%s.%N)" -v t0="$fault_at" 'BEGIN {printf "%.2f", now - t0}')" >>"$work/$scenario.recovery"
        unset "pending[$id]"
      fi
    done
    state=$(sweep_state)
    if [[ "$state" =~ ^(Completed|Cancelled|Failed)$ ]] && [ ${#pending[@]} -eq 0 ]; then return 0; fi
    [ $SECONDS -lt $deadline ] || { echo "chaos: $scenario: sweep still $state after the deadline" >&2; return 1; }
    sleep 0.5
  done
}

# --- Invariants --------------------------------------------------------------------------------------------------
total_lost=0 total_duplicated=0 failures=0 passed=()
check() {
  local lost duplicated problems=()
  # A trial is lost when it did not complete (nobody cancelled, nothing diverges here) or misses an epoch's points.
  lost=$(psql_db "$db" "
    SELECT count(*) FROM trials t WHERE t.sweep_id = '$sweep' AND (t.state <> 'Completed'
      OR (SELECT count(DISTINCT epoch) FROM metric_points m WHERE m.trial_id = t.id AND m.name = 'valid.mse')
         <> (SELECT COALESCE(max(epoch), 0) FROM metric_points m WHERE m.trial_id = t.id)
      OR NOT EXISTS (SELECT 1 FROM metric_points m WHERE m.trial_id = t.id AND m.epoch = 1)
      OR (SELECT COALESCE(max(epoch), 0) FROM metric_points m WHERE m.trial_id = t.id) <> 10)")
  duplicated=$(psql_db "$db" "
    SELECT (SELECT count(*) FROM (SELECT 1 FROM metric_points m JOIN trials t ON t.id = m.trial_id WHERE t.sweep_id = '$sweep'
                                  GROUP BY m.trial_id, m.epoch, m.name HAVING count(*) > 1) d)
         + (SELECT count(*) FROM (SELECT 1 FROM sweep_events WHERE sweep_id = '$sweep' AND kind = 'trial-finished'
                                  GROUP BY payload_json::json->>'Trial' HAVING count(*) > 1) f)")
  local gaps running_without_lease state finished_events
  gaps=$(psql_db "$db" "SELECT CASE WHEN count(*) = 0 THEN 0 ELSE max(sequence) - min(sequence) + 1 - count(DISTINCT sequence) END FROM sweep_events WHERE sweep_id = '$sweep'")
  running_without_lease=$(psql_db "$db" "SELECT count(*) FROM trials WHERE sweep_id = '$sweep' AND state = 'Running' AND (lease_expires_at IS NULL OR lease_expires_at < now())")
  finished_events=$(psql_db "$db" "SELECT count(DISTINCT payload_json::json->>'Trial') FROM sweep_events WHERE sweep_id = '$sweep' AND kind = 'trial-finished'")
  state=$(sweep_state)
  [ "$lost" = 0 ] || problems+=("$lost lost")
  [ "$duplicated" = 0 ] || problems+=("$duplicated duplicated")
  [ "$gaps" = 0 ] || problems+=("event sequence has $gaps gaps")
  [ "$running_without_lease" = 0 ] || problems+=("$running_without_lease Running without a live lease")
  [ "$finished_events" = 8 ] || problems+=("$finished_events of 8 trials announced final")
  [ "$state" = Completed ] || problems+=("sweep $state")
  total_lost=$((total_lost + lost)); total_duplicated=$((total_duplicated + duplicated))
  if [ ${#problems[@]} -eq 0 ]; then
    passed+=("$scenario")
    echo "chaos: $scenario: ok ($(recovery_summary))"
  else
    failures=$((failures + 1))
    echo "chaos: $scenario: FAILED: $(IFS=,; echo "${problems[*]}") — $(psql_db "$db" "SELECT string_agg(number || ':' || state, ' ' ORDER BY number) FROM trials WHERE sweep_id = '$sweep'")"
  fi
}

recovery_summary() {
  if [ -s "$work/$scenario.recovery" ]; then
    echo "recovery $(awk '{print $2}' "$work/$scenario.recovery" | sort -n | awk '{a[NR]=$1} END {printf "%.1f s median of %d", a[int((NR+1)/2)], NR}')"
  else
    echo "no trial affected"
  fi
}

# --- Scenarios ---------------------------------------------------------------------------------------------------
run_scenario() {
  scenario=$1
  db=chaos_${scenario//-/_}
  cluster=chaos-$scenario
  psql_db postgres "DROP DATABASE IF EXISTS $db" && psql_db postgres "CREATE DATABASE $db"
  connection="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=$db;Timeout=5;Command Timeout=30"
  : >"$work/$scenario.recovery"

  start api Api; wait_ready api
  start w1 Worker
  if [ "$scenario" != late-worker ]; then start w2 Worker; fi
  wait_ready w1
  [ "$scenario" = late-worker ] || wait_ready w2
  sweep=$(cli submit "$spec" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["sweep"]["id"])')
  wait_epoch 3

  local affected fault_at
  case "$scenario" in
    kill-worker)
      affected=$(running_trials "${silo_port[w1]}"); fault_at=$(date +%s.%N)
      signal KILL w1 ;;
    kill-api)
      affected=$(running_trials); fault_at=$(date +%s.%N)
      signal KILL api; while kill -0 "${pid_of[api]}" 2>/dev/null; do sleep 0.2; done
      sleep 2; start api Api ;;
    restart-postgres)
      affected=$(running_trials); fault_at=$(date +%s.%N)
      pg_ctl -m fast -w restart ;;
    postgres-down-30s)
      affected=$(running_trials); fault_at=$(date +%s.%N)
      pg_ctl -m fast -w stop; sleep 30; pg_ctl -w start ;;
    sigstop-worker)
      affected=$(running_trials "${silo_port[w1]}"); fault_at=$(date +%s.%N)
      signal STOP w1; sleep 30; signal CONT w1 ;;
    sigterm-worker)
      affected=$(running_trials "${silo_port[w1]}"); fault_at=$(date +%s.%N)
      signal TERM w1 ;;
    late-worker)
      affected=""; fault_at=$(date +%s.%N)
      start w2 Worker ;;
    *) echo "chaos: unknown scenario $scenario (see --list)" >&2; exit 2 ;;
  esac

  follow "$fault_at" "$affected" 300 || true
  sleep 1
  check
  stop_all
}

for s in "${scenarios[@]}"; do run_scenario "$s"; done

recoveries=$(cat "$work"/*.recovery 2>/dev/null | awk '{print $2}' | sort -n)
p50=$(echo "$recoveries" | awk 'NF {a[++n]=$1} END {if (n) printf "%.1f", a[int((n+1)/2)]; else printf "n/a"}')
echo "chaos: passed: ${passed[*]:-none}"
if [ -n "$trx" ]; then
  mkdir -p "$(dirname "$trx")"
  cat >"$trx" <<TRX
<?xml version="1.0" encoding="utf-8"?>
<TestRun name="chaos" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
  <ResultSummary outcome="$([ "$failures" = 0 ] && echo Completed || echo Failed)">
    <Counters total="${#scenarios[@]}" executed="${#scenarios[@]}" passed="${#passed[@]}" failed="$failures" notExecuted="0" />
  </ResultSummary>
</TestRun>
TRX
fi
echo "chaos: ${#scenarios[@]} scenarios, $total_lost lost, $total_duplicated duplicated, recovery p50 $p50 s"
[ "$failures" = 0 ]
}
