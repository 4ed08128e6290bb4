#!/usr/bin/env bash
# `npm run ranking:train`: rebuilds services/ranking/model/ (model.onnx, manifest.json) from the demo catalog
# and the real TRAIN queries. Needs Elasticsearch (eval "$(bash infra/local/env.sh)"): the catalog is indexed
# once into the `ranking_training` namespace and reused. Reproducible: pinned Python packages in a venv under
# the cache dir, fixed seeds, the fixed query split, single-threaded deterministic LightGBM.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
cache="${SEARCH_MESH_CACHE_DIR:-$HOME/.cache/search-mesh}"
venv="$cache/ranking-venv"
work="$cache/ranking-training"
# shellcheck source=scripts/lib.sh
source "$root/scripts/lib.sh"
ensure_venv "$venv" "$here/requirements.txt"
cd "$root"
npx tsx "$here/build-dataset.ts" --work-dir "$work"
PYTHONHASHSEED=0 "$venv/bin/python" "$here/train.py" --dataset "$work/dataset.json" --model-dir "$here/../model" "$@"
