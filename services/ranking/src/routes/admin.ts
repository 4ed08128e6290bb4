import { ActivateRequest, CanaryRequest, ErrorCode, ModelsResponse, RegisterModelRequest, ServingState, ModelVersionName } from '@search-mesh/contracts';
import { Type } from '@sinclair/typebox';
import { bearerTokenGuard, HttpError, type ServiceApp } from '@search-mesh/service-kit';
import { ModelRejected } from '../adapters/onnx-model';
import type { ModelRegistry } from '../adapters/registry';
import type { RankingMetrics } from '../adapters/metrics';
import { type ModelLifecycle, UnknownVersion } from '../domain/lifecycle';
import type { ModelManifest } from '../domain/manifest';

export interface AdminDeps {
  lifecycle: ModelLifecycle;
  registry: ModelRegistry;
  metrics: RankingMetrics;
  /** Runs the validation gate on a model without serving it. */
  validate: (bytes: Uint8Array, manifest: ModelManifest) => Promise<void>;
  provider: () => string;
  adminToken: string;
  /** Largest registration body (a base64 model). */
  bodyLimitBytes: number;
}

/**
 * The model lifecycle: register (validated by the gate, stored in the shared registry), activate (gate,
 * then hot swap), canary, shadow, rollback. Every change is validated on this instance before it is
 * written to the shared state the other instances follow.
 */
export function adminRoutes(app: ServiceApp, deps: AdminDeps): void {
  const guard = bearerTokenGuard(deps.adminToken, 'SEARCH_MESH_RANKING_ADMIN_TOKEN');
  const action = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    try {
      const result = await work();
      deps.metrics.lifecycle.inc({ action: name, outcome: 'ok' });
      return result;
    } catch (err) {
      deps.metrics.lifecycle.inc({ action: name, outcome: 'refused' });
      if (err instanceof ModelRejected) throw new HttpError(422, ErrorCode.BadRequest, err.message, 'body');
      if (err instanceof UnknownVersion) throw new HttpError(404, ErrorCode.NotFound, err.message, 'body.version');
      throw err;
    }
  };
  const models = async (): Promise<ModelsResponse> => {
    const { lifecycle } = deps;
    return {
      versions: await deps.registry.versions(),
      state: lifecycle.state,
      loaded: {
        active: lifecycle.active.version,
        ...(lifecycle.state.canary ? { canary: lifecycle.state.canary.version } : {}),
        ...(lifecycle.shadow ? { shadow: lifecycle.shadow.version } : {}),
        provider: deps.provider(),
      },
    };
  };
  const stateReply = { response: { 200: ServingState } };

  app.get('/v1/admin/models', { onRequest: guard, schema: { response: { 200: ModelsResponse } } }, models);
  app.put(
    '/v1/admin/models/:version',
    { onRequest: guard, bodyLimit: deps.bodyLimitBytes, schema: { params: Type.Object({ version: ModelVersionName }), body: RegisterModelRequest } },
    async (request, reply) =>
      action('register', async () => {
        const manifest = request.body.manifest as unknown as ModelManifest;
        if (manifest.version !== request.params.version) throw HttpError.badRequest(`the manifest's version ${manifest.version} is not ${request.params.version}`, 'body.manifest.version');
        const bytes = new Uint8Array(Buffer.from(request.body.model, 'base64'));
        await deps.validate(bytes, manifest);
        const outcome = await deps.registry.put({ bytes, manifest });
        reply.code(outcome === 'created' ? 201 : 200);
        return { version: manifest.version, outcome };
      }),
  );
  app.post('/v1/admin/active', { onRequest: guard, schema: { body: ActivateRequest, ...stateReply } }, async (request) => action('activate', () => deps.lifecycle.activate(request.body.version)));
  app.post('/v1/admin/rollback', { onRequest: guard, schema: stateReply }, async () => action('rollback', () => deps.lifecycle.rollback()));
  app.put('/v1/admin/canary', { onRequest: guard, schema: { body: CanaryRequest, ...stateReply } }, async (request) => action('canary', () => deps.lifecycle.setCanary(request.body.version, request.body.share)));
  app.delete('/v1/admin/canary', { onRequest: guard, schema: stateReply }, async () => action('canary_off', () => deps.lifecycle.clearCanary()));
  app.put('/v1/admin/shadow', { onRequest: guard, schema: { body: ActivateRequest, ...stateReply } }, async (request) => action('shadow', () => deps.lifecycle.setShadow(request.body.version)));
  app.delete('/v1/admin/shadow', { onRequest: guard, schema: stateReply }, async () => action('shadow_off', () => deps.lifecycle.clearShadow()));
}
