#!/usr/bin/env bash
# Shared helpers for the local infrastructure scripts (Elasticsearch, Kafka, Cassandra on loopback).
# Sourced, never run. Every path and port is overridable by environment variables, so a run here never
# collides with a server already on the machine.
set -euo pipefail

INFRA_LOCAL_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$INFRA_LOCAL_DIR/../.." && pwd)"

# Downloads (Maven artifacts unpacked into runnable layouts): survive clones, shared by checkouts.
SEARCH_MESH_CACHE_DIR="${SEARCH_MESH_CACHE_DIR:-$HOME/.cache/search-mesh}"
# State of this checkout's servers: data, logs, pid files.
SEARCH_MESH_INFRA_DIR="${SEARCH_MESH_INFRA_DIR:-$REPO_ROOT/.infra}"
SEARCH_MESH_LOG_DIR="$SEARCH_MESH_INFRA_DIR/logs"
SEARCH_MESH_RUN_DIR="$SEARCH_MESH_INFRA_DIR/run"
mkdir -p "$SEARCH_MESH_CACHE_DIR" "$SEARCH_MESH_LOG_DIR" "$SEARCH_MESH_RUN_DIR"

# JDK 17 is what ES 8, Kafka 4 and Cassandra 5.0 all support; prefer it when several JDKs are installed.
if [[ -z "${SEARCH_MESH_JAVA_HOME:-}" ]]; then
  for candidate in /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/java-17-openjdk-arm64 /usr/lib/jvm/temurin-17-jdk-amd64; do
    if [[ -x "$candidate/bin/java" ]]; then SEARCH_MESH_JAVA_HOME="$candidate"; break; fi
  done
  if [[ -z "${SEARCH_MESH_JAVA_HOME:-}" ]]; then
    SEARCH_MESH_JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
  fi
fi
JAVA_BIN="$SEARCH_MESH_JAVA_HOME/bin/java"

