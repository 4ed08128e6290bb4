import { Type, type Static } from '@sinclair/typebox';

/** The ranking service's model lifecycle endpoints (`/v1/admin/...`, bearer token). */
export const ModelVersionName = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' });

export const RegisterModelRequest = Type.Object(
  {
    /** The manifest training wrote (manifest.json); its version names the model. */
    manifest: Type.Object({ version: ModelVersionName }, { additionalProperties: true }),
    /** model.onnx, base64. */
    model: Type.String({ minLength: 1, contentEncoding: 'base64' }),
  },
  { additionalProperties: false },
);
export type RegisterModelRequest = Static<typeof RegisterModelRequest>;

export const ActivateRequest = Type.Object({ version: ModelVersionName }, { additionalProperties: false });
export type ActivateRequest = Static<typeof ActivateRequest>;

export const CanaryRequest = Type.Object(
  { version: ModelVersionName, /** Share of requests the canary scores, in (0, 1). */ share: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 }) },
  { additionalProperties: false },
);
export type CanaryRequest = Static<typeof CanaryRequest>;

/** Which versions serve: shared by every instance through the registry. */
export const ServingState = Type.Object(
  {
    active: ModelVersionName,
    canary: Type.Optional(Type.Object({ version: ModelVersionName, share: Type.Number() }, { additionalProperties: false })),
    shadow: Type.Optional(ModelVersionName),
    /** Earlier active versions, latest last: what rollback returns to. */
    history: Type.Array(ModelVersionName),
    updatedAt: Type.String(),
  },
  { additionalProperties: false },
);
export type ServingState = Static<typeof ServingState>;

export const ModelsResponse = Type.Object(
  {
    versions: Type.Array(ModelVersionName),
    state: ServingState,
    /** What this instance has loaded (it follows the shared state within the poll interval). */
    loaded: Type.Object({ active: Type.String(), canary: Type.Optional(Type.String()), shadow: Type.Optional(Type.String()), provider: Type.String() }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);
export type ModelsResponse = Static<typeof ModelsResponse>;
