/**
 * Which models serve, and changing that without dropping a request: the active model, an optional canary
 * taking a share of requests, an optional shadow scoring every request on the side (its scores are only
 * compared and logged), and the history rollback returns to. A change loads and validates every model it
 * needs first (the gate), then swaps the references in one step: a request holds the model it started
 * with, so requests in flight finish on the old session, which is released once they have.
 */
import type { ServingState } from '@search-mesh/contracts';
import type { ModelManifest } from './manifest';

export interface ServingModel {
  readonly version: string;
  readonly manifest: ModelManifest;
  readonly provider: string;
  score(matrix: Float32Array, rows: number): Promise<Float32Array>;
  retire(): Promise<void>;
}

export interface StateStore {
  state(): Promise<ServingState | undefined>;
  setState(state: ServingState): Promise<void>;
  has(version: string): Promise<boolean>;
}

export type Role = 'active' | 'canary' | 'shadow';

export class UnknownVersion extends Error {
  constructor(
    readonly version: string,
    reason = 'is not in the registry',
  ) {
    super(`model version "${version}" ${reason}`);
    this.name = 'UnknownVersion';
  }
}

const versionsOf = (s: ServingState) => [s.active, s.canary?.version, s.shadow].filter((v): v is string => v !== undefined);

export class ModelLifecycle {
  private models = new Map<string, ServingModel>();
  private current: ServingState | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly load: (version: string) => Promise<ServingModel>,
    private readonly store: StateStore,
    private readonly onChange: (state: ServingState, models: ReadonlyMap<string, ServingModel>) => void = () => undefined,
  ) {}

  /** One change at a time, in order. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  get state(): ServingState {
    if (this.current === undefined) throw new Error('no model is serving yet');
    return this.current;
  }

  get active(): ServingModel {
    return this.models.get(this.state.active)!;
  }

  get shadow(): ServingModel | undefined {
    return this.current?.shadow !== undefined ? this.models.get(this.current.shadow) : undefined;
  }

  /** The model a request is scored with: the canary for a `draw` (uniform in [0, 1)) below its share. */
  pick(draw: number): { model: ServingModel; role: Role } {
    const canary = this.current?.canary;
    if (canary !== undefined && draw < canary.share) return { model: this.models.get(canary.version)!, role: 'canary' };
    return { model: this.active, role: 'active' };
  }

  /** A loaded model by version (a request may ask for any version that serves). */
  loaded(version: string): ServingModel | undefined {
    return this.models.get(version);
  }

  /** Loads what `next` needs (the gate runs in `load`), swaps, then retires what no longer serves. */
  private async apply(next: ServingState): Promise<void> {
    const fresh = new Map<string, ServingModel>();
    try {
      for (const version of versionsOf(next)) {
        if (!this.models.has(version) && !fresh.has(version)) fresh.set(version, await this.load(version));
      }
    } catch (err) {
      await Promise.all([...fresh.values()].map((m) => m.retire()));
      throw err;
    }
    const previous = this.models;
    const models = new Map<string, ServingModel>();
    for (const version of versionsOf(next)) models.set(version, previous.get(version) ?? fresh.get(version)!);
    // The swap: one assignment each, no await in between.
    this.models = models;
    this.current = next;
    this.onChange(next, models);
    for (const [version, model] of previous) if (!models.has(version)) void model.retire();
  }

  private async change(make: (s: ServingState) => ServingState): Promise<ServingState> {
    return this.serial(async () => {
      const next = { ...make(this.state), updatedAt: new Date().toISOString() };
      for (const version of versionsOf(next)) if (!(await this.store.has(version))) throw new UnknownVersion(version);
      await this.apply(next);
      await this.store.setState(next);
      return next;
    });
  }

  /** Starts from the shared state, or from `initial` (which it then publishes) when there is none. */
  async start(initial: string): Promise<void> {
    await this.serial(async () => {
      const shared = await this.store.state();
      if (shared !== undefined) {
        try {
          await this.apply(shared);
          return;
        } catch (err) {
          if (shared.active === initial) throw err;
          // The shared active model does not load here: serve the built-in one until the state changes.
        }
      }
      const state: ServingState = { active: initial, history: [], updatedAt: new Date().toISOString() };
      await this.apply(state);
      if (shared === undefined) await this.store.setState(state);
    });
  }

  /** Follows a change another instance made to the shared state (polled). */
  async sync(): Promise<boolean> {
    return this.serial(async () => {
      const shared = await this.store.state();
      if (shared === undefined || JSON.stringify(shared) === JSON.stringify(this.current)) return false;
      await this.apply(shared);
      return true;
    });
  }

  activate(version: string): Promise<ServingState> {
    return this.change((s) => {
      if (s.active === version) return s;
      const { canary, ...rest } = s;
      // Promoting the canary ends the canary.
      return { ...rest, ...(canary && canary.version !== version ? { canary } : {}), active: version, history: [...s.history, s.active].slice(-20) };
    });
  }

  rollback(): Promise<ServingState> {
    return this.change((s) => {
      const previous = s.history[s.history.length - 1];
      if (previous === undefined) throw new UnknownVersion(s.active, 'has no earlier version to roll back to');
      const { canary: _canary, ...rest } = s;
      return { ...rest, active: previous, history: s.history.slice(0, -1) };
    });
  }

  setCanary(version: string, share: number): Promise<ServingState> {
    return this.change((s) => ({ ...s, canary: { version, share } }));
  }

  clearCanary(): Promise<ServingState> {
    return this.change(({ canary: _c, ...s }) => s);
  }

  setShadow(version: string): Promise<ServingState> {
    return this.change((s) => ({ ...s, shadow: version }));
  }

  clearShadow(): Promise<ServingState> {
    return this.change(({ shadow: _s, ...s }) => s);
  }

  /** Releases every model once its requests have finished (shutdown). */
  async close(): Promise<void> {
    await this.serial(async () => {
      const models = [...this.models.values()];
      this.models = new Map();
      await Promise.all(models.map((m) => m.retire()));
    });
  }
}
