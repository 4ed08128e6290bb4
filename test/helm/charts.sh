#!/usr/bin/env bash
# Checks the Helm charts the way CI and a platform team would: the generated chart files are current,
# `helm lint --strict` and `helm template` pass for every chart with its default values and for the
# umbrella chart with values-production.yaml, and every rendered manifest validates against the
# Kubernetes OpenAPI schemas (and the Prometheus Operator CRDs) offline with kubeconform.
#
#   test/helm/charts.sh [OUT_DIR]   rendered manifests land in OUT_DIR (default .infra/helm)
#
# helm, kubeconform and the schemas are built once into ~/.cache/search-mesh (test/helm/tools.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root="$PWD"
out="${1:-$root/.infra/helm}"
mkdir -p "$out"
tools="$root/test/helm/tools.sh"

bash "$tools" helm
bash "$tools" kubeconform
bash "$tools" k8s-schemas
helm="$(bash "$tools" path helm)"
kubeconform="$(bash "$tools" path kubeconform)"
schemas="$(bash "$tools" path k8s-schemas)"

# Helm's own state in a scratch home: nothing from ~/.config/helm, no repositories, no network.
export HELM_CACHE_HOME="$out/.helm/cache" HELM_CONFIG_HOME="$out/.helm/config" HELM_DATA_HOME="$out/.helm/data"

step() { printf '\n--> %s\n' "$*"; }
services=(orchestrator query-understanding autocomplete facet ranking indexer feature-pipeline)

step "generated chart files are current (charts/generate.mjs --check)"
node charts/generate.mjs --check

step "helm dependency update (file:// dependencies only, offline)"
for chart in "${services[@]}" search-mesh; do
  "$helm" dependency update --skip-refresh "charts/$chart" >"$out/dependency-$chart.log" 2>&1 \
    || { cat "$out/dependency-$chart.log"; exit 1; }
done

step "helm lint --strict"
"$helm" lint --strict charts/search-mesh-common
for chart in "${services[@]}" search-mesh; do "$helm" lint --strict "charts/$chart"; done
"$helm" lint --strict charts/search-mesh -f charts/search-mesh/values-production.yaml

step "helm template"
render() { # render NAME CHART [ARGS...]
  local name="$1" chart="$2"; shift 2
  "$helm" template search-mesh "charts/$chart" --namespace search --include-crds "$@" >"$out/$name.yaml"
  printf '%-28s %3d objects\n' "$name" "$(grep -c '^kind:' "$out/$name.yaml")"
}
for chart in "${services[@]}"; do render "$chart-default" "$chart"; done
render search-mesh-default search-mesh
render search-mesh-production search-mesh -f charts/search-mesh/values-production.yaml
render ranking-gpu ranking --set gpu.enabled=true
render search-mesh-monitoring search-mesh --set global.networkPolicy.enabled=true \
  --set global.monitoring.serviceMonitor.enabled=true --set global.monitoring.prometheusRule.enabled=true

step "kubeconform (Kubernetes $(basename "$schemas" | sed 's/^k8s-schemas-//') OpenAPI schemas, strict)"
"$kubeconform" -strict -summary -output text \
  -schema-location "$schemas/{{ .ResourceKind }}{{ .KindSuffix }}.json" \
  -schema-location "$root/test/helm/crd-schemas/{{ .ResourceKind }}{{ .KindSuffix }}.json" \
  "$out"/*.yaml
