#!/usr/bin/env bash
# Apache Kafka (KRaft, one combined broker + controller) on loopback, for local development and tests.
#
#   infra/local/kafka.sh up|down|status|restart|logs
#   infra/local/kafka.sh topics [TopicCommand args]     # default: --list
#   infra/local/kafka.sh tool CLASS [args]              # kafka-run-class.sh equivalent, e.g.
#       infra/local/kafka.sh tool org.apache.kafka.tools.ConsoleProducer --bootstrap-server 127.0.0.1:19092 --topic t
#
# There is no Kafka tarball on Maven Central, so the runtime is assembled there instead: a generated pom
# depending on kafka_2.13 (the server), kafka-tools (TopicCommand, console clients) and a log4j2 binding,
# resolved once with `mvn dependency:copy-dependencies` into the shared cache. Config, data and logs are
# this checkout's, under $SEARCH_MESH_INFRA_DIR/kafka.
#
# Environment (all optional):
#   SEARCH_MESH_KAFKA_VERSION          4.3.1  (4.4.0's kafka-tools is not on Maven Central)
#   SEARCH_MESH_KAFKA_LOG4J_VERSION    2.25.4 log4j-slf4j-impl; match the log4j-core that Kafka brings
#   SEARCH_MESH_KAFKA_PORT             19092  broker, PLAINTEXT
#   SEARCH_MESH_KAFKA_CONTROLLER_PORT  19093  KRaft controller
#   SEARCH_MESH_KAFKA_HEAP             512m
#   SEARCH_MESH_KAFKA_START_TIMEOUT    120    seconds `up` waits for the broker to answer metadata requests
set -euo pipefail
# shellcheck source=infra/local/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KAFKA_VERSION="${SEARCH_MESH_KAFKA_VERSION:-4.3.1}"
KAFKA_LOG4J_VERSION="${SEARCH_MESH_KAFKA_LOG4J_VERSION:-2.25.4}"
KAFKA_PORT="${SEARCH_MESH_KAFKA_PORT:-19092}"
KAFKA_CONTROLLER_PORT="${SEARCH_MESH_KAFKA_CONTROLLER_PORT:-19093}"
KAFKA_HEAP="${SEARCH_MESH_KAFKA_HEAP:-512m}"
KAFKA_START_TIMEOUT="${SEARCH_MESH_KAFKA_START_TIMEOUT:-120}"

KAFKA_HOME="$SEARCH_MESH_CACHE_DIR/kafka-$KAFKA_VERSION"
KAFKA_STATE_DIR="$SEARCH_MESH_INFRA_DIR/kafka"
KAFKA_DATA_DIR="$KAFKA_STATE_DIR/data"
KAFKA_BOOTSTRAP="127.0.0.1:$KAFKA_PORT"

# The broker's and the CLI tools' runtime jars, resolved into the cache once.
kafka_install() {
  [[ -f "$KAFKA_HOME/lib/.complete" ]] && return 0
  log "resolving Kafka $KAFKA_VERSION and its runtime dependencies from Maven Central"
  maven_jars "$KAFKA_HOME" kafka-runtime "$KAFKA_VERSION" "
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency>
      <groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId><version>$KAFKA_VERSION</version>
      <exclusions>
        <!-- Only the connect-plugin-path tool needs it; it drags in Jetty and Jersey. -->
        <exclusion><groupId>org.apache.kafka</groupId><artifactId>connect-runtime</artifactId></exclusion>
      </exclusions>
    </dependency>
    <!-- Kafka logs through slf4j 1.x; this binds it to the log4j2 core that Kafka already brings. -->
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>$KAFKA_LOG4J_VERSION</version></dependency>"
  [[ -f "$KAFKA_HOME/lib/kafka_2.13-$KAFKA_VERSION.jar" && -f "$KAFKA_HOME/lib/kafka-tools-$KAFKA_VERSION.jar" ]] \
    || die "Kafka $KAFKA_VERSION jars missing after resolution"
}

# Rewritten on every `up` so changed ports/heap take effect. Static controller quorum
# (controller.quorum.voters): no voter set is baked into the formatted storage, so ports can change.
kafka_configure() {
  mkdir -p "$KAFKA_DATA_DIR" "$KAFKA_STATE_DIR/logs"
  cat >"$KAFKA_STATE_DIR/server.properties" <<EOF
# Written by infra/local/kafka.sh on every start; edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
controller.listener.names=CONTROLLER
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$KAFKA_DATA_DIR

# One broker: every internal topic with one replica.
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# One partition for the offsets topic makes the first consumer group join fast.
offsets.topic.num.partitions=1
num.partitions=1
auto.create.topics.enable=true
delete.topic.enable=true
# Tests: consumers get their partitions at once instead of after 3 s.
group.initial.rebalance.delay.ms=0
EOF
  # Server logs go to stdout, i.e. $(log_file kafka); the request logger is noisy at INFO. Without
  # log4j's own shutdown hook the log goes on to the end of Kafka's shutdown.
  cat >"$KAFKA_STATE_DIR/log4j2.properties" <<'EOF'
status = warn
shutdownHook = disable
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = info
rootLogger.appenderRef.stdout.ref = STDOUT
logger.request.name = kafka.request.logger
logger.request.level = warn
logger.network.name = kafka.network.RequestChannel$
logger.network.level = warn
EOF
  kafka_tools_config
}

