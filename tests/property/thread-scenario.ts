// Random but reproducible thread histories for the replay-equals-live property: a seeded
// generator drives the engine's real thread commands and the real ThreadRuntime (as the turn
// engine does), and records every notification a subscribed connection receives.
import { stampEvent, type EventBody, type KeelEvent } from '../../src/core/events.js';
import type { WireNotification } from '../../src/core/codec.js';
import type { Keel } from '../../src/server/open-keel.js';
import { openTestKeel, RecordingSubscriber } from '../helpers/engine.js';
import { rng } from '../helpers/rng.js';

export interface Scenario {
  keel: Keel;
  home: string;
  dbPath: string;
  /** The connection: every notification it heard, in order. */
  client: RecordingSubscriber;
  received: WireNotification[];
  clock: () => number;
  ids: () => string;
  cleanup(): void;
}

export async function openScenario(seed: number, checkpointEvery?: number): Promise<Scenario> {
  let now = 1_700_000_000_000 + seed * 1000;
  const random = rng(seed * 7919 + 1);
  const clock = () => (now += random.int(1500));
  let counter = 0;
  const ids = () => `id-${seed}-${++counter}`;
  const { keel, home, dbPath, cleanup } = await openTestKeel({ now: clock, newId: ids, checkpointEvery });
  const client = new RecordingSubscriber();
  return { keel, home, dbPath, client, received: client.received, clock, ids, cleanup };
}

export function eventAt<B extends EventBody>(scenario: Scenario, threadId: string, body: B): KeelEvent {
  return stampEvent(threadId, scenario.clock(), body) as KeelEvent;
}
