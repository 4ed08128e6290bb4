#!/usr/bin/env bash
# The one command that runs the mesh locally (`npm start`): installs what is missing, starts
# Elasticsearch, Kafka and Cassandra on loopback (reusing any already running), starts the five
# services and the indexer, publishes the demo catalog through Kafka unless it is already indexed,
# waits until each is ready and prints the URLs. Ctrl-C stops everything it started.
#
#   SEARCH_MESH_CATALOG_SIZE (default 50000), SEARCH_MESH_CATALOG_SEED (default 42)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh
ensure_dependencies

service_pids=()
stop_all() {
  trap - INT TERM EXIT
  step "stopping"
  for pid in "${service_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${service_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  (( ${#STARTED_INFRA[@]} == 0 )) || bash infra/local/all.sh down "${STARTED_INFRA[@]}"
}
trap stop_all INT TERM EXIT

start_missing_infra

mkdir -p .infra/logs
declare -A ports=(
  [orchestrator]="${SEARCH_MESH_ORCHESTRATOR_PORT:-8080}"
  [query-understanding]="${SEARCH_MESH_QUERY_UNDERSTANDING_PORT:-8081}"
  [autocomplete]="${SEARCH_MESH_AUTOCOMPLETE_PORT:-8082}"
  [facet]="${SEARCH_MESH_FACET_PORT:-8083}"
  [ranking]="${SEARCH_MESH_RANKING_PORT:-8084}"
  [indexer]="${SEARCH_MESH_INDEXER_PORT:-8085}"
)
# The merchandiser console needs a token: one for this run unless given; query understanding follows the
# merchandisers' query rules.
if [[ -z "${SEARCH_MESH_FACET_ADMIN_TOKENS:-}" ]]; then
  console_token="local-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  export SEARCH_MESH_FACET_ADMIN_TOKENS="local:admin:$console_token"
fi
export SEARCH_MESH_QUERY_UNDERSTANDING_RULES_FROM_KAFKA="${SEARCH_MESH_QUERY_UNDERSTANDING_RULES_FROM_KAFKA:-true}"

for service in indexer orchestrator query-understanding autocomplete facet ranking; do
  step "starting $service (log: .infra/logs/$service.log)"
  node --import tsx "services/$service/src/server.ts" >".infra/logs/$service.log" 2>&1 &
  service_pids+=($!)
done

for service in "${!ports[@]}"; do
  url="http://127.0.0.1:${ports[$service]}"
  for _ in $(seq 1 120); do
    curl -fsS "$url/readyz" >/dev/null 2>&1 && break
    sleep 0.5
  done
  curl -fsS "$url/readyz" >/dev/null 2>&1 || { echo "$service did not become ready; see .infra/logs/$service.log" >&2; exit 1; }
  printf '  %-20s %s  ready\n' "$service" "$url"
done

catalog_size="${SEARCH_MESH_CATALOG_SIZE:-50000}"
products_alias="${SEARCH_MESH_NAMESPACE:-search_mesh}_products"
indexed() { curl -fsS "$ES_URL/$products_alias/_count" 2>/dev/null | sed -n 's/.*"count":\([0-9]*\).*/\1/p' || true; }
current="$(indexed)"
if (( ${current:-0} >= catalog_size )); then
  step "demo catalog already indexed ($current products)"
else
  step "publishing the demo catalog ($catalog_size products) to Kafka"
  node --import tsx services/indexer/bin/publish-catalog.ts --size "$catalog_size" --seed "${SEARCH_MESH_CATALOG_SEED:-42}"
  step "indexing"
  while :; do
    count="$(indexed)"; count="${count:-0}"
    width=40; filled=$(( count * width / catalog_size ))
    printf '\r  [%-*s] %d / %d' "$width" "$(printf '%*s' "$filled" '' | tr ' ' '#')" "$count" "$catalog_size"
    (( count >= catalog_size )) && break
    sleep 1
  done
  echo
fi

[[ -n "${console_token:-}" ]] && step "merchandiser console: http://127.0.0.1:${ports[facet]}/console/ (token $console_token, role admin)"
step "the mesh is running; Ctrl-C stops it"
wait