# CLI tools log warnings only, to stderr, and give up on an absent broker after 10 s, not 60.
kafka_tools_config() {
  mkdir -p "$KAFKA_STATE_DIR"
  cat >"$KAFKA_STATE_DIR/tools-log4j2.properties" <<'EOF'
status = warn
appender.console.type = Console
appender.console.name = STDERR
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = STDERR
EOF
  cat >"$KAFKA_STATE_DIR/tools-admin.properties" <<'EOF'
default.api.timeout.ms=10000
request.timeout.ms=5000
EOF
}

# Formats the storage directory once; the cluster id is generated once and kept beside it.
kafka_format() {
  [[ -f "$KAFKA_DATA_DIR/meta.properties" ]] && return 0
  local cluster_id
  if [[ -s "$KAFKA_STATE_DIR/cluster.id" ]]; then
    cluster_id="$(cat "$KAFKA_STATE_DIR/cluster.id")"
  else
    cluster_id="$(kafka_tool kafka.tools.StorageTool random-uuid)"
    echo "$cluster_id" >"$KAFKA_STATE_DIR/cluster.id"
  fi
  log "formatting Kafka storage in $KAFKA_DATA_DIR (cluster id $cluster_id)"
  kafka_tool kafka.tools.StorageTool format --cluster-id "$cluster_id" \
    --config "$KAFKA_STATE_DIR/server.properties" --ignore-formatted >/dev/null
}

# tool CLASS ARGS...: runs a class of the Kafka runtime (what kafka-run-class.sh does for the CLI scripts).
kafka_tool() {
  [[ $# -ge 1 ]] || die "usage: $(basename "$0") tool CLASS [ARGS...]"
  kafka_install
  [[ -f "$KAFKA_STATE_DIR/tools-log4j2.properties" ]] || kafka_tools_config
  "$JAVA_BIN" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$KAFKA_STATE_DIR/tools-log4j2.properties" \
    -cp "$KAFKA_HOME/lib/*" "$@"
}

# topics [ARGS...]: TopicCommand against this broker; lists the topics by default.
kafka_topics() {
  (( $# > 0 )) || set -- --list
  kafka_tools_config
  kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$KAFKA_BOOTSTRAP" \
    --command-config "$KAFKA_STATE_DIR/tools-admin.properties" "$@"
}

# This checkout's broker JVM when the pid file lost track of it (its config path is unique to the checkout).
kafka_leftovers() { pgrep -f -- "kafka\.Kafka $KAFKA_STATE_DIR/server\.properties" || true; }

# The broker answers a metadata request (listing topics); the port check first saves a JVM start.
kafka_answers() {
  port_in_use "$KAFKA_PORT" && kafka_topics --list >/dev/null 2>&1
}

kafka_start() {
  kafka_install
  kafka_configure
  kafka_format
  log "starting Kafka $KAFKA_VERSION on $KAFKA_BOOTSTRAP (controller :$KAFKA_CONTROLLER_PORT, heap $KAFKA_HEAP)"
  # The JVM flags of kafka-server-start.sh / kafka-run-class.sh, with a smaller heap and GC log.
  start_bg kafka "$JAVA_BIN" -Xms"$KAFKA_HEAP" -Xmx"$KAFKA_HEAP" -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 \
    -Djava.awt.headless=true \
    "-Xlog:gc*:file=$KAFKA_STATE_DIR/logs/kafkaServer-gc.log:time,tags:filecount=4,filesize=16M" \
    -Dkafka.logs.dir="$KAFKA_STATE_DIR/logs" \
    -Dlog4j2.configurationFile="$KAFKA_STATE_DIR/log4j2.properties" \
    -cp "$KAFKA_HOME/lib/*" kafka.Kafka "$KAFKA_STATE_DIR/server.properties"
}

kafka_up() { server_up kafka "$KAFKA_START_TIMEOUT" kafka_answers kafka_leftovers kafka_start "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; }

kafka_down() { server_down kafka 60 kafka_leftovers; }

kafka_status() { server_status kafka "$KAFKA_BOOTSTRAP" kafka_answers; }

dispatch kafka "$@"
