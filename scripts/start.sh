#!/usr/bin/env bash
# The one command that runs the mesh locally (`npm start`), step by step:
#   1. installs dependencies when missing;
#   2. starts Elasticsearch, Kafka and Cassandra on loopback (reusing any already running);
#   3. starts the services (orchestrator, query-understanding, autocomplete, facet, ranking), the two workers
#      (indexer, feature-pipeline) and the storefront page, reusing any already answering on its port;
#   4. publishes the demo catalog to Kafka unless the index already holds it, with a progress bar while the
#      indexer writes it to Elasticsearch;
#   5. waits until every service is ready, starts the traffic simulator (behaviour events → feature pipeline
#      → feature store and query log), and prints the URLs.
# Ctrl-C (or SIGTERM) stops everything this run started, and only that. Running it again while a first run is
# still up reuses that run's servers and index and starts nothing twice.
#
#   SEARCH_MESH_CATALOG_SIZE (50000), SEARCH_MESH_CATALOG_SEED (42): the demo catalog
#   SEARCH_MESH_SIMULATOR_RATE (200): simulated shopper events per second; 0 runs no simulator
#   SEARCH_MESH_<SERVICE>_PORT: each service's port (see README, Ports); peers follow
#   SEARCH_MESH_START_TIMEOUT_S (300): longest wait for one step
#   SEARCH_MESH_START_STATE_DIR (.infra): where the services' logs and the simulator's pid file go
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh
started_at=$SECONDS
catalog_size="${SEARCH_MESH_CATALOG_SIZE:-50000}"
catalog_seed="${SEARCH_MESH_CATALOG_SEED:-42}"
simulator_rate="${SEARCH_MESH_SIMULATOR_RATE:-200}"
timeout_s="${SEARCH_MESH_START_TIMEOUT_S:-300}"
namespace="${SEARCH_MESH_NAMESPACE:-search_mesh}"
state="${SEARCH_MESH_START_STATE_DIR:-.infra}"
logs="$state/logs"
run="$state/run"
mkdir -p "$logs" "$run"
tty=0; [[ -t 1 ]] && tty=1

ensure_dependencies

