/**
 * A model's manifest (`manifest.json` beside `model.onnx`, written by training/train.py): the feature names,
 * order and defaults the model was trained with, its input and output names, the artifact's sha256, the
 * range training scores fell in, the training distributions (PSI reference) and golden inputs with the
 * Python reference scores.
 */
import { FEATURES } from './features';

export interface Distribution {
  edges: number[];
  proportions: number[];
}

export interface ModelManifest {
  name: string;
  version: string;
  model: string;
  sha256: string;
  input: string;
  output: string;
  features: Array<{ name: string; default: number }>;
  scoreRange: [number, number];
  distribution: { features: Record<string, Distribution>; score: Distribution };
  golden: { inputs: number[][]; lightgbm: number[]; onnxruntime: number[] };
  training?: Record<string, unknown>;
}

export const VERSION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Why a manifest does not fit the features this code computes; undefined when it fits. */
export function manifestProblem(m: Partial<ModelManifest>): string | undefined {
  if (typeof m.version !== 'string' || !VERSION_PATTERN.test(m.version)) return `version must match ${VERSION_PATTERN}`;
  if (typeof m.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(m.sha256)) return 'sha256 must be 64 hex digits';
  if (typeof m.input !== 'string' || typeof m.output !== 'string') return 'input and output names are required';
  if (!Array.isArray(m.features)) return 'features must list the model inputs';
  if (m.features.length !== FEATURES.length) return `the model takes ${m.features.length} features, serving computes ${FEATURES.length}`;
  const at = FEATURES.findIndex((f, i) => m.features![i]?.name !== f.name || m.features![i]?.default !== f.default);
  if (at >= 0) return `feature ${at} is ${JSON.stringify(m.features[at])}, serving computes ${JSON.stringify(FEATURES[at])}`;
  if (!Array.isArray(m.scoreRange) || m.scoreRange.length !== 2 || !(m.scoreRange[0] < m.scoreRange[1])) return 'scoreRange must be [low, high]';
  const g = m.golden;
  if (!g || !Array.isArray(g.inputs) || g.inputs.length === 0 || !Array.isArray(g.onnxruntime) || g.onnxruntime.length !== g.inputs.length) return 'golden inputs and their reference scores are required';
  if (!m.distribution?.score || typeof m.distribution.features !== 'object') return 'training distributions are required';
  return undefined;
}
