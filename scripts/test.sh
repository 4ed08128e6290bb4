#!/usr/bin/env bash
# The one test command (`npm test`): installs what is missing, type-checks, runs the unit tests, starts
# Elasticsearch, Kafka and Cassandra on loopback (unless already running), runs the integration tests
# against them, and stops what it started. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$PWD"
results="$root/.infra/test-results"
mkdir -p "$results"
# shellcheck source=scripts/lib.sh
source scripts/lib.sh
ensure_dependencies

step "type-checking"
npx tsc -p tsconfig.json --noEmit

step "unit tests"
unit_rc=0
npx jest --selectProjects unit --json --outputFile="$results/unit.json" || unit_rc=$?

# helm, kubeconform, etcd and kube-apiserver for the chart and EndpointSlice tests: built from the Go
# module proxy once, then cached in ~/.cache/search-mesh/bin. Should a build fail, those tests say they
# are skipped and why.
step "building the Kubernetes tools (test/helm/tools.sh; cached)"
bash test/helm/tools.sh all || printf 'WARNING: a Kubernetes tool could not be built; the chart and EndpointSlice tests will be skipped\n' >&2

# Start only what is not already running (below), and stop only that at the end.
cleanup() {
  local rc=$?
  if (( rc != 0 )); then
    for server in elasticsearch kafka cassandra; do
      log=".infra/logs/$server.log"
      [[ -f "$log" ]] && { printf '\n---- last lines of %s ----\n' "$log"; tail -n 40 "$log"; }
    done
  fi
  if (( ${#STARTED_INFRA[@]} > 0 )) && [[ "${SEARCH_MESH_KEEP_INFRA:-0}" != 1 ]]; then
    step "stopping ${STARTED_INFRA[*]}"
    bash infra/local/all.sh down "${STARTED_INFRA[@]}" || true
  fi
  exit "$rc"
}
trap cleanup EXIT

start_missing_infra

step "integration tests"
integration_rc=0
npx jest --selectProjects integration --runInBand --json --outputFile="$results/integration.json" || integration_rc=$?

node -e '
  const files = process.argv.slice(1).map((f) => require(f));
  const passed = files.reduce((n, r) => n + r.numPassedTests, 0);
  const failed = files.reduce((n, r) => n + r.numFailedTests + (r.numRuntimeErrorTestSuites || 0), 0);
  console.log(`\ntests: ${passed} passed, ${failed} failed`);
' "$results/unit.json" "$results/integration.json"
(( unit_rc == 0 && integration_rc == 0 ))
