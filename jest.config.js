// Two projects: `unit` (no I/O, runs anywhere) and `integration` (real Elasticsearch, Kafka, Cassandra and
// real service processes; scripts/test.sh starts the infrastructure first).
const transform = { '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] };
const common = { transform, testEnvironment: 'node', moduleFileExtensions: ['ts', 'js', 'json'] };

module.exports = {
  // Per-project testTimeout is ignored by jest; integration tests start real processes, so be generous.
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{libs,services}/*/test/unit/**/*.test.ts', '<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{libs,services}/*/test/integration/**/*.test.ts', '<rootDir>/test/integration/**/*.test.ts'],
    },
  ],
};
