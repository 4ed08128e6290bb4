#!/usr/bin/env bash
# One-node Apache Cassandra on loopback for local development and tests.
#
#   cassandra.sh up | down | status | restart | logs
#   cassandra.sh cql "<statement>" ["<statement>"...]   run CQL statements, print the rows
#
# The server is assembled from Maven Central (org.apache.cassandra:cassandra-all and its runtime
# dependencies) into $SEARCH_MESH_CACHE_DIR/cassandra-<version>/lib, once; config, data, logs and the pid
# file belong to this checkout under $SEARCH_MESH_INFRA_DIR. Readiness is a real CQL query made by a tiny
# Java client (DataStax java-driver, its own classpath) compiled once into the cache.
#
# Environment (all optional):
#   SEARCH_MESH_CASSANDRA_VERSION       5.0.9
#   SEARCH_MESH_CASSANDRA_PORT          19042  CQL native transport
#   SEARCH_MESH_CASSANDRA_STORAGE_PORT  17000  inter-node (gossip), loopback only
#   SEARCH_MESH_CASSANDRA_JMX_PORT      17199  JMX, local only, no auth
#   SEARCH_MESH_CASSANDRA_HEAP          1G     -Xms = -Xmx
#   SEARCH_MESH_CASSANDRA_START_TIMEOUT 180    seconds `up` waits for a CQL answer
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CASSANDRA_VERSION="${SEARCH_MESH_CASSANDRA_VERSION:-5.0.9}"
CASSANDRA_PORT="${SEARCH_MESH_CASSANDRA_PORT:-19042}"
CASSANDRA_STORAGE_PORT="${SEARCH_MESH_CASSANDRA_STORAGE_PORT:-17000}"
CASSANDRA_JMX_PORT="${SEARCH_MESH_CASSANDRA_JMX_PORT:-17199}"
CASSANDRA_HEAP="${SEARCH_MESH_CASSANDRA_HEAP:-1G}"
CASSANDRA_START_TIMEOUT="${SEARCH_MESH_CASSANDRA_START_TIMEOUT:-180}"
CASSANDRA_HOST=127.0.0.1

CASSANDRA_HOME="$SEARCH_MESH_CACHE_DIR/cassandra-$CASSANDRA_VERSION"
CASSANDRA_STATE="$SEARCH_MESH_INFRA_DIR/cassandra"
CASSANDRA_CONF="$CASSANDRA_STATE/conf"

# The probe client: pinned driver, own classpath so it never mixes with the server's jars.
PROBE_DRIVER_VERSION=4.17.0

# ---------------------------------------------------------------------------------------------------------
# Install (cached)
# ---------------------------------------------------------------------------------------------------------


ensure_cassandra_jars() {
  [[ -f "$CASSANDRA_HOME/lib/.complete" ]] && return 0
  log "downloading Cassandra $CASSANDRA_VERSION from Maven Central into $CASSANDRA_HOME (once)"
  # Only cassandra-all: its compile/runtime dependencies are exactly what the server needs. The parent pom's
  # `provided` ones (antlr tool, byteman, compile-command-annotations, Corretto crypto provider) are build or
  # optional tools that a node does not load with this config.
  maven_jars "$CASSANDRA_HOME" cassandra-runtime "$CASSANDRA_VERSION" "
    <dependency><groupId>org.apache.cassandra</groupId><artifactId>cassandra-all</artifactId><version>$CASSANDRA_VERSION</version></dependency>"
  ls "$CASSANDRA_HOME"/lib/cassandra-all-*.jar >/dev/null 2>&1 || die "cassandra-all jar missing from $CASSANDRA_HOME/lib"
}

