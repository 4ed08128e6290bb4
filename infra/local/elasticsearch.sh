#!/usr/bin/env bash
# Elasticsearch, single node on loopback, for local development and integration tests.
#
#   infra/local/elasticsearch.sh up|down|status|restart|logs
#
# The distribution is the integ-test-zip that Elastic publishes on Maven Central (no Docker, no
# download site needed). It is unpacked once into the shared cache: this checkout gets its own config
# directory (ES_PATH_CONF), data, logs and tmp under $SEARCH_MESH_INFRA_DIR.
#
# That zip has only four modules (apm, transport-netty4, x-pack-core, x-pack-security). Without
# analysis-common our mapping's asciifolding, stemmer and edge_ngram filters are unknown, so the one
# change made to the cached distribution is plugins/search-mesh-analysis: infra/local/es-analysis-plugin,
# a small plugin registering those names over the Lucene filters already in lib/, compiled with javac
# (cached by a hash of its sources) and installed before the node starts. Docker and production run a
# full distribution with the built-ins and never get this plugin.
#
# Environment (all optional):
#   SEARCH_MESH_ES_VERSION         8.19.21
#   SEARCH_MESH_ES_PORT            19200   HTTP
#   SEARCH_MESH_ES_TRANSPORT_PORT  19300   node-to-node (unused by a single node, but bound)
#   SEARCH_MESH_ES_HEAP            512m
#   SEARCH_MESH_ES_START_TIMEOUT   180     seconds `up` waits for a yellow/green cluster
#   SEARCH_MESH_ES_USER            (unset) only as root without user namespaces: the unprivileged user
#                                          that runs the node (it must be able to read the cache dir)
set -euo pipefail
# shellcheck source=infra/local/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ES_VERSION="${SEARCH_MESH_ES_VERSION:-8.19.21}"
ES_PORT="${SEARCH_MESH_ES_PORT:-19200}"
ES_TRANSPORT_PORT="${SEARCH_MESH_ES_TRANSPORT_PORT:-19300}"
ES_HEAP="${SEARCH_MESH_ES_HEAP:-512m}"
ES_START_TIMEOUT="${SEARCH_MESH_ES_START_TIMEOUT:-180}"

ES_ARTIFACT="org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip"
ES_HOME="$SEARCH_MESH_CACHE_DIR/elasticsearch-$ES_VERSION"
ES_STATE_DIR="$SEARCH_MESH_INFRA_DIR/elasticsearch"
ES_CONF_DIR="$ES_STATE_DIR/config"
ES_URL="http://127.0.0.1:$ES_PORT"
ES_PLUGIN_NAME=search-mesh-analysis
ES_PLUGIN_SRC="$INFRA_LOCAL_DIR/es-analysis-plugin"
ES_PLUGIN_DIR="$ES_HOME/plugins/$ES_PLUGIN_NAME"

# Downloads the zip with Maven and unpacks it into the cache, once. Unpacking goes to a temporary
# directory renamed into place, so an interrupted run never leaves a half-unpacked distribution; the
# cache lock serialises checkouts sharing the cache.
es_install() {
  [[ -x "$ES_HOME/bin/elasticsearch" ]] && return 0
  local lock_fd tmp
  exec {lock_fd}>"$SEARCH_MESH_CACHE_DIR/.elasticsearch-$ES_VERSION.lock"
  flock "$lock_fd"
  if [[ ! -x "$ES_HOME/bin/elasticsearch" ]]; then
    log "downloading $ES_ARTIFACT from Maven Central"
    tmp="$(mktemp -d "$SEARCH_MESH_CACHE_DIR/.elasticsearch-$ES_VERSION.XXXXXX")"
    # Run outside the repository so Maven never picks up a project pom.
    (cd "$tmp" && mvn_quiet org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact="$ES_ARTIFACT" -DoutputDirectory="$tmp" -Dmdep.overWriteReleases=true)
    log "unpacking Elasticsearch $ES_VERSION into $ES_HOME"
    unzip -q "$tmp/elasticsearch-$ES_VERSION.zip" -d "$tmp" || { rm -rf "$tmp"; die "cannot unpack the Elasticsearch zip (is unzip installed?)"; }
    [[ -x "$tmp/elasticsearch-$ES_VERSION/bin/elasticsearch" ]] || { rm -rf "$tmp"; die "unexpected layout in $ES_ARTIFACT"; }
    mv "$tmp/elasticsearch-$ES_VERSION" "$ES_HOME"
    rm -rf "$tmp"
  fi
  exec {lock_fd}>&-
}

# The plugin's identity: its sources and descriptor template, and the Elasticsearch version it is built
# against (a classic plugin loads only into the exact version in its descriptor). 12 hex digits.
es_plugin_hash() {
  {
    (cd "$ES_PLUGIN_SRC" && find src plugin-descriptor.properties -type f \( -name '*.java' -o -name '*.properties' \) -print0 \
      | LC_ALL=C sort -z | xargs -0 sha256sum)
    echo "elasticsearch $ES_VERSION"
  } | sha256sum | cut -c1-12
}

