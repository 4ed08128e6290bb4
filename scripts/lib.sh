#!/usr/bin/env bash
# Shared by scripts/start.sh, scripts/test.sh and the training scripts. Sourced, never run.

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

# ensure_venv DIR REQUIREMENTS: a Python venv in DIR with exactly the pinned REQUIREMENTS (from PyPI),
# made again when the requirements file changed.
ensure_venv() {
  local venv="$1" requirements="$2"
  if [[ ! -x "$venv/bin/python" ]] || ! cmp -s "$requirements" "$venv/requirements.txt"; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
    cp "$requirements" "$venv/requirements.txt"
  fi
}

# Starts whichever of Elasticsearch, Kafka and Cassandra is not running yet, records them in
# STARTED_INFRA (so the caller stops only those), and exports the variables that point at them. A server
# counts as running when this checkout's infra/local knows it (SEARCH_MESH_INFRA_DIR) or when one already
# answers on its port (e.g. started from another checkout): starting a second one there could only fail.
STARTED_INFRA=()
start_missing_infra() {
  step "starting Elasticsearch, Kafka and Cassandra on loopback"
  eval "$(bash infra/local/env.sh)"
  local server
  for server in elasticsearch kafka cassandra; do
    if bash "infra/local/$server.sh" status >/dev/null 2>&1; then continue; fi
    if infra_answers "$server"; then echo "  $server already answers on its port (not started by this checkout), reused"; continue; fi
    STARTED_INFRA+=("$server")
  done
  (( ${#STARTED_INFRA[@]} == 0 )) || bash infra/local/all.sh up "${STARTED_INFRA[@]}"
}

# infra_answers SERVER: something answers where env.sh points the services (ES: its cluster health).
infra_answers() {
  local address
  case "$1" in
    elasticsearch) curl -fsS --max-time 3 -o /dev/null "$ES_URL/_cluster/health" 2>/dev/null; return ;;
    kafka) address="${KAFKA_BROKERS%%,*}" ;;
    cassandra) address="${CASSANDRA_CONTACT_POINTS%%,*}" ;;
  esac
  (exec 3<>"/dev/tcp/${address%:*}/${address##*:}") 2>/dev/null
}
