#!/usr/bin/env bash
# Builds the Kubernetes tools the chart and discovery tests need, from the Go module proxy, into
# $SEARCH_MESH_CACHE_DIR/bin (default ~/.cache/search-mesh/bin). Each tool is built only when missing (or
# when its pinned version changes), so a second run costs nothing.
#
#   test/helm/tools.sh helm|kubeconform|etcd|kube-apiserver|k8s-schemas|all   build what is missing
#   test/helm/tools.sh path TOOL                                              print the cached binary's path
#
# Versions are pinned here; bump them together (kube-apiserver and the schemas share KUBERNETES_VERSION).
set -euo pipefail

HELM_VERSION="${HELM_VERSION:-v3.22.0}"
KUBECONFORM_VERSION="${KUBECONFORM_VERSION:-v0.8.0}"
KUBERNETES_VERSION="${KUBERNETES_VERSION:-v1.36.3}"
ETCD_VERSION="${ETCD_VERSION:-v3.6.8}"

CACHE_DIR="${SEARCH_MESH_CACHE_DIR:-$HOME/.cache/search-mesh}"
BIN_DIR="$CACHE_DIR/bin"
WORK_DIR="$CACHE_DIR/go-build-k8s"
mkdir -p "$BIN_DIR" "$WORK_DIR"

log() { printf '[k8s-tools %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

bin_path() {
  case "$1" in
    helm) echo "$BIN_DIR/helm-$HELM_VERSION" ;;
    kubeconform) echo "$BIN_DIR/kubeconform-$KUBECONFORM_VERSION" ;;
    etcd) echo "$BIN_DIR/etcd-$ETCD_VERSION" ;;
    kube-apiserver) echo "$BIN_DIR/kube-apiserver-$KUBERNETES_VERSION" ;;
    k8s-schemas) echo "$CACHE_DIR/k8s-schemas-$KUBERNETES_VERSION" ;;
    *) echo "unknown tool: $1" >&2; return 2 ;;
  esac
}

need_go() {
  command -v go >/dev/null || { log "go is not installed"; return 1; }
  export GOFLAGS="${GOFLAGS:-} -mod=mod" CGO_ENABLED=0 GOTOOLCHAIN="${GOTOOLCHAIN:-auto}"
}

timed() { # timed NAME CMD...: runs CMD, logs how long it took
  local name="$1" start end; shift
  start=$(date +%s)
  "$@"
  end=$(date +%s)
  log "$name built in $((end - start)) s"
  echo "$name $((end - start))s $(date -u +%FT%TZ)" >>"$BIN_DIR/build-times.log"
}

# go install MODULE/PKG@VERSION into a temporary GOBIN, then move the binary to its versioned name.
go_install() { # go_install BINARY PACKAGE@VERSION DEST
  local name="$1" pkg="$2" dest="$3" gobin
  gobin="$(mktemp -d "$WORK_DIR/gobin.XXXXXX")"
  GOBIN="$gobin" go install -trimpath -ldflags='-s -w' "$pkg"
  mv "$gobin/$name" "$dest.tmp" && mv "$dest.tmp" "$dest"
  rm -rf "$gobin"
}

build_helm() {
  local dest; dest="$(bin_path helm)"
  [[ -x "$dest" ]] && return 0
  need_go; log "building helm $HELM_VERSION from the Go module proxy"
  timed helm go_install helm "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" "$dest"
}

build_kubeconform() {
  local dest; dest="$(bin_path kubeconform)"
  [[ -x "$dest" ]] && return 0
  need_go; log "building kubeconform $KUBECONFORM_VERSION from the Go module proxy"
  timed kubeconform go_install kubeconform "github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM_VERSION" "$dest"
}

# etcd's server module carries no replace directives that block `go install`: build its main package.
build_etcd() {
  local dest; dest="$(bin_path etcd)"
  [[ -x "$dest" ]] && return 0
  need_go; log "building etcd $ETCD_VERSION from the Go module proxy"
  local mod="$WORK_DIR/etcd-$ETCD_VERSION"
  mkdir -p "$mod"
  (
    cd "$mod"
    [[ -f go.mod ]] || go mod init search-mesh.local/etcd-build >/dev/null 2>&1
    go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION"
    timed etcd go build -trimpath -ldflags='-s -w' -o "$dest.tmp" go.etcd.io/etcd/server/v3
  )
  mv "$dest.tmp" "$dest"
}

