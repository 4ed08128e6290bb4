import rateLimit from '@fastify/rate-limit';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type TSchema, Type } from '@sinclair/typebox';
import {
  type AuditEntry,
  type ConfigDocument,
  type ConfigKind,
  DeleteQuerystring,
  ErrorCode,
  PreviewRequest,
  ROOT_CATEGORY,
  SaveFacetConfig,
  SaveMerchRule,
  SaveQueryRule,
  SaveSuggestBlocklist,
  SearchQuerystring,
} from '@search-mesh/contracts';
import type { MeshClient } from '@search-mesh/mesh-client';
import { bearerRoles, HttpError, type ServiceApp } from '@search-mesh/service-kit';
import type { ConfigStore } from '../adapters/store';
import type { ConfigService } from '../config-service';
import type { Operator, Role } from '../config';
import type { AttributeCatalog } from '../domain/attributes';
import type { CategoryTree } from '../domain/categories';
import { planFacets } from '../domain/facets';
import { diff } from '../domain/validate';

export interface AdminOptions {
  tokens: ReadonlyMap<string, Operator>;
  rateLimitMax: number;
  rateLimitWindowMs: number;
}

interface Deps {
  config: ConfigService;
  store: ConfigStore;
  attributes: AttributeCatalog;
  categories: CategoryTree;
  mesh: MeshClient;
}

/** URL segment → stored kind, and the body schema of a save. */
const KINDS: ReadonlyArray<{ segment: string; kind: ConfigKind; save: TSchema }> = [
  { segment: 'facets', kind: 'facets', save: SaveFacetConfig },
  { segment: 'rules', kind: 'rule', save: SaveMerchRule },
  { segment: 'query-rules', kind: 'query_rule', save: SaveQueryRule },
  { segment: 'suggest-blocklist', kind: 'suggest_blocklist', save: SaveSuggestBlocklist },
];

const Id = Type.Object({ id: Type.String({ minLength: 1, maxLength: 300 }) });

/**
 * The merchandisers' API, `/v1/admin/...`: every route needs a bearer token with a role (401 without);
 * viewers read and preview, merchandisers also save, admins also delete (403 otherwise). Rate limited
 * per token (or address).
 */
export async function adminRoutes(app: ServiceApp, deps: Deps, options: AdminOptions): Promise<void> {
  const roles = bearerRoles<Role, Operator>(options.tokens);
  const read = roles.require('viewer', 'merchandiser', 'admin');
  const write = roles.require('merchandiser', 'admin');
  const remove = roles.require('admin');

  await app.register(async (plain) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
    if (options.rateLimitMax > 0) {
      await scope.register(rateLimit, {
        max: options.rateLimitMax,
        timeWindow: options.rateLimitWindowMs,
        keyGenerator: (request) => {
          const auth = request.headers.authorization;
          return typeof auth === 'string' && auth.length <= 300 ? `token:${auth}` : `ip:${request.ip}`;
        },
        errorResponseBuilder: (_request, context) =>
          new HttpError(429, ErrorCode.TooManyRequests, `more than ${context.max} admin requests in ${options.rateLimitWindowMs} ms; retry in ${context.after}`),
      });
    }

    scope.get('/v1/admin/whoami', { onRequest: read }, async (request) => roles.operatorOf(request));

    scope.get('/v1/admin/categories', { onRequest: read, schema: { querystring: Type.Object({ parent: Type.Optional(Type.String({ maxLength: 300 })) }) } }, async (request) => {
      const parent = request.query.parent ?? '';
      const below = deps.categories.below(parent) ?? (deps.attributes.has(parent) ? [] : undefined);
      if (below === undefined) throw HttpError.badRequest(`no category "${parent}" in the catalog`, 'querystring.parent');
      const configured = deps.config.state.facetConfigs();
      return { parent, categories: below.map((c) => ({ ...c, configured: configured.has(c.path) })), rootConfigured: configured.has(ROOT_CATEGORY) };
    });

    // What shows in a category: its own document, and the facets in force there with where each comes from.
    scope.get('/v1/admin/effective-facets', { onRequest: read, schema: { querystring: Type.Object({ category: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })) }) } }, async (request) => {
      const category = request.query.category === ROOT_CATEGORY ? undefined : request.query.category;
      return { category: request.query.category ?? ROOT_CATEGORY, facets: planFacets(deps.config.state.facetConfigs(), category, deps.attributes) };
    });

    for (const { segment, kind, save } of KINDS) {
      scope.get(`/v1/admin/${segment}`, { onRequest: read }, async () => ({ documents: deps.config.state.list(kind) }));

      scope.get(`/v1/admin/${segment}/:id`, { onRequest: read, schema: { params: Id } }, async (request): Promise<ConfigDocument> => {
        const held = deps.config.state.get(kind, request.params.id);
        if (held !== undefined) return held;
        // Never saved: version 0 is what a first save names.
        return { kind, id: request.params.id, version: 0, body: null, updatedAt: new Date(0).toISOString(), updatedBy: '' };
      });

      scope.put(`/v1/admin/${segment}/:id`, { onRequest: write, schema: { params: Id, body: save } }, async (request) => {
        const body = request.body as { version: number; config: ConfigDocument['body'] };
        return deps.config.save(kind, request.params.id, body.version, body.config, roles.operatorOf(request));
      });

      scope.delete(`/v1/admin/${segment}/:id`, { onRequest: remove, schema: { params: Id, querystring: DeleteQuerystring } }, async (request) =>
        deps.config.save(kind, request.params.id, request.query.version, null, roles.operatorOf(request)),
      );

      scope.get(`/v1/admin/${segment}/:id/audit`, { onRequest: read, schema: { params: Id, querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }) } }, async (request) => {
        const entries = await deps.store.audit(kind, request.params.id, request.query.limit ?? 50);
        return { entries: entries.map((e): AuditEntry => ({ ...e, changes: diff(e.before, e.after) })) };
      });
    }

    scope.post('/v1/admin/previews', { onRequest: read, schema: { body: PreviewRequest } }, async (request) => ({ preview: await deps.config.createPreview(request.body.changes) }));

    // The storefront's answer with the live configuration and with a preview's drafts, side by side.
    scope.get('/v1/admin/preview-search', { onRequest: read, schema: { querystring: SearchQuerystring } }, async (request) => {
      const { preview, ...live } = request.query;
      const search = async (params: Record<string, unknown>) => {
        const query = new URLSearchParams();
        for (const [k, v] of Object.entries(params)) for (const item of Array.isArray(v) ? v : [v]) if (item !== undefined) query.append(k, String(item));
        const res = await deps.mesh.peer('orchestrator').call<unknown>({ method: 'GET', path: `/v1/search?${query.toString()}`, context: request });
        return res.body;
      };
      const [before, after] = await Promise.all([search(live), search(preview === undefined ? live : { ...live, preview })]);
      return { before, after };
    });
  });
}