# ---- what this run started, stopped on exit ----
started_pids=()
started_names=()
stop_all() {
  local rc=$?
  trap - INT TERM EXIT
  if (( ${#started_pids[@]} > 0 )); then
    step "stopping ${started_names[*]}"
    local pid
    for pid in "${started_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${started_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -f "$run/simulator.pid"
  fi
  if (( ${#STARTED_INFRA[@]} > 0 )); then
    step "stopping ${STARTED_INFRA[*]}"
    bash infra/local/all.sh down "${STARTED_INFRA[@]}" || true
  fi
  exit "$rc"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

elapsed() { echo "$(( SECONDS - started_at ))s"; }

# ---- 2. infrastructure ----
start_missing_infra
echo "  Elasticsearch $ES_URL, Kafka $KAFKA_BROKERS, Cassandra $CASSANDRA_CONTACT_POINTS ($(elapsed))"

# ---- 3. services ----
services=(indexer feature-pipeline orchestrator query-understanding autocomplete facet ranking storefront)
declare -A default_ports=([orchestrator]=8080 [query-understanding]=8081 [autocomplete]=8082 [facet]=8083 [ranking]=8084 [indexer]=8085 [feature-pipeline]=8086 [storefront]=8087)
declare -A ports
env_segment() { echo "${1^^}" | tr -c 'A-Z0-9\n' '_'; }
for s in "${services[@]}"; do
  var="SEARCH_MESH_$(env_segment "$s")_PORT"
  ports[$s]="${!var:-${default_ports[$s]}}"
done
url_of() { echo "http://127.0.0.1:${ports[$1]}"; }

# The peers follow the chosen ports; the autocomplete service suggests from the same catalog the indexer serves.
for peer in query-understanding autocomplete facet ranking; do
  export "SEARCH_MESH_ORCHESTRATOR_$(env_segment "$peer")_URL=$(url_of "$peer")"
done
export SEARCH_MESH_STOREFRONT_ORCHESTRATOR_URL="$(url_of orchestrator)"
export SEARCH_MESH_AUTOCOMPLETE_CATALOG_SIZE="$catalog_size" SEARCH_MESH_AUTOCOMPLETE_CATALOG_SEED="$catalog_seed"
# The merchandiser console needs a token: one kept in the state dir unless given (so a second run's URL
# works with the facet service the first run started); query understanding follows the merchandisers' rules.
if [[ -z "${SEARCH_MESH_FACET_ADMIN_TOKENS:-}" ]]; then
  [[ -s "$state/console-token" ]] || (umask 077; echo "local-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')" >"$state/console-token")
  console_token="$(cat "$state/console-token")"
  export SEARCH_MESH_FACET_ADMIN_TOKENS="local:admin:$console_token"
fi
export SEARCH_MESH_QUERY_UNDERSTANDING_RULES_FROM_KAFKA="${SEARCH_MESH_QUERY_UNDERSTANDING_RULES_FROM_KAFKA:-true}"

# is_ours NAME: the process answering on NAME's port is that service (its metrics carry service="NAME").
# (Not `curl | grep -q`: grep quitting early fails curl with SIGPIPE, and pipefail the pipeline.)
is_ours() { [[ "$(curl -fsS --max-time 2 "$(url_of "$1")/metrics" 2>/dev/null)" == *"service=\"$1\""* ]]; }
is_ready() { curl -fsS --max-time 2 -o /dev/null "$(url_of "$1")/readyz" 2>/dev/null; }
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/${ports[$1]}") 2>/dev/null; }

declare -A pid_of
step "starting the services (logs in $logs/)"
for s in "${services[@]}"; do
  if is_ours "$s"; then
    printf '  %-20s %s  already running, reused\n' "$s" "$(url_of "$s")"
  elif port_taken "$s"; then
    echo "port ${ports[$s]} is taken by something that is not the $s service; set SEARCH_MESH_$(env_segment "$s")_PORT" >&2
    exit 1
  else
    node --import tsx "services/$s/src/server.ts" >"$logs/$s.log" 2>&1 &
    started_pids+=($!); started_names+=("$s"); pid_of[$s]=$!
    printf '  %-20s %s  starting (pid %d)\n' "$s" "$(url_of "$s")" "$!"
  fi
done

# wait_ready NAME...: waits until each answers /readyz, showing which it still waits for.
wait_ready() {
  local pending=("$@") deadline=$(( SECONDS + timeout_s )) last_print=0 s still
  while (( ${#pending[@]} > 0 )); do
    still=()
    for s in "${pending[@]}"; do
      if [[ -n "${pid_of[$s]:-}" ]] && ! kill -0 "${pid_of[$s]}" 2>/dev/null; then
        printf '\n%s exited while starting; last lines of %s:\n' "$s" "$logs/$s.log" >&2
        tail -n 20 "$logs/$s.log" >&2 || true
        exit 1
      fi
      if is_ready "$s"; then printf '%s  %-20s ready (%s)\n' "$( ((tty)) && printf '\r\033[K')" "$s" "$(elapsed)"
      else still+=("$s"); fi
    done
    pending=("${still[@]+"${still[@]}"}")
    (( ${#pending[@]} == 0 )) && break
    if (( SECONDS > deadline )); then
      printf '\n' >&2
      for s in "${pending[@]}"; do echo "$s did not become ready within ${timeout_s}s; last lines of $logs/$s.log:" >&2; tail -n 20 "$logs/$s.log" >&2 || true; done
      exit 1
    fi
    if (( tty )); then printf '\r\033[K  waiting for %s … %s' "${pending[*]}" "$(elapsed)"
    elif (( SECONDS - last_print >= 10 )); then echo "  waiting for ${pending[*]} ($(elapsed))"; last_print=$SECONDS; fi
    sleep 0.5
  done
}

# ---- 4. the catalog ----
step "waiting for the indexer"
wait_ready indexer
products_alias="${namespace}_products"
indexed() { curl -fsS --max-time 5 "$ES_URL/$products_alias/_count" 2>/dev/null | sed -n 's/.*"count":\([0-9]*\).*/\1/p' || true; }
current="$(indexed)"; current="${current:-0}"
if (( current >= catalog_size )); then
  step "demo catalog already indexed ($current products in $products_alias), not published again"
else
  step "publishing the demo catalog ($catalog_size products, seed $catalog_seed) to Kafka"
  node --import tsx services/indexer/bin/publish-catalog.ts --size "$catalog_size" --seed "$catalog_seed"
  step "indexing: Kafka → indexer → Elasticsearch $products_alias"
  deadline=$(( SECONDS + timeout_s )); began=$SECONDS; last_print=-10
  while :; do
    count="$(indexed)"; count="${count:-0}"
    width=40; filled=$(( count * width / catalog_size )); (( filled > width )) && filled=$width
    secs=$(( SECONDS - began )); rate=$(( secs > 0 ? count / secs : 0 ))
    bar="$(printf '%*s' "$filled" '' | tr ' ' '#')"
    line="$(printf '  [%-*s] %3d%%  %d / %d products  %d/s' "$width" "$bar" $(( count * 100 / catalog_size )) "$count" "$catalog_size" "$rate")"
    if (( tty )); then printf '\r\033[K%s' "$line"
    elif (( SECONDS - last_print >= 5 || count >= catalog_size )); then echo "$line"; last_print=$SECONDS; fi
    (( count >= catalog_size )) && break
    if (( SECONDS > deadline )); then
      echo; echo "indexing did not finish within ${timeout_s}s; see $logs/indexer.log" >&2; exit 1
    fi
    sleep 1
  done
  (( tty )) && echo
  echo "  indexed in $(( SECONDS - began ))s ($(elapsed))"
fi

# ---- 5. the rest, and traffic ----
step "waiting for the services to be ready"
wait_ready feature-pipeline orchestrator query-understanding autocomplete facet ranking storefront

if (( simulator_rate > 0 )); then
  if [[ -f "$run/simulator.pid" ]] && kill -0 "$(cat "$run/simulator.pid")" 2>/dev/null; then
    step "traffic simulator already running (pid $(cat "$run/simulator.pid")), reused"
  else
    step "starting the traffic simulator: $simulator_rate shopper events/s → Kafka → feature pipeline → Cassandra and the query log"
    node --import tsx services/feature-pipeline/bin/simulate.ts --events 1000000000 --rate "$simulator_rate" --catalog "$catalog_size" >"$logs/simulator.log" 2>&1 &
    started_pids+=($!); started_names+=(simulator)
    echo $! >"$run/simulator.pid"
  fi
fi

# Ready is not yet answering: a new index's first searches can take longer than a storefront's budget (cold
# caches; seconds on a loaded machine). The orchestrator warms itself up before it reports ready, but on a
# fresh machine it starts before the catalog is indexed; a dozen searches with a generous budget warm the new
# index (three were not enough: the first shopper's search still ran past the budget) and prove the whole path.
# They run after the simulator has started, so its start-up (seconds of a core) is not the first shopper's.
step "warming up: first searches through the orchestrator"
warm_ok=0; warm_slowest=0; warm_queries=(tv laptop samsung headphones refrigerator "iphone 15" "gaming monitor" camera "washer dryer" speaker "smart watch" printer)
for q in "${warm_queries[@]}"; do
  answer="$(curl -sS --max-time 10 -H 'x-request-budget-ms: 8000' -w '\n%{http_code} %{time_total}' "$(url_of orchestrator)/v1/search?q=${q// /+}&size=1" 2>&1 || true)"
  read -r code secs <<<"$(tail -n 1 <<<"$answer")"
  ms="$(awk -v s="${secs:-0}" 'BEGIN { printf "%.0f", s * 1000 }')"
  if [[ "$code" == 200 ]]; then
    warm_ok=$((warm_ok + 1)); (( ms > warm_slowest )) && warm_slowest=$ms
    if [[ "$q" == tv ]]; then printf '  "tv": %s products in %s ms\n' "$(head -n 1 <<<"$answer" | sed -n 's/.*"total":\([0-9]*\).*/\1/p')" "$ms"; fi
  else echo "  WARNING: \"$q\" answered ${code:-nothing}: $(head -n 1 <<<"$answer" | cut -c1-200)" >&2; fi
done
echo "  $warm_ok of ${#warm_queries[@]} searches answered, the slowest in $warm_slowest ms"

step "ready in $(elapsed)"
cat <<EOF
  storefront page     $(url_of storefront)/
  search API          $(url_of orchestrator)/v1/search?q=tv   (OpenAPI: $(url_of orchestrator)/docs)
  suggestions         $(url_of orchestrator)/v1/suggest?q=sams
  status              npm run status
  merchandiser console $(url_of facet)/console/${console_token:+   (token $console_token, role admin)}
  Elasticsearch       $ES_URL/$products_alias/_count
  logs                $logs/<service>.log

Ctrl-C stops what this run started${started_names[*]:+ (${started_names[*]})}${STARTED_INFRA[*]:+ and ${STARTED_INFRA[*]}}.
EOF
if (( ${#started_pids[@]} == 0 )); then
  echo "Everything was already running (another run started it); this run started nothing, so it ends here."
  exit 0
fi
# Wakes on Ctrl-C (the trap stops everything), or when a started process exits: then say which, keep the rest.
while (( ${#started_pids[@]} > 0 )); do
  wait -n "${started_pids[@]}" 2>/dev/null || true
  for i in "${!started_pids[@]}"; do
    if ! kill -0 "${started_pids[$i]}" 2>/dev/null; then
      echo "WARNING: ${started_names[$i]} exited; see $logs/${started_names[$i]}.log" >&2
      unset 'started_pids[i]' 'started_names[i]'
    fi
  done
  started_pids=("${started_pids[@]+"${started_pids[@]}"}"); started_names=("${started_names[@]+"${started_names[@]}"}")
done
echo "every process this run started has exited; run npm start again"
exit 1
