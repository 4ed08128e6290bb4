import { Type } from '@sinclair/typebox';
import { backendSettings } from '@search-mesh/backends';
import { SERVICES } from '@search-mesh/contracts';
import { meshSettings, peerUrlSetting } from '@search-mesh/mesh-client';
import { type ConfigOf, kitSettings, setting } from '@search-mesh/service-kit';

export const settings = {
  ...kitSettings(SERVICES['facet'].port),
  ...meshSettings(),
  ...backendSettings,
  adminTokens: setting('ADMIN_TOKENS', Type.Array(Type.String({ pattern: '^[A-Za-z0-9_.@-]{1,64}:(viewer|merchandiser|admin):[^\\s,]{16,}$' })), {
    default: [],
    doc: 'comma-separated name:role:token (role viewer, merchandiser or admin; tokens of 16+ characters); empty: the admin API answers 401 to everyone',
  }),
  adminRateLimitMax: setting('ADMIN_RATE_LIMIT_MAX', Type.Integer({ minimum: 0 }), { default: 300, doc: 'admin requests per token (or address) per window; 0 disables' }),
  adminRateLimitWindowMs: setting('ADMIN_RATE_LIMIT_WINDOW_MS', Type.Integer({ minimum: 1, maximum: 3_600_000 }), { default: 60_000 }),
  replicationFactor: setting('REPLICATION_FACTOR', Type.Integer({ minimum: 1, maximum: 9 }), { default: 1, doc: 'of the merchandising keyspace, when this service creates it' }),
  resyncIntervalMs: setting('RESYNC_INTERVAL_MS', Type.Integer({ minimum: 0, maximum: 3_600_000 }), {
    default: 30_000,
    doc: 're-reads every document from Cassandra this often, healing a change whose event was lost; 0 never',
  }),
  orchestratorUrl: peerUrlSetting('orchestrator', SERVICES.orchestrator.port),
};
export type Config = ConfigOf<typeof settings>;

export type Role = 'viewer' | 'merchandiser' | 'admin';
export interface Operator {
  name: string;
  role: Role;
}

/** `name:role:token` entries → token → operator. */
export function parseAdminTokens(entries: readonly string[]): Map<string, Operator> {
  const tokens = new Map<string, Operator>();
  for (const entry of entries) {
    const [name, role, ...rest] = entry.split(':');
    tokens.set(rest.join(':'), { name: name!, role: role as Role });
  }
  return tokens;
}