# k8s.io/kubernetes requires its staging modules (k8s.io/api, k8s.io/apiserver, ...) at v0.0.0 and
# replaces them with ./staging paths, so `go install k8s.io/kubernetes/cmd/...@v1.x` is refused. A
# throw-away module requires k8s.io/kubernetes and pins every staging module to the matching v0.x
# release with replace directives, then builds cmd/kube-apiserver.
kubernetes_module() {
  local mod="$WORK_DIR/kubernetes-$KUBERNETES_VERSION"
  mkdir -p "$mod"
  if [[ ! -f "$mod/.ready" ]]; then
    (
      cd "$mod"
      local gomod staging v="${KUBERNETES_VERSION/v1./v0.}"
      gomod="$(go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
      [[ -f "$gomod" ]] || { log "could not download k8s.io/kubernetes@$KUBERNETES_VERSION"; exit 1; }
      staging="$(sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/.*#\1#p' "$gomod" | sort -u)"
      {
        echo "module search-mesh.local/kubernetes-build"
        echo
        sed -n 's/^go \(.*\)/go \1/p' "$gomod"
        echo
        echo "require k8s.io/kubernetes $KUBERNETES_VERSION"
        echo
        echo "replace ("
        for m in $staging; do echo "	$m => $m $v"; done
        echo ")"
      } >go.mod
      # The import exists before the first tidy: a tidy of a module that imports nothing drops the
      # requirement, and the next one resolved k8s.io/kubernetes@latest (v1.37.2 once it was released).
      printf 'package tools\n\nimport _ "k8s.io/kubernetes/cmd/kube-apiserver/app"\n' >tools.go
      go mod tidy -e >/dev/null 2>&1 || true
      go mod tidy
      grep -q "k8s.io/kubernetes $KUBERNETES_VERSION\$" go.mod || { log "go mod tidy moved k8s.io/kubernetes off $KUBERNETES_VERSION"; exit 1; }
      touch .ready
    )
  fi
  echo "$mod"
}

build_kube_apiserver() {
  local dest; dest="$(bin_path kube-apiserver)"
  [[ -x "$dest" ]] && return 0
  need_go; log "building kube-apiserver $KUBERNETES_VERSION from the Go module proxy (slow on 2 cores)"
  local mod; mod="$(kubernetes_module)"
  (cd "$mod" && timed kube-apiserver go build -trimpath -ldflags='-s -w' -o "$dest.tmp" k8s.io/kubernetes/cmd/kube-apiserver)
  mv "$dest.tmp" "$dest"
}

# JSON schemas for kubeconform, generated offline from the OpenAPI v2 document that k8s.io/kubernetes
# ships in api/openapi-spec/swagger.json (the same document the apiserver serves), in kubeconform's
# "<kind>-<group>-<version>.json" layout with strict (additionalProperties: false) definitions.
build_k8s_schemas() {
  local dest; dest="$(bin_path k8s-schemas)"
  [[ -f "$dest/.ready" ]] && return 0
  need_go; log "generating Kubernetes $KUBERNETES_VERSION JSON schemas from its OpenAPI document"
  local dir swagger
  dir="$(go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')"
  swagger="$dir/api/openapi-spec/swagger.json"
  [[ -f "$swagger" ]] || { log "no $swagger"; return 1; }
  rm -rf "$dest"; mkdir -p "$dest"
  timed k8s-schemas node "$(dirname "${BASH_SOURCE[0]}")/openapi-to-json-schema.mjs" "$swagger" "$dest"
  touch "$dest/.ready"
}

case "${1:-all}" in
  helm) build_helm ;;
  kubeconform) build_kubeconform ;;
  etcd) build_etcd ;;
  kube-apiserver) build_kube_apiserver ;;
  k8s-schemas) build_k8s_schemas ;;
  all) build_helm; build_kubeconform; build_k8s_schemas; build_etcd; build_kube_apiserver ;;
  path) bin_path "$2" ;;
  *) echo "usage: $0 helm|kubeconform|etcd|kube-apiserver|k8s-schemas|all|path TOOL" >&2; exit 2 ;;
esac
