#!/usr/bin/env bash
# All local infrastructure at once: Elasticsearch, Kafka and Cassandra on loopback.
#
#   infra/local/all.sh up|down|status [elasticsearch|kafka|cassandra ...]
#
# `up` starts the servers side by side (their start-ups overlap on a small machine) and returns when
# every one answers; `status` exits 0 only if all are up.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cmd="${1:-status}"
shift || true
servers=("$@")
(( ${#servers[@]} > 0 )) || servers=(elasticsearch kafka cassandra)

case "$cmd" in
  up)
    pids=()
    for server in "${servers[@]}"; do
      bash "$here/$server.sh" up &
      pids+=($!)
    done
    failed=0
    for i in "${!pids[@]}"; do
      wait "${pids[$i]}" || { echo "[infra] ${servers[$i]} failed to start" >&2; failed=1; }
    done
    exit "$failed"
    ;;
  down)
    for server in "${servers[@]}"; do bash "$here/$server.sh" down & done
    wait
    ;;
  status)
    rc=0
    for server in "${servers[@]}"; do
      printf '%-14s ' "$server"
      bash "$here/$server.sh" status || rc=3
    done
    exit "$rc"
    ;;
  *) echo "usage: $(basename "$0") up|down|status [server ...]" >&2; exit 2 ;;
esac
