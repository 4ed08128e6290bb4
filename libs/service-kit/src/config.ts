import { Kind, type Static, type TSchema, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { envSegment } from '@search-mesh/contracts';

/**
 * One configuration setting read from one environment variable. Service settings are read from
 * `SEARCH_MESH_<SERVICE>_<env>`; `global` settings (infrastructure such as ES_URL) from `env` as is.
 */
export interface Setting<T extends TSchema = TSchema> {
  readonly env: string;
  readonly schema: T;
  readonly default?: Static<T>;
  readonly global?: boolean;
  readonly doc?: string;
}

export type SettingsSpec = Record<string, Setting>;
export type ConfigOf<S extends SettingsSpec> = { readonly [K in keyof S]: Static<S[K]['schema']> };

export function setting<T extends TSchema>(
  env: string,
  schema: T,
  options: { default?: Static<T>; global?: boolean; doc?: string } = {},
): Setting<T> {
  return { env, schema, ...options };
}

/** Thrown at start-up; its message names every bad variable, so the operator can fix them in one go. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

export function envName(service: string, s: Setting): string {
  return s.global ? s.env : `SEARCH_MESH_${envSegment(service)}_${s.env}`;
}

/** Strings from the environment become the schema's type; lists are comma-separated. */
function fromEnvString(schema: TSchema, raw: string): unknown {
  if (schema[Kind] === 'Array') {
    const items = raw.split(',').map((item) => item.trim()).filter((item) => item.length > 0);
    return items.map((item) => Value.Convert(schema.items as TSchema, item));
  }
  if (schema[Kind] === 'Integer' || schema[Kind] === 'Number') {
    // Strict: Value.Convert would turn '' into 0 and '80.5' into 80, hiding the operator's mistake.
    const text = raw.trim();
    return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : raw;
  }
  return Value.Convert(schema, raw);
}

/** Reads and validates every setting of `spec`; throws ConfigError naming each bad variable. */
export function loadConfig<S extends SettingsSpec>(
  service: string,
  spec: S,
  env: NodeJS.ProcessEnv = process.env,
): ConfigOf<S> {
  const config: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, s] of Object.entries(spec)) {
    const name = envName(service, s);
    const raw = env[name];
    if (raw === undefined) {
      if (s.default === undefined) problems.push(`${name} is required${s.doc ? ` (${s.doc})` : ''}`);
      else config[key] = s.default;
      continue;
    }
    const value = fromEnvString(s.schema, raw);
    const error = Value.Errors(s.schema, value).First();
    if (error) {
      const where = error.path ? ` at ${error.path}` : '';
      problems.push(`${name}=${JSON.stringify(raw)} is invalid${where}: ${error.message}`);
      continue;
    }
    config[key] = value;
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config as ConfigOf<S>;
}

const Port = Type.Integer({ minimum: 0, maximum: 65535 });
const PositiveMs = Type.Integer({ minimum: 1, maximum: 3_600_000 });
const NonNegativeMs = Type.Integer({ minimum: 0, maximum: 3_600_000 });

/** Settings every service has; `defaultPort` is the service's conventional port. */
export function kitSettings(defaultPort: number) {
  return {
    port: setting('PORT', Port, { default: defaultPort }),
    host: setting('HOST', Type.String({ minLength: 1 }), { default: '127.0.0.1', doc: 'listen address; 0.0.0.0 in a pod' }),
    logLevel: setting(
      'LOG_LEVEL',
      Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l))),
      { default: 'info' },
    ),
    accessLog: setting('ACCESS_LOG', Type.Boolean(), { default: true, doc: 'one log line per request' }),
    requestBudgetMs: setting('REQUEST_BUDGET_MS', PositiveMs, {
      default: 1000,
      doc: 'budget of a request that arrives without a deadline header',
    }),
    maxRequestBudgetMs: setting('MAX_REQUEST_BUDGET_MS', PositiveMs, { default: 30_000 }),
    bodyLimitBytes: setting('BODY_LIMIT_BYTES', Type.Integer({ minimum: 1024 }), { default: 1_048_576 }),
    shutdownTimeoutMs: setting('SHUTDOWN_TIMEOUT_MS', PositiveMs, {
      default: 10_000,
      doc: 'how long in-flight requests may take to finish after SIGTERM',
    }),
    shutdownDrainDelayMs: setting('SHUTDOWN_DRAIN_DELAY_MS', NonNegativeMs, {
      default: 0,
      doc: 'time between readiness going false and the listener closing',
    }),
    maxEventLoopDelayMs: setting('MAX_EVENT_LOOP_DELAY_MS', NonNegativeMs, { default: 1000, doc: '0 disables' }),
    maxEventLoopUtilization: setting('MAX_EVENT_LOOP_UTILIZATION', Type.Number({ minimum: 0, maximum: 1 }), {
      default: 0.98,
      doc: '0 disables',
    }),
    maxHeapUsedBytes: setting('MAX_HEAP_USED_BYTES', Type.Integer({ minimum: 0 }), { default: 0, doc: '0 disables' }),
  };
}
export type KitConfig = ConfigOf<ReturnType<typeof kitSettings>>;
