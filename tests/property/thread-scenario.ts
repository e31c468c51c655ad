// Random but reproducible thread histories for the replay-equals-live property: a seeded
// generator drives the real thread handlers and the real ThreadRuntime (as the turn engine will),
// and records every notification a subscribed connection receives.
import { EVENT_VERSION, type KeelEvent } from '../../src/core/events.js';
import type { WireNotification } from '../../src/core/fold.js';
import { startThreads, type ThreadSubsystem } from '../../src/server/handlers/threads/index.js';
import type { RequestContext } from '../../src/server/dispatch.js';
import { Session } from '../../src/server/session.js';
import { threadOptions } from '../helpers/thread-options.js';

export function rng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

export interface Scenario {
  subsystem: ThreadSubsystem;
  received: WireNotification[];
  ctx: RequestContext;
  clock: () => number;
  ids: () => string;
}

export async function openScenario(dbPath: string, seed: number, checkpointEvery?: number): Promise<Scenario> {
  let now = 1_700_000_000_000 + seed * 1000;
  const random = rng(seed * 7919 + 1);
  const clock = () => (now += random.int(1500));
  let counter = 0;
  const ids = () => `id-${seed}-${++counter}`;
  const subsystem = await startThreads(threadOptions(dbPath, { now: clock, newId: ids, checkpointEvery }));
  const received: WireNotification[] = [];
  const session = new Session({
    sendNotification: (method, params, emittedAtMs) => received.push({ method, params: JSON.parse(JSON.stringify(params)), emittedAtMs }),
    sendRequest: () => Promise.reject(new Error('no client requests in this test')),
  });
  session.open({ clientInfo: { name: 'property', version: '1' } });
  const pending: Array<() => void> = [];
  const ctx: RequestContext = { session, signal: new AbortController().signal, afterResponse: (task) => pending.push(task) };
  // Handlers publish after their response; here the "response" is the handler's return.
  const originalHandlers = subsystem.handlers;
  subsystem.handlers = Object.fromEntries(
    Object.entries(originalHandlers).map(([name, handler]) => [
      name,
      async (params: never, c: RequestContext) => {
        const result = await (handler as (p: never, c: RequestContext) => unknown)(params, c);
        pending.splice(0).forEach((task) => task());
        return result;
      },
    ]),
  ) as typeof originalHandlers;
  return { subsystem, received, ctx, clock, ids };
}

type Payload<T extends KeelEvent['type']> = Omit<Extract<KeelEvent, { type: T }>, 'v' | 'type' | 'threadId' | 'at'>;

export function eventAt<T extends KeelEvent['type']>(scenario: Scenario, type: T, threadId: string, payload: Payload<T>): KeelEvent {
  return { v: EVENT_VERSION, type, threadId, at: scenario.clock(), ...payload } as unknown as KeelEvent;
}