# Compiles the plugin into $SEARCH_MESH_CACHE_DIR/es-analysis-plugin-<hash> (once per hash) and installs
# it as $ES_HOME/plugins/search-mesh-analysis, replacing an installation of other sources. Both steps
# build in a temporary directory renamed into place, under the cache lock. Nodes that are running keep
# the classes they loaded at start; only a restart picks up a new plugin.
es_plugin_install() {
  local hash; hash="$(es_plugin_hash)"
  [[ "$(cat "$ES_PLUGIN_DIR/.source-hash" 2>/dev/null)" == "$hash" ]] && return 0
  local lock_fd build tmp old="" started=$SECONDS
  exec {lock_fd}>"$SEARCH_MESH_CACHE_DIR/.elasticsearch-$ES_VERSION.lock"
  flock "$lock_fd"
  if [[ "$(cat "$ES_PLUGIN_DIR/.source-hash" 2>/dev/null)" != "$hash" ]]; then
    build="$SEARCH_MESH_CACHE_DIR/es-analysis-plugin-$hash"
    if [[ ! -f "$build/$ES_PLUGIN_NAME.jar" ]]; then
      [[ -x "$SEARCH_MESH_JAVA_HOME/bin/javac" ]] || die "no javac in $SEARCH_MESH_JAVA_HOME (a JDK 17, not a JRE, is needed to build $ES_PLUGIN_SRC)"
      log "compiling the Elasticsearch analysis plugin ($hash)"
      tmp="$(mktemp -d "$SEARCH_MESH_CACHE_DIR/.es-analysis-plugin-$hash.XXXXXX")"
      local -a sources
      mapfile -d '' -t sources < <(find "$ES_PLUGIN_SRC/src" -name '*.java' -print0)
      if ! "$SEARCH_MESH_JAVA_HOME/bin/javac" --release 17 -nowarn -encoding UTF-8 -cp "$ES_HOME/lib/*" \
          -d "$tmp/classes" "${sources[@]}" >&2; then
        rm -rf "$tmp"; die "cannot compile $ES_PLUGIN_SRC"
      fi
      "$SEARCH_MESH_JAVA_HOME/bin/jar" --create --file "$tmp/$ES_PLUGIN_NAME.jar" -C "$tmp/classes" .
      rm -rf "$tmp/classes"
      sed -e "s/@VERSION@/1.0.0-$hash/" -e "s/@ES_VERSION@/$ES_VERSION/" \
        "$ES_PLUGIN_SRC/plugin-descriptor.properties" >"$tmp/plugin-descriptor.properties"
      echo "$hash" >"$tmp/.source-hash"
      rm -rf "$build"
      mv "$tmp" "$build"
      log "compiled the analysis plugin in $((SECONDS - started))s"
    fi
    # Staged beside plugins/ (the node would try to load anything inside it), readable by the node's user.
    tmp="$(mktemp -d "$ES_HOME/.$ES_PLUGIN_NAME.XXXXXX")"
    cp "$build/$ES_PLUGIN_NAME.jar" "$build/plugin-descriptor.properties" "$build/.source-hash" "$tmp/"
    chmod -R a+rX "$tmp"
    if [[ -e "$ES_PLUGIN_DIR" ]]; then
      old="$(mktemp -d "$ES_HOME/.$ES_PLUGIN_NAME.old.XXXXXX")"
      mv "$ES_PLUGIN_DIR" "$old/"
    fi
    mv "$tmp" "$ES_PLUGIN_DIR"
    [[ -z "$old" ]] || rm -rf "$old"
    log "installed the analysis plugin ($hash) into $ES_PLUGIN_DIR"
  fi
  exec {lock_fd}>&-
}

# A running node loaded its plugin at start: warn when the sources have changed since.
es_plugin_check_running() {
  local want loaded
  want="1.0.0-$(es_plugin_hash)"
  loaded="$(curl -fsS --max-time 5 "$ES_URL/_cat/plugins?h=component,version" 2>/dev/null \
    | awk -v name="$ES_PLUGIN_NAME" '$1 == name { print $2 }')" || return 0
  if [[ "$loaded" != "$want" ]]; then
    log "the analysis plugin changed since this node started (running: ${loaded:-none}, sources: $want); run \`$0 restart\` to load it"
  fi
}

