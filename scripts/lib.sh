#!/usr/bin/env bash
# Shared by scripts/start.sh and scripts/test.sh. Sourced, never run.

step() { printf '\n==> %s\n' "$*"; }

# Installs dependencies when node_modules is missing or older than the lock file.
ensure_dependencies() {
  if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
    # `npm install`, not `npm ci`: this npm (11.19) leaves other platforms' optional packages out of the
    # lock file and then refuses it in `npm ci`; install still follows the lock file's versions.
    step "installing dependencies"
    npm install --no-audit --no-fund
  fi
}

# Starts whichever of Elasticsearch, Kafka and Cassandra is not running yet, records them in
# STARTED_INFRA (so the caller stops only those), and exports the variables that point at them.
STARTED_INFRA=()
start_missing_infra() {
  step "starting Elasticsearch, Kafka and Cassandra on loopback"
  local server
  for server in elasticsearch kafka cassandra; do
    bash "infra/local/$server.sh" status >/dev/null 2>&1 || STARTED_INFRA+=("$server")
  done
  (( ${#STARTED_INFRA[@]} == 0 )) || bash infra/local/all.sh up "${STARTED_INFRA[@]}"
  eval "$(bash infra/local/env.sh)"
}
