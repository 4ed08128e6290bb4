#!/usr/bin/env bash
# Prints the variables that point the mesh at the local servers: `eval "$(infra/local/env.sh)"`.
echo "export ES_URL=http://127.0.0.1:${SEARCH_MESH_ES_PORT:-19200}"
echo "export KAFKA_BROKERS=127.0.0.1:${SEARCH_MESH_KAFKA_PORT:-19092}"
echo "export CASSANDRA_CONTACT_POINTS=127.0.0.1:${SEARCH_MESH_CASSANDRA_PORT:-19042}"
echo "export CASSANDRA_LOCAL_DC=datacenter1"
