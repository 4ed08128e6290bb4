// Two projects: `unit` (no I/O, runs anywhere) and `integration` (real Elasticsearch, Kafka, Cassandra and
// real service processes; scripts/test.sh starts the infrastructure first).
// @kubernetes/client-node (mesh-client's EndpointSlice discovery) and a few of its dependencies ship only as
// ES modules, which jest on Node 20 cannot require: they are compiled to CommonJS like our own TypeScript.
const esmOnly = ['@kubernetes/client-node', 'openid-client', 'oauth4webapi', 'jose', 'jsonpath-plus'];
const transform = { '^.+\\.(tsx?|m?js)$': ['@swc/jest', { jsc: { target: 'es2022' } }] };
const transformIgnorePatterns = [`/node_modules/(?!(${esmOnly.join('|')})/)`];
const common = { transform, transformIgnorePatterns, testEnvironment: 'node', moduleFileExtensions: ['ts', 'js', 'mjs', 'json'] };

module.exports = {
  // Per-project testTimeout is ignored by jest; integration tests start real processes, so be generous.
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{libs,services}/*/test/unit/**/*.test.ts', '<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{libs,services}/*/test/integration/**/*.test.ts', '<rootDir>/test/integration/**/*.test.ts', '<rootDir>/test/helm/**/*.test.ts', '<rootDir>/test/browser/**/*.test.ts'],
    },
  ],
};