log() { printf '[infra %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

pid_file() { echo "$SEARCH_MESH_RUN_DIR/$1.pid"; }
log_file() { echo "$SEARCH_MESH_LOG_DIR/$1.log"; }

# is_running NAME: the process recorded in NAME's pid file is alive (a zombie, dead but not yet reaped by its
# new parent, is not).
is_running() {
  local pf pid; pf="$(pid_file "$1")"
  [[ -f "$pf" ]] && pid="$(cat "$pf")" && kill -0 "$pid" 2>/dev/null \
    && [[ "$(ps -o stat= -p "$pid" 2>/dev/null)" != Z* ]]
}

# start_bg NAME CMD...: start CMD detached (own session, survives the calling shell), output to NAME's log.
start_bg() {
  local name="$1"; shift
  local lf; lf="$(log_file "$name")"
  : >"$lf"
  setsid nohup "$@" >>"$lf" 2>&1 </dev/null &
  echo $! >"$(pid_file "$name")"
}

# stop_bg NAME [GRACE_SECONDS]: SIGTERM the process group, SIGKILL after the grace period.
stop_bg() {
  local name="$1" grace="${2:-30}" pf pid
  pf="$(pid_file "$name")"
  [[ -f "$pf" ]] || return 0
  pid="$(cat "$pf")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    local waited=0
    while kill -0 "$pid" 2>/dev/null && (( waited < grace * 10 )); do sleep 0.1; waited=$((waited + 1)); done
    if kill -0 "$pid" 2>/dev/null; then
      log "$name did not stop in ${grace}s, killing"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$pf"
}

# stop_pids NAME GRACE_SECONDS PID...: SIGTERM stray processes (e.g. a server JVM whose launcher was killed
# and left it running without a pid file), SIGKILL those still alive after the grace period.
stop_pids() {
  local name="$1" grace="$2"; shift 2
  (( $# > 0 )) || return 0
  log "stopping leftover $name process(es): $*"
  kill -TERM "$@" 2>/dev/null || true
  local waited=0 pid alive
  while (( waited < grace * 10 )); do
    alive=0
    for pid in "$@"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    (( alive )) || return 0
    sleep 0.1; waited=$((waited + 1))
  done
  kill -KILL "$@" 2>/dev/null || true
}

# server_up NAME TIMEOUT_SECONDS ANSWERS_FN LEFTOVERS_FN START_FN PORT...: idempotent start, serialised by
# NAME's lock. Running and answering: nothing to do. Not running: stops this checkout's leftovers (a server
# whose pid file was lost), refuses if another process holds one of PORTs, and calls START_FN (install,
# configure, start_bg NAME ...). Either way returns only once ANSWERS_FN succeeds.
server_up() {
  local name="$1" timeout="$2" answers="$3" leftovers="$4" start="$5" lock_fd started=$SECONDS port
  shift 5
  exec {lock_fd}>"$SEARCH_MESH_RUN_DIR/$name.lock"
  flock "$lock_fd"
  if is_running "$name"; then
    exec {lock_fd}>&-
    if "$answers"; then
      log "$name already running (pid $(cat "$(pid_file "$name")"))"
      return 0
    fi
    log "$name is starting (pid $(cat "$(pid_file "$name")")), waiting for it"
  else
    rm -f "$(pid_file "$name")"
    # shellcheck disable=SC2046 # one pid per word
    stop_pids "$name" 60 $("$leftovers")
    for port in "$@"; do
      if port_in_use "$port"; then
        die "port $port is taken by another process (not this checkout's $name); stop it or choose another with the SEARCH_MESH_*_PORT variables (see $0)"
      fi
    done
    "$start"
    # Release the lock (the child inherited the descriptor); a concurrent `up` now sees the pid file.
    flock -u "$lock_fd"
    exec {lock_fd}>&-
  fi
  wait_until "$name" "$timeout" "$answers"
  log "$name up ($((SECONDS - started))s)"
}

# server_down NAME GRACE_SECONDS LEFTOVERS_FN: stops NAME's recorded process, then any process of this
# checkout's server that LEFTOVERS_FN lists (one whose pid file was lost). Idempotent; serialised by NAME's lock.
server_down() {
  local name="$1" grace="$2" leftovers="$3" lock_fd
  exec {lock_fd}>"$SEARCH_MESH_RUN_DIR/$name.lock"
  flock "$lock_fd"
  if is_running "$name"; then
    log "stopping $name (pid $(cat "$(pid_file "$name")"))"
    stop_bg "$name" "$grace"
    log "$name stopped"
  else
    rm -f "$(pid_file "$name")"
    log "$name is not running"
  fi
  # shellcheck disable=SC2046 # one pid per word
  stop_pids "$name" "$grace" $("$leftovers")
  exec {lock_fd}>&-  # `restart` takes the lock again in the same shell
}

# server_status NAME WHERE ANSWERS_FN [DETAIL_FN]: exit 0 when running and ANSWERS_FN succeeds, 1 when the
# process is alive but does not answer, 3 when stopped. DETAIL_FN, if given, adds to the line.
server_status() {
  local name="$1" where="$2" answers="$3" detail="${4:-}"
  if ! is_running "$name"; then
    echo "$name: stopped"
    return 3
  fi
  local pid; pid="$(cat "$(pid_file "$name")")"
  if "$answers"; then
    echo "$name: running (pid $pid) at $where${detail:+, $("$detail")}"
    return 0
  fi
  echo "$name: running (pid $pid) but $where does not answer yet${detail:+: $("$detail")}"
  return 1
}

# wait_until NAME TIMEOUT_SECONDS CMD...: poll CMD until it succeeds; fail (printing NAME's log tail) on timeout
# or if NAME's process died meanwhile.
wait_until() {
  local name="$1" timeout="$2"; shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if ! is_running "$name"; then
      tail -n 60 "$(log_file "$name")" >&2 || true
      die "$name exited during start-up (log: $(log_file "$name"))"
    fi
    if (( SECONDS >= deadline )); then
      tail -n 60 "$(log_file "$name")" >&2 || true
      die "$name did not answer within ${timeout}s (log: $(log_file "$name"))"
    fi
    sleep 1
  done
}

# port_in_use PORT: something listens on 127.0.0.1:PORT.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# mvn_quiet ARGS...: Maven in batch mode, quiet unless it fails.
mvn_quiet() {
  local out
  if ! out="$(mvn -B -q -ntp "$@" 2>&1)"; then
    printf '%s\n' "$out" >&2
    die "maven failed: mvn $*"
  fi
}

# maven_jars DIR ARTIFACT_ID VERSION DEPENDENCIES_XML: resolves the runtime jars of DEPENDENCIES_XML (<dependency>
# elements) into DIR/lib, once. Under a lock shared by every checkout using the cache, into a temporary
# directory renamed into place with its marker written last: an interrupted download is redone, never half-used.
maven_jars() {
  local dir="$1" artifact="$2" version="$3" dependencies="$4" lock_fd tmp
  [[ -f "$dir/lib/.complete" ]] && return 0
  mkdir -p "$dir"
  exec {lock_fd}>"$dir/.lock"
  flock "$lock_fd"
  if [[ ! -f "$dir/lib/.complete" ]]; then
    tmp="$(mktemp -d "$dir/.lib.XXXXXX")"
    cat >"$tmp/pom.xml" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated by infra/local: gathers the runtime jars of the dependencies below. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.search-mesh</groupId>
  <artifactId>$artifact</artifactId>
  <version>$version</version>
  <packaging>pom</packaging>
  <dependencies>
$dependencies
  </dependencies>
</project>
POM
    # -f points Maven at this pom only, so it never picks up a project pom around the cache.
    mvn_quiet -f "$tmp/pom.xml" org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$tmp/lib"
    touch "$tmp/lib/.complete"
    rm -rf "${dir:?}/lib"
    mv "$tmp/lib" "$dir/lib"
    rm -rf "$tmp"
  fi
  exec {lock_fd}>&-
}

# dispatch "$@": the common up | down | status | restart | logs entry point; the sourcing script defines
# <prefix>_up, <prefix>_down and <prefix>_status. Any other command runs <prefix>_<command> with the remaining
# arguments when the script defines it (e.g. `cassandra.sh cql "SELECT ..."`).
dispatch() {
  local prefix="$1" cmd="${2:-status}"
  shift $(( $# < 2 ? $# : 2 ))
  case "$cmd" in
    up) "${prefix}_up" ;;
    down) "${prefix}_down" ;;
    status) "${prefix}_status" ;;
    restart) "${prefix}_down"; "${prefix}_up" ;;
    logs) tail -n "${LINES_TO_SHOW:-100}" "$(log_file "$prefix")" ;;
    *)
      if [[ "$cmd" =~ ^[a-z][a-z0-9_]*$ ]] && declare -F "${prefix}_${cmd}" >/dev/null; then
        "${prefix}_${cmd}" "$@"
      else
        die "usage: $(basename "$0") up|down|status|restart|logs"
      fi ;;
  esac
}
