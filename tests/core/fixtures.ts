// Event builders for reducer tests: each fills the version and a deterministic clock.
import { stampEvent, type KeelEvent, type ThreadSettings } from '../../src/core/events.js';
import { map } from '../../src/core/plist.js';
import type { ThreadState } from '../../src/core/state.js';

export const settings: ThreadSettings = {
  cwd: '/work',
  model: 'gpt-test',
  modelProvider: 'openai',
  approvalPolicy: 'on-request',
  sandbox: { type: 'readOnly', networkAccess: false },
  reasoningEffort: null,
  baseInstructions: null,
  developerInstructions: null,
  config: null,
};

type Payload<T extends KeelEvent['type']> = Omit<Extract<KeelEvent, { type: T }>, 'v' | 'type' | 'threadId' | 'at'>;

export function ev<T extends KeelEvent['type']>(type: T, at: number, payload: Payload<T>, threadId = 't1'): KeelEvent {
  return stampEvent(threadId, at, { type, ...payload } as never) as KeelEvent;
}

export const created = (at = 1000, threadId = 't1') =>
  ev('thread/created', at, { settings, origin: { ephemeral: false, cliVersion: '0.1.0', forkedFromId: null } }, threadId);

export const userMessage = (id: string, text: string) => ({
  type: 'userMessage' as const,
  id,
  content: [{ type: 'text' as const, text, text_elements: [] }],
});

export const agentMessage = (id: string, text: string) => ({ type: 'agentMessage' as const, id, text, phase: null, memoryCitation: null });

/** State with persistent lists turned into arrays, for whole-object comparison. */
export function plain(state: ThreadState | undefined) {
  if (state === undefined) return undefined;
  return { ...state, turns: map(state.turns, (turn) => ({ ...turn, items: map(turn.items, (entry) => entry) })) };
}
