import type { BehaviourEvent } from '@search-mesh/contracts';
import { normaliseQuery } from '@search-mesh/catalog';
import { applyEvent, type FeatureKind, type Increment, type KeyState } from '@search-mesh/feature-store';
import { type ContributionVisitor, stateId, visitContributions } from './contributions';

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
  /** Every feature key the chunk touches, by state id; its insertion order numbers the keys (slots). */
  keys: Map<string, FeatureKey>;
  /** Per event, in offset order: the slots of the keys it counts towards, and for each its increments. */
  steps: { offset: number; producedAt: number; slots: number[]; increments: Increment[][] }[];
}

/**
 * What a chunk of one partition's events adds to which keys (pure; the states are loaded after this). Keys
 * are numbered once per chunk, so applying the plan indexes arrays instead of hashing ids per event; a key
 * is found by product id (and query) in nested maps, so its state id string is built once per chunk, not
 * once per contribution, and each distinct query is normalised once per chunk.
 */
export function planChunk(events: readonly Positioned[]): ChunkPlan {
  const keys = new Map<string, FeatureKey>();
  const productSlots = new Map<string, number>();
  const querySlots = new Map<string, Map<string, number>>();
  const normalised = new Map<string, string>();
  const normalise = (query: string) => {
    let n = normalised.get(query);
    if (n === undefined) normalised.set(query, (n = normaliseQuery(query)));
    return n;
  };
  /** The step that last touched each slot, to group an event's increments for a key it names twice. */
  const lastStep: number[] = [];
  const steps: ChunkPlan['steps'] = [];
  let step: ChunkPlan['steps'][number];
  const newSlot = (kind: FeatureKind, key: string[]) => {
    const slot = keys.size;
    keys.set(stateId(kind, key), { kind, key });
    return slot;
  };
  const visit: ContributionVisitor = (kind, productId, query, increment) => {
    let slot: number | undefined;
    if (query === undefined) {
      slot = productSlots.get(productId);
      if (slot === undefined) productSlots.set(productId, (slot = newSlot(kind, [productId])));
    } else {
      let products = querySlots.get(query);
      if (!products) querySlots.set(query, (products = new Map()));
      slot = products.get(productId);
      if (slot === undefined) products.set(productId, (slot = newSlot(kind, [query, productId])));
    }
    if (lastStep[slot] === steps.length) step.increments[step.slots.lastIndexOf(slot)]!.push(increment);
    else {
      lastStep[slot] = steps.length;
      step.slots.push(slot);
      step.increments.push([increment]);
    }
  };
  for (const { offset, producedAt, event } of events) {
    step = { offset, producedAt, slots: [], increments: [] };
    visitContributions(event, visit, normalise);
    steps.push(step);
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
  const ids = [...plan.keys.keys()];
  const slotStates = ids.map((id) => {
    const state = states.get(id);
    if (!state) throw new Error(`state ${JSON.stringify(id)} was not loaded`);
    return state;
  });
  const changed = new Array<boolean>(ids.length).fill(false);
  let duplicates = 0;
  for (const step of plan.steps) {
    let applied = false;
    for (let k = 0; k < step.slots.length; k++) {
      const slot = step.slots[k]!;
      if (applyEvent(slotStates[slot]!, step.offset, step.producedAt, step.increments[k]!)) {
        changed[slot] = true;
        applied = true;
      }
    }
    if (!applied && step.slots.length > 0) duplicates++;
  }
  return { changed: new Set(ids.filter((_, slot) => changed[slot])), duplicates };
}