# The probe's source lives here; its cache directory is keyed by the source's hash, so editing it recompiles.
probe_source() {
  cat <<'JAVA'
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.ColumnDefinition;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** `version`: print the node's release_version. `cql STMT...`: run each statement, print its rows. */
public final class CqlProbe {
  public static void main(String[] args) {
    if (args.length == 0 || !(args[0].equals("version") || args[0].equals("cql"))) {
      System.err.println("usage: CqlProbe version | cql STATEMENT...");
      System.exit(2);
    }
    String host = System.getProperty("cql.host", "127.0.0.1");
    int port = Integer.getInteger("cql.port", 9042);
    DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
        .withDuration(DefaultDriverOption.CONNECTION_CONNECT_TIMEOUT, Duration.ofSeconds(5))
        .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(5))
        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_TIMEOUT, Duration.ofSeconds(5))
        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(Long.getLong("cql.timeout_s", 30)))
        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(30))
        // A one-shot client needs neither schema nor token metadata; skipping them makes connecting faster.
        .withBoolean(DefaultDriverOption.METADATA_SCHEMA_ENABLED, false)
        .withBoolean(DefaultDriverOption.METADATA_TOKEN_MAP_ENABLED, false)
        .withInt(DefaultDriverOption.CONNECTION_POOL_LOCAL_SIZE, 1)
        // Netty's default 2 s shutdown quiet period would make every run 2 s longer.
        .withInt(DefaultDriverOption.NETTY_IO_SHUTDOWN_QUIET_PERIOD, 0)
        .withInt(DefaultDriverOption.NETTY_ADMIN_SHUTDOWN_QUIET_PERIOD, 0)
        .build();
    try (CqlSession session = CqlSession.builder()
        .addContactPoint(new InetSocketAddress(host, port))
        .withLocalDatacenter(System.getProperty("cql.dc", "datacenter1"))
        .withConfigLoader(config)
        .build()) {
      if (args[0].equals("version")) {
        Row row = session.execute("SELECT release_version FROM system.local").one();
        if (row == null) throw new IllegalStateException("system.local returned no row");
        System.out.println(row.getString(0));
        return;
      }
      for (int i = 1; i < args.length; i++) print(session.execute(SimpleStatement.newInstance(args[i])));
    } catch (RuntimeException e) {
      System.err.println("cql: " + e);
      System.exit(1);
    }
  }

  private static void print(ResultSet rs) {
    rs.getExecutionInfo().getWarnings().forEach(w -> System.err.println("warning: " + w));
    if (rs.getColumnDefinitions().size() == 0) {
      System.out.println("OK");
      return;
    }
    List<String> header = new ArrayList<>();
    for (ColumnDefinition c : rs.getColumnDefinitions()) header.add(c.getName().asCql(true));
    System.out.println(String.join(" | ", header));
    int n = 0;
    for (Row row : rs) {
      List<String> cells = new ArrayList<>();
      for (int i = 0; i < row.size(); i++) {
        Object v = row.getObject(i);
        // Strings raw; everything else as its CQL literal (blobs as 0x.., collections, UDTs...).
        cells.add(v == null ? "null" : v instanceof String ? (String) v
            : row.codecRegistry().codecFor(row.getType(i)).format(v));
      }
      System.out.println(String.join(" | ", cells));
      n++;
    }
    System.out.println("(" + n + (n == 1 ? " row)" : " rows)"));
  }
}
JAVA
}

PROBE_HOME="$SEARCH_MESH_CACHE_DIR/cassandra-probe-$PROBE_DRIVER_VERSION"
PROBE_CLASSES="$PROBE_HOME/classes-$(probe_source | sha256sum | cut -c1-12)"

ensure_probe() {
  [[ -f "$PROBE_CLASSES/CqlProbe.class" ]] && return 0
  log "building the CQL probe (java-driver $PROBE_DRIVER_VERSION) into $PROBE_HOME (once)"
  mkdir -p "$PROBE_HOME/src"
  # The driver logs through slf4j; the simple binding keeps it quiet below ERROR.
  maven_jars "$PROBE_HOME" cassandra-probe 1 "
    <dependency><groupId>com.datastax.oss</groupId><artifactId>java-driver-core</artifactId><version>$PROBE_DRIVER_VERSION</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-simple</artifactId><version>1.7.36</version></dependency>"
  probe_source >"$PROBE_HOME/src/CqlProbe.java"
  rm -rf "$PROBE_CLASSES.tmp.$$"
  "$SEARCH_MESH_JAVA_HOME/bin/javac" -nowarn -d "$PROBE_CLASSES.tmp.$$" -cp "$PROBE_HOME/lib/*" \
    "$PROBE_HOME/src/CqlProbe.java" || die "compiling the CQL probe failed"
  rm -rf "$PROBE_CLASSES"
  mv "$PROBE_CLASSES.tmp.$$" "$PROBE_CLASSES"
}

