import type { BehaviourEvent } from '@search-mesh/contracts';
import { applyEvent, type FeatureKind, type Increment, type KeyState } from '@search-mesh/feature-store';
import { contributions, stateId } from './contributions';

/** A decoded event with where it came from in its partition. */
export interface Positioned {
  offset: number;
  /** Kafka timestamp, epoch ms. */
  producedAt: number;
  event: BehaviourEvent;
}

export interface FeatureKey {
  kind: FeatureKind;
  key: string[];
}

export interface ChunkPlan {
  /** Every feature key the chunk touches, by state id. */
  keys: Map<string, FeatureKey>;
  /** Per event, in offset order: its increments grouped by state id. */
  steps: { offset: number; producedAt: number; increments: Map<string, Increment[]> }[];
}

/** What a chunk of one partition's events adds to which keys (pure; the states are loaded after this). */
export function planChunk(events: readonly Positioned[]): ChunkPlan {
  const keys = new Map<string, FeatureKey>();
  const steps: ChunkPlan['steps'] = [];
  for (const { offset, producedAt, event } of events) {
    const increments = new Map<string, Increment[]>();
    for (const c of contributions(event)) {
      const id = stateId(c.kind, c.key);
      if (!keys.has(id)) keys.set(id, { kind: c.kind, key: c.key });
      const list = increments.get(id);
      if (list) list.push(c.increment);
      else increments.set(id, [c.increment]);
    }
    steps.push({ offset, producedAt, increments });
  }
  return { keys, steps };
}

/**
 * Applies the plan to the states of one source partition. An event already reflected in a key's state
 * (offset not above the state's) changes nothing there, so applying a redelivered chunk, or a chunk that
 * overlaps one written before a crash, counts each event once. Returns the ids of states that changed and
 * how many events with contributions were already counted everywhere (redeliveries).
 */
export function applyPlan(plan: ChunkPlan, states: ReadonlyMap<string, KeyState>): { changed: Set<string>; duplicates: number } {
  const changed = new Set<string>();
  let duplicates = 0;
  for (const step of plan.steps) {
    let applied = false;
    for (const [id, increments] of step.increments) {
      const state = states.get(id);
      if (!state) throw new Error(`state ${JSON.stringify(id)} was not loaded`);
      if (applyEvent(state, step.offset, step.producedAt, increments)) {
        changed.add(id);
        applied = true;
      }
    }
    if (!applied && step.increments.size > 0) duplicates++;
  }
  return { changed, duplicates };
}
