/**
 * The model registry: a directory every instance mounts (a ReadWriteMany volume in a cluster), holding
 * `versions/<version>/{model.onnx,manifest.json}` and `state.json` (which versions serve: active, canary,
 * shadow, rollback history). Artifacts are immutable once written; every write goes to a temporary file
 * renamed into place, so a reader sees the old or the new file, never half of one. Instances poll
 * `state.json` and converge on it.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServingState } from '@search-mesh/contracts';
import { type ModelManifest, VERSION_PATTERN } from '../domain/manifest';

export interface StoredModel {
  bytes: Uint8Array;
  manifest: ModelManifest;
}

export class UnknownModel extends Error {
  constructor(readonly version: string) {
    super(`model version "${version}" is not in the registry`);
    this.name = 'UnknownModel';
  }
}

async function writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, file);
}

export class ModelRegistry {
  constructor(readonly dir: string) {}

  private versionDir(version: string): string {
    if (!VERSION_PATTERN.test(version)) throw new UnknownModel(version);
    return join(this.dir, 'versions', version);
  }

  async versions(): Promise<string[]> {
    const names = await readdir(join(this.dir, 'versions')).catch(() => [] as string[]);
    return names.filter((n) => VERSION_PATTERN.test(n)).sort();
  }

  async has(version: string): Promise<boolean> {
    return stat(join(this.versionDir(version), 'manifest.json')).then(
      () => true,
      () => false,
    );
  }

  /** Stores a model (the manifest last: a version exists once its manifest does). Same version twice: same bytes or refused. */
  async put(model: StoredModel): Promise<'created' | 'exists'> {
    const dir = this.versionDir(model.manifest.version);
    if (await this.has(model.manifest.version)) {
      const existing = await this.get(model.manifest.version);
      const same = createHash('sha256').update(existing.bytes).digest('hex') === createHash('sha256').update(model.bytes).digest('hex');
      if (!same) throw new Error(`version ${model.manifest.version} already holds a different model`);
      return 'exists';
    }
    await mkdir(dir, { recursive: true });
    await writeAtomic(join(dir, 'model.onnx'), model.bytes);
    await writeAtomic(join(dir, 'manifest.json'), `${JSON.stringify({ ...model.manifest, model: 'model.onnx' })}\n`);
    return 'created';
  }

  async get(version: string): Promise<StoredModel> {
    const dir = this.versionDir(version);
    let manifest: ModelManifest;
    try {
      manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as ModelManifest;
    } catch {
      throw new UnknownModel(version);
    }
    return { manifest, bytes: new Uint8Array(await readFile(join(dir, manifest.model ?? 'model.onnx'))) };
  }

  async state(): Promise<ServingState | undefined> {
    try {
      return JSON.parse(await readFile(join(this.dir, 'state.json'), 'utf8')) as ServingState;
    } catch {
      return undefined;
    }
  }

  async setState(state: ServingState): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeAtomic(join(this.dir, 'state.json'), `${JSON.stringify(state)}\n`);
  }
}