# probe ARGS...: run the probe against this checkout's node. Short-lived JVM: C1 only, serial GC.
probe() {
  "$JAVA_BIN" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k -Xmx256m \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=error \
    -Dcql.host="$CASSANDRA_HOST" -Dcql.port="$CASSANDRA_PORT" \
    -cp "$PROBE_CLASSES:$PROBE_HOME/lib/*" CqlProbe "$@"
}

# answers: the node's CQL port is open and a real query returns its version, kept in CASSANDRA_RELEASE
# (cheap port check first, so no JVM is forked while the node is still starting).
CASSANDRA_RELEASE=""
answers() { port_in_use "$CASSANDRA_PORT" && CASSANDRA_RELEASE="$(probe version 2>/dev/null)"; }

# ---------------------------------------------------------------------------------------------------------
# Configuration (rewritten on every `up`, so the env vars always take effect)
# ---------------------------------------------------------------------------------------------------------

write_config() {
  mkdir -p "$CASSANDRA_CONF" "$CASSANDRA_STATE"/{data,commitlog,saved_caches,hints,cdc_raw,triggers}
  # Cassandra 5.0 names: *_port, durations "10000ms", sizes "16MiB". Single token on a fixed position: one
  # node owns the whole ring and start-up skips token allocation.
  cat >"$CASSANDRA_CONF/cassandra.yaml" <<EOF
# Generated by infra/local/cassandra.sh; edits are overwritten on the next \`up\`.
cluster_name: search-mesh-local
num_tokens: 1
initial_token: 0
partitioner: org.apache.cassandra.dht.Murmur3Partitioner
endpoint_snitch: SimpleSnitch
seed_provider:
  - class_name: org.apache.cassandra.locator.SimpleSeedProvider
    parameters:
      - seeds: "$CASSANDRA_HOST:$CASSANDRA_STORAGE_PORT"
listen_address: $CASSANDRA_HOST
rpc_address: $CASSANDRA_HOST
storage_port: $CASSANDRA_STORAGE_PORT
start_native_transport: true
native_transport_port: $CASSANDRA_PORT

# A fresh 5.0 node: no 4.x nodes to stay compatible with.
storage_compatibility_mode: NONE

authenticator: AllowAllAuthenticator
authorizer: AllowAllAuthorizer
role_manager: CassandraRoleManager
network_authorizer: AllowAllNetworkAuthorizer

data_file_directories:
  - $CASSANDRA_STATE/data
commitlog_directory: $CASSANDRA_STATE/commitlog
saved_caches_directory: $CASSANDRA_STATE/saved_caches
hints_directory: $CASSANDRA_STATE/hints
cdc_raw_directory: $CASSANDRA_STATE/cdc_raw

commitlog_sync: periodic
commitlog_sync_period: 1000ms
commitlog_segment_size: 16MiB
commitlog_total_space: 256MiB

# Dev-sized memory: memtables on heap (no off-heap surprise in RSS), small caches.
memtable_allocation_type: heap_buffers
memtable_heap_space: 128MiB
key_cache_size: 16MiB
row_cache_size: 0MiB
counter_cache_size: 4MiB
file_cache_size: 64MiB
networking_cache_size: 16MiB
concurrent_reads: 8
concurrent_writes: 8
concurrent_counter_writes: 8
concurrent_compactors: 1

# Throw-away data: no snapshots on TRUNCATE/DROP, no hints (nobody else to hand them to).
auto_snapshot: false
hinted_handoff_enabled: false
EOF

  # Cassandra logs through logback: INFO to stdout, which start_bg sends to the checkout's log file.
  cat >"$CASSANDRA_CONF/logback.xml" <<'EOF'
<configuration scan="false">
  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
    <encoder>
      <pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{1} - %msg%n</pattern>
    </encoder>
  </appender>
  <logger name="org.apache.cassandra" level="INFO"/>
  <logger name="com.datastax" level="WARN"/>
  <logger name="io.netty" level="WARN"/>
  <root level="INFO">
    <appender-ref ref="STDOUT"/>
  </root>
</configuration>
EOF
}