# (Re)writes this checkout's config on every `up`, so changed ports/heap take effect. The distribution's
# config is copied once (the node adds its keystore there); recopied if the version changes.
es_configure() {
  mkdir -p "$ES_STATE_DIR/data" "$ES_STATE_DIR/logs" "$ES_STATE_DIR/tmp"
  if [[ "$(cat "$ES_CONF_DIR/.version" 2>/dev/null)" != "$ES_VERSION" ]]; then
    rm -rf "$ES_CONF_DIR"
    cp -R "$ES_HOME/config" "$ES_CONF_DIR"
    echo "$ES_VERSION" >"$ES_CONF_DIR/.version"
  fi

  cat >"$ES_CONF_DIR/elasticsearch.yml" <<EOF
# Written by infra/local/elasticsearch.sh on every start; edit the script, not this file.
cluster.name: search-mesh-local
node.name: search-mesh-local
discovery.type: single-node
network.host: 127.0.0.1
http.port: $ES_PORT
transport.port: $ES_TRANSPORT_PORT
path.data: $ES_STATE_DIR/data
path.logs: $ES_STATE_DIR/logs
# Plain HTTP, no users: a loopback test node.
xpack.security.enabled: false
# A nearly full developer disk must not turn indices read-only.
cluster.routing.allocation.disk.threshold_enabled: false
# Tests clean up with wildcard deletes.
action.destructive_requires_name: false
EOF
  # The integ-test zip ships only a few modules; settings of absent modules would be rejected as
  # unknown, so each is added only when its module is there (e.g. with another distribution).
  if [[ -d "$ES_HOME/modules/x-pack-ml" ]]; then
    echo "xpack.ml.enabled: false" >>"$ES_CONF_DIR/elasticsearch.yml"
  fi
  if [[ -d "$ES_HOME/modules/ingest-geoip" ]]; then
    echo "ingest.geoip.downloader.enabled: false  # never fetch GeoIP databases" >>"$ES_CONF_DIR/elasticsearch.yml"
  fi
  if [[ -d "$ES_HOME/modules/x-pack-watcher" ]]; then
    echo "xpack.watcher.enabled: false" >>"$ES_CONF_DIR/elasticsearch.yml"
  fi

  # jvm.options.d is read after jvm.options. The server JVM runs in path.logs, so the distribution's
  # relative GC log and crash files already land in this checkout's logs.
  cat >"$ES_CONF_DIR/jvm.options.d/search-mesh.options" <<EOF
-Xms$ES_HEAP
-Xmx$ES_HEAP
EOF
}

# Elasticsearch refuses to run as root. As root (containers, CI) the node runs in a user namespace
# where it is uid 1000 but its files stay root-owned outside; where user namespaces are blocked (e.g.
# Docker's default seccomp profile) it runs as SEARCH_MESH_ES_USER instead. Prints the command prefix.
es_launcher() {
  [[ "$(id -u)" != 0 ]] && return 0
  if unshare --user --map-user=1000 --map-group=1000 true 2>/dev/null; then
    echo unshare --user --map-user=1000 --map-group=1000
  elif [[ -n "${SEARCH_MESH_ES_USER:-}" ]]; then
    id -u "$SEARCH_MESH_ES_USER" >/dev/null 2>&1 || die "SEARCH_MESH_ES_USER=$SEARCH_MESH_ES_USER: no such user"
    chown -R "$SEARCH_MESH_ES_USER:" "$ES_STATE_DIR"
    echo setpriv --reuid="$SEARCH_MESH_ES_USER" --regid="$(id -g "$SEARCH_MESH_ES_USER")" --init-groups
  else
    die "Elasticsearch refuses to run as root and user namespaces are unavailable here; run as a normal user or set SEARCH_MESH_ES_USER to an unprivileged user that can read $SEARCH_MESH_CACHE_DIR"
  fi
}

# This checkout's server JVMs not tracked by the pid file (the launcher was killed on its own). The tmp dir
# on their command line is unique to the checkout; foreign nodes never match.
es_leftovers() { pgrep -f -- "-Djava.io.tmpdir=$ES_STATE_DIR/tmp" || true; }

# The node answers and the cluster is at least yellow (single node: replicas stay unassigned).
es_healthy() {
  local body
  body="$(curl -fsS --max-time 5 "$ES_URL/_cluster/health?wait_for_status=yellow&timeout=2s" 2>/dev/null)" || return 1
  [[ "$body" =~ \"status\":\"(green|yellow)\" ]]
}

es_health_line() {
  local line status nodes shards unassigned
  line="$(curl -fsS --max-time 5 "$ES_URL/_cat/health?h=status,node.total,shards,unassign" 2>/dev/null)" || { echo "not answering"; return 0; }
  read -r status nodes shards unassigned <<<"$line"
  echo "$status ($nodes node, $shards shards, $unassigned unassigned)"
}

es_start() {
  es_install
  es_plugin_install
  es_configure
  local prefix; local -a launcher
  prefix="$(es_launcher)"
  read -r -a launcher <<<"$prefix"
  log "starting Elasticsearch $ES_VERSION on $ES_URL (heap $ES_HEAP)"
  start_bg elasticsearch "${launcher[@]}" env ES_JAVA_HOME="$SEARCH_MESH_JAVA_HOME" ES_PATH_CONF="$ES_CONF_DIR" \
    ES_TMPDIR="$ES_STATE_DIR/tmp" "$ES_HOME/bin/elasticsearch"
}

elasticsearch_up() {
  command -v curl >/dev/null || die "curl is required"
  server_up elasticsearch "$ES_START_TIMEOUT" es_healthy es_leftovers es_start "$ES_PORT" "$ES_TRANSPORT_PORT"
  es_plugin_check_running
}

elasticsearch_down() { server_down elasticsearch 60 es_leftovers; }

elasticsearch_status() { server_status elasticsearch "$ES_URL" es_healthy es_health_line; }

dispatch elasticsearch "$@"
