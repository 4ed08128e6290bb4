#!/usr/bin/env bash
# Prints the path of a headless-capable Chromium for the browser tests (playwright-core drives it).
# Debian's `chromium` package is installed when missing and this runs as root; otherwise it says why
# not and exits 1, and the browser tests report themselves skipped with that reason.
set -euo pipefail
find_chromium() { command -v chromium || command -v chromium-browser || command -v google-chrome || true; }
path="${SEARCH_MESH_CHROMIUM:-$(find_chromium)}"
if [[ -z "$path" ]]; then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    printf 'installing Debian chromium (apt-get)\n' >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y --no-install-recommends chromium >&2 \
      || { apt-get update >&2 && apt-get install -y --no-install-recommends chromium >&2; }
    path="$(find_chromium)"
  fi
fi
[[ -n "$path" ]] || { printf 'no chromium: install Debian'"'"'s chromium package or set SEARCH_MESH_CHROMIUM\n' >&2; exit 1; }
printf '%s\n' "$path"
