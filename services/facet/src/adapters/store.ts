import { randomUUID } from 'node:crypto';
import { types } from 'cassandra-driver';
import type { CassandraClient } from '@search-mesh/backends';
import type { ConfigDocument, ConfigKind, DraftChange } from '@search-mesh/contracts';

/** A write whose expected version is not the stored one: someone else saved in between. */
export class StaleVersion extends Error {
  constructor(readonly current: number) {
    super(`stale version: the stored version is ${current}`);
    this.name = 'StaleVersion';
  }
}

export interface StoredAudit {
  kind: ConfigKind;
  id: string;
  at: string;
  version: number;
  actor: string;
  role: string;
  before: ConfigDocument['body'];
  after: ConfigDocument['body'];
}

/** How long an unsaved draft stays previewable. */
export const PREVIEW_TTL_S = 86_400;

/**
 * The merchandising keyspace: every configuration document with its version (`documents`), every
 * accepted change with who, when, before and after (`audit`), and drafts being previewed (`previews`,
 * expiring). Versions are checked with lightweight transactions, so of two writers who read the same
 * version only one succeeds.
 */
export class ConfigStore {
  constructor(
    private readonly client: CassandraClient,
    private readonly keyspace: string,
  ) {}

  async ensureSchema(replicationFactor: number): Promise<void> {
    const ks = this.keyspace;
    await this.client.execute(`CREATE KEYSPACE IF NOT EXISTS ${ks} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': ${replicationFactor}}`);
    await this.client.execute(
      `CREATE TABLE IF NOT EXISTS ${ks}.documents (kind text, id text, version bigint, body text, updated_at timestamp, updated_by text, PRIMARY KEY ((kind), id))`,
    );
    await this.client.execute(
      `CREATE TABLE IF NOT EXISTS ${ks}.audit (kind text, id text, at timeuuid, version bigint, actor text, role text, before text, after text, PRIMARY KEY ((kind, id), at)) WITH CLUSTERING ORDER BY (at DESC)`,
    );
    await this.client.execute(`CREATE TABLE IF NOT EXISTS ${ks}.previews (id uuid PRIMARY KEY, changes text) WITH default_time_to_live = ${PREVIEW_TTL_S}`);
  }

  private toDocument(row: types.Row): ConfigDocument {
    return {
      kind: row.kind as ConfigKind,
      id: row.id as string,
      version: Number(row.version),
      body: row.body === null ? null : (JSON.parse(row.body as string) as ConfigDocument['body']),
      updatedAt: (row.updated_at as Date).toISOString(),
      updatedBy: row.updated_by as string,
    };
  }

  /** Every document of every kind (deleted ones too, with a null body and their version). */
  async loadAll(): Promise<ConfigDocument[]> {
    const kinds: ConfigKind[] = ['facets', 'rule', 'query_rule', 'suggest_blocklist'];
    const docs: ConfigDocument[] = [];
    for (const kind of kinds) {
      const res = await this.client.execute(`SELECT kind, id, version, body, updated_at, updated_by FROM ${this.keyspace}.documents WHERE kind = ?`, [kind], {
        prepare: true,
        consistency: types.consistencies.localQuorum,
      });
      docs.push(...res.rows.map((r) => this.toDocument(r)));
    }
    return docs;
  }

  async get(kind: ConfigKind, id: string): Promise<ConfigDocument | undefined> {
    const res = await this.client.execute(`SELECT kind, id, version, body, updated_at, updated_by FROM ${this.keyspace}.documents WHERE kind = ? AND id = ?`, [kind, id], {
      prepare: true,
      consistency: types.consistencies.localQuorum,
      serialConsistency: types.consistencies.localSerial,
    });
    return res.rows[0] === undefined ? undefined : this.toDocument(res.rows[0]);
  }

  /**
   * Stores `body` (null deletes) as version `expected + 1` when the stored version is `expected` (0: the
   * document does not exist yet), then records the audit entry. Throws StaleVersion otherwise.
   */
  async write(kind: ConfigKind, id: string, expected: number, body: ConfigDocument['body'], actor: { name: string; role: string }): Promise<{ document: ConfigDocument; before: ConfigDocument['body'] }> {
    const before = expected === 0 ? undefined : await this.get(kind, id);
    const now = new Date();
    const version = expected + 1;
    const text = body === null ? null : JSON.stringify(body);
    const options = { prepare: true, consistency: types.consistencies.localQuorum, serialConsistency: types.consistencies.localSerial };
    const res =
      expected === 0
        ? await this.client.execute(
            `INSERT INTO ${this.keyspace}.documents (kind, id, version, body, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?) IF NOT EXISTS`,
            [kind, id, types.Long.fromNumber(version), text, now, actor.name],
            options,
          )
        : await this.client.execute(
            `UPDATE ${this.keyspace}.documents SET version = ?, body = ?, updated_at = ?, updated_by = ? WHERE kind = ? AND id = ? IF version = ?`,
            [types.Long.fromNumber(version), text, now, actor.name, kind, id, types.Long.fromNumber(expected)],
            options,
          );
    if (!res.wasApplied()) {
      const current = res.rows[0]?.version;
      throw new StaleVersion(current === undefined || current === null ? 0 : Number(current));
    }
    const previous = before?.version === expected ? before.body : null;
    await this.client.execute(
      `INSERT INTO ${this.keyspace}.audit (kind, id, at, version, actor, role, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [kind, id, types.TimeUuid.fromDate(now), types.Long.fromNumber(version), actor.name, actor.role, previous === null ? null : JSON.stringify(previous), text],
      { prepare: true, consistency: types.consistencies.localQuorum },
    );
    return { document: { kind, id, version, body, updatedAt: now.toISOString(), updatedBy: actor.name }, before: previous };
  }

  async audit(kind: ConfigKind, id: string, limit: number): Promise<StoredAudit[]> {
    const res = await this.client.execute(`SELECT kind, id, at, version, actor, role, before, after FROM ${this.keyspace}.audit WHERE kind = ? AND id = ? LIMIT ?`, [kind, id, limit], {
      prepare: true,
      consistency: types.consistencies.localQuorum,
    });
    return res.rows.map((r) => ({
      kind: r.kind as ConfigKind,
      id: r.id as string,
      at: (r.at as types.TimeUuid).getDate().toISOString(),
      version: Number(r.version),
      actor: r.actor as string,
      role: r.role as string,
      before: r.before === null ? null : JSON.parse(r.before as string),
      after: r.after === null ? null : JSON.parse(r.after as string),
    }));
  }

  async savePreview(changes: readonly DraftChange[]): Promise<string> {
    const id = randomUUID();
    await this.client.execute(`INSERT INTO ${this.keyspace}.previews (id, changes) VALUES (?, ?)`, [types.Uuid.fromString(id), JSON.stringify(changes)], {
      prepare: true,
      consistency: types.consistencies.localQuorum,
    });
    return id;
  }

  async loadPreview(id: string): Promise<DraftChange[] | undefined> {
    const res = await this.client.execute(`SELECT changes FROM ${this.keyspace}.previews WHERE id = ?`, [types.Uuid.fromString(id)], {
      prepare: true,
      consistency: types.consistencies.localQuorum,
    });
    const row = res.rows[0];
    return row === undefined ? undefined : (JSON.parse(row.changes as string) as DraftChange[]);
  }
}