# JVM flags: Cassandra's conf/jvm-server.options + jvm17-server.options, less what only matters in production
# (AlwaysPreTouch would fault the whole heap in: bigger RSS, slower start), plus dev-node start-up shortcuts.
jvm_opts() {
  local jamm=("$CASSANDRA_HOME"/lib/jamm-*.jar)
  local opts=(
    -Xms"$CASSANDRA_HEAP" -Xmx"$CASSANDRA_HEAP" -Xss256k
    -XX:+UseG1GC -XX:+ParallelRefProcEnabled -XX:MaxTenuringThreshold=1 -XX:MaxGCPauseMillis=300
    -XX:G1RSetUpdatingPauseTimePercent=5 -XX:InitiatingHeapOccupancyPercent=70
    -XX:+UseThreadPriorities -XX:+UseTLAB -XX:+ResizeTLAB
    -XX:+ExitOnOutOfMemoryError
    -ea -da:net.openhft...
    -Djava.net.preferIPv4Stack=true
    # JPMS: what Cassandra 5.0 reaches into on Java 17 (conf/jvm17-server.options).
    -Djdk.attach.allowAttachSelf=true
    --add-exports java.base/jdk.internal.misc=ALL-UNNAMED
    --add-exports java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED
    --add-exports java.rmi/sun.rmi.registry=ALL-UNNAMED
    --add-exports java.rmi/sun.rmi.server=ALL-UNNAMED
    --add-exports java.sql/java.sql=ALL-UNNAMED
    --add-exports java.base/java.lang.ref=ALL-UNNAMED
    --add-exports jdk.unsupported/sun.misc=ALL-UNNAMED
    --add-exports jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
    --add-exports jdk.attach/sun.tools.attach=ALL-UNNAMED
    --add-opens java.base/java.lang.module=ALL-UNNAMED
    --add-opens java.base/jdk.internal.loader=ALL-UNNAMED
    --add-opens java.base/jdk.internal.ref=ALL-UNNAMED
    --add-opens java.base/jdk.internal.reflect=ALL-UNNAMED
    --add-opens java.base/jdk.internal.math=ALL-UNNAMED
    --add-opens java.base/jdk.internal.module=ALL-UNNAMED
    --add-opens java.base/jdk.internal.util.jar=ALL-UNNAMED
    --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED
    --add-opens java.base/sun.nio.ch=ALL-UNNAMED
    --add-opens java.base/java.io=ALL-UNNAMED
    --add-opens java.base/java.lang.reflect=ALL-UNNAMED
    --add-opens jdk.compiler/com.sun.tools.javac=ALL-UNNAMED
    --add-opens java.base/java.lang=ALL-UNNAMED
    --add-opens java.base/java.util=ALL-UNNAMED
    -Dio.netty.tryReflectionSetAccessible=true
    -Dio.netty.allocator.useCacheForAllThreads=true
    -Dio.netty.allocator.maxOrder=11
    # JMX on loopback only, no auth (what cassandra-env.sh does with LOCAL_JMX=yes).
    -Dcassandra.jmx.local.port="$CASSANDRA_JMX_PORT"
    -Dcom.sun.management.jmxremote.authenticate=false
    -Djava.rmi.server.hostname="$CASSANDRA_HOST"
    # A lone seed: nothing to gossip with, so don't wait for gossip to settle or for the ring.
    -Dcassandra.skip_wait_for_gossip_to_settle=0
    -Dcassandra.ring_delay_ms=1000
    -Dcassandra.config="file://$CASSANDRA_CONF/cassandra.yaml"
    -Dcassandra.storagedir="$CASSANDRA_STATE"
    -Dcassandra.triggers_dir="$CASSANDRA_STATE/triggers"
    -Dcassandra.logdir="$CASSANDRA_STATE"
    -Dlogback.configurationFile="$CASSANDRA_CONF/logback.xml"
    # Keep logging to stdout after start-up (otherwise the daemon closes it).
    -Dcassandra-foreground=yes
  )
  # jamm measures object sizes for memtable accounting; as an agent it uses Instrumentation (as bin/cassandra).
  [[ -f "${jamm[0]}" ]] && opts+=("-javaagent:${jamm[0]}")
  printf '%s\n' "${opts[@]}"
}

