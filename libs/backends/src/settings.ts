import { Type } from '@sinclair/typebox';
import { DEFAULT_NAMESPACE, NAMESPACE_PATTERN } from '@search-mesh/contracts';
import { type ConfigOf, setting } from '@search-mesh/service-kit';

/**
 * Infrastructure settings, read from the same variables by every service. Defaults point at the servers
 * `infra/local` starts on loopback.
 */
export const backendSettings = {
  namespace: setting('SEARCH_MESH_NAMESPACE', Type.String({ pattern: NAMESPACE_PATTERN.source }), {
    global: true,
    default: DEFAULT_NAMESPACE,
    doc: 'prefix of every topic, keyspace and index',
  }),
  esUrl: setting('ES_URL', Type.String({ pattern: '^https?://[^\\s]+$' }), { global: true, default: 'http://127.0.0.1:19200' }),
  esUsername: setting('ES_USERNAME', Type.String(), { global: true, default: '' }),
  esPassword: setting('ES_PASSWORD', Type.String(), { global: true, default: '' }),
  kafkaBrokers: setting('KAFKA_BROKERS', Type.Array(Type.String({ pattern: '^[^\\s:]+:\\d{1,5}$' }), { minItems: 1 }), {
    global: true,
    default: ['127.0.0.1:19092'],
    doc: 'comma-separated host:port list',
  }),
  cassandraContactPoints: setting('CASSANDRA_CONTACT_POINTS', Type.Array(Type.String({ pattern: '^[^\\s:]+(:\\d{1,5})?$' }), { minItems: 1 }), {
    global: true,
    default: ['127.0.0.1:19042'],
    doc: 'comma-separated host[:port] list',
  }),
  cassandraLocalDc: setting('CASSANDRA_LOCAL_DC', Type.String({ minLength: 1 }), { global: true, default: 'datacenter1' }),
  cassandraUsername: setting('CASSANDRA_USERNAME', Type.String(), { global: true, default: '' }),
  cassandraPassword: setting('CASSANDRA_PASSWORD', Type.String(), { global: true, default: '' }),
};
export type BackendConfig = ConfigOf<typeof backendSettings>;
