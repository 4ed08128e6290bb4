import { Type } from '@sinclair/typebox';
import { ConfigError, kitSettings, loadConfig, setting } from '../../src';

describe('loadConfig', () => {
  const spec = {
    ...kitSettings(8084),
    brokers: setting('KAFKA_BROKERS', Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }), { global: true, default: ['a:1'] }),
    modelPath: setting('MODEL_PATH', Type.String({ minLength: 1 })),
  };

  it('reads service settings from SEARCH_MESH_<SERVICE>_<NAME>, globals as named, and applies defaults', () => {
    const config = loadConfig('query-understanding', spec, {
      SEARCH_MESH_QUERY_UNDERSTANDING_PORT: '9000',
      SEARCH_MESH_QUERY_UNDERSTANDING_ACCESS_LOG: 'false',
      SEARCH_MESH_QUERY_UNDERSTANDING_MODEL_PATH: '/models/m.onnx',
      KAFKA_BROKERS: 'h1:9092, h2:9092',
    });
    expect(config.port).toBe(9000);
    expect(config.accessLog).toBe(false);
    expect(config.brokers).toEqual(['h1:9092', 'h2:9092']);
    expect(config.logLevel).toBe('info');
    expect(config.modelPath).toBe('/models/m.onnx');
  });

  it('names every bad or missing variable in one error', () => {
    let error: unknown;
    try {
      loadConfig('ranking', spec, { SEARCH_MESH_RANKING_PORT: 'abc', SEARCH_MESH_RANKING_LOG_LEVEL: 'loud' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toMatch(/SEARCH_MESH_RANKING_PORT="abc" is invalid/);
    expect(message).toMatch(/SEARCH_MESH_RANKING_LOG_LEVEL="loud" is invalid/);
    expect(message).toMatch(/SEARCH_MESH_RANKING_MODEL_PATH is required/);
    expect((error as ConfigError).problems).toHaveLength(3);
  });

  it.each([
    ['PORT', '70000'],
    ['PORT', ''],
    ['PORT', '80.5'],
    ['ACCESS_LOG', 'maybe'],
    ['MAX_EVENT_LOOP_UTILIZATION', '2'],
  ])('rejects %s=%j', (name, value) => {
    const env = { SEARCH_MESH_RANKING_MODEL_PATH: 'x', [`SEARCH_MESH_RANKING_${name}`]: value };
    expect(() => loadConfig('ranking', spec, env)).toThrow(new RegExp(`SEARCH_MESH_RANKING_${name}=`));
  });
});