# ---------------------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------------------

cassandra_start() {
  write_config
  local opts=()
  mapfile -t opts < <(jvm_opts)
  log "starting cassandra $CASSANDRA_VERSION (heap $CASSANDRA_HEAP, cql $CASSANDRA_HOST:$CASSANDRA_PORT, storage $CASSANDRA_STORAGE_PORT, jmx $CASSANDRA_JMX_PORT)"
  # Cassandra mlockall()s everything mapped at start-up (production: never swap), which faults in and pins
  # the whole heap. A dev node doesn't need that: with RLIMIT_MEMLOCK at 0 (and, for root, CAP_IPC_LOCK
  # dropped) the lock fails (logged as "Unknown mlockall error 1", harmless) and the heap becomes resident
  # only as it is used: ~0.6 GB RSS instead of ~1.6 GB with the default 1G heap.
  local launcher=()
  if (( EUID == 0 )) && command -v setpriv >/dev/null; then
    launcher=(setpriv --inh-caps=-ipc_lock --bounding-set=-ipc_lock --)
  fi
  # cwd = the state dir, so nothing the JVM writes relative to it (heap dumps, hs_err) lands in the repo.
  (cd "$CASSANDRA_STATE" && ulimit -l 0 && start_bg cassandra "${launcher[@]}" "$JAVA_BIN" "${opts[@]}" \
    -cp "$CASSANDRA_CONF:$CASSANDRA_HOME/lib/*" org.apache.cassandra.service.CassandraDaemon)
}

cassandra_up() {
  ensure_cassandra_jars
  ensure_probe
  server_up cassandra "$CASSANDRA_START_TIMEOUT" answers orphan_pids cassandra_start "$CASSANDRA_PORT" "$CASSANDRA_STORAGE_PORT" "$CASSANDRA_JMX_PORT"
  log "cassandra release $CASSANDRA_RELEASE on $CASSANDRA_HOST:$CASSANDRA_PORT"
}

# orphan_pids: JVMs running this checkout's config without a live pid file (e.g. the run dir was wiped);
# matched on the per-checkout config path, which nothing else uses.
orphan_pids() { pgrep -d " " -f -- "-Dcassandra.config=file://$CASSANDRA_CONF/cassandra.yaml" || true; }

# SIGTERM runs Cassandra's shutdown hook, which drains (flushes memtables, closes the commit log).
cassandra_down() { server_down cassandra 90 orphan_pids; }

cassandra_status() {
  if ! is_running cassandra; then
    local orphans; orphans="$(orphan_pids)"
    if [[ -n "$orphans" ]]; then
      echo "cassandra: stopped, but pid $orphans runs this checkout's config without a pid file (run: $0 down)"
    else
      echo "cassandra: stopped"
    fi
    return 3
  fi
  local pid version; pid="$(cat "$(pid_file cassandra)")"
  if [[ -f "$PROBE_CLASSES/CqlProbe.class" ]] && version="$(probe version 2>/dev/null)"; then
    echo "cassandra: running (release $version, pid $pid, cql $CASSANDRA_HOST:$CASSANDRA_PORT)"
    return 0
  fi
  echo "cassandra: process $pid alive but not answering CQL on $CASSANDRA_HOST:$CASSANDRA_PORT (starting?)"
  return 3
}

cassandra_cql() {
  (( $# > 0 )) || die "usage: $(basename "$0") cql \"<statement>\" [\"<statement>\"...]"
  is_running cassandra || die "cassandra is not running (run: $0 up)"
  ensure_probe
  probe cql "$@"
}

dispatch cassandra "$@"
