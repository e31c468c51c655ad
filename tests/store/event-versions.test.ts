// Stored events carry their shape's version: the current one is read as is, an older one is
// upgraded step by step, a newer or missing one is refused as damage (never misread).
import { describe, expect, it } from 'vitest';
import { EVENT_VERSION } from '../../src/core/events.js';
import { readStoredEvent, type EventUpgrades } from '../../src/store/event-versions.js';

const where = 'thread t1 seq 4';
const renamed = { type: 'thread/renamed', threadId: 't1', at: 5, name: 'N' };

describe('stored event versions', () => {
  it('reads an event of the current version as it is', () => {
    const event = { ...renamed, v: EVENT_VERSION };
    expect(readStoredEvent(event, where)).toBe(event);
  });

  it('upgrades an older event one version at a time', () => {
    // A made-up history: v1 called the field `title`, v2 `label`, v3 (current here) `name`.
    const upgrades: EventUpgrades = {
      1: ({ title, ...rest }) => ({ ...rest, label: title }),
      2: ({ label, ...rest }) => ({ ...rest, name: label }),
    };
    const v1 = { v: 1, type: 'thread/renamed', threadId: 't1', at: 5, title: 'N' };
    expect(readStoredEvent(v1, where, upgrades, 3)).toEqual({ ...renamed, v: 3 });
  });

  it('refuses an event from a newer Keel, one it cannot upgrade, and one without a version', () => {
    expect(() => readStoredEvent({ ...renamed, v: EVENT_VERSION + 1 }, where)).toThrow(
      expect.objectContaining({ kind: 'corrupt', message: `${where}: event version ${EVENT_VERSION + 1} was written by a newer Keel (this one reads up to ${EVENT_VERSION}); upgrade Keel` }),
    );
    expect(() => readStoredEvent({ ...renamed, v: 1 }, where, {}, 2)).toThrow(expect.objectContaining({ kind: 'corrupt', message: `${where}: no upgrade from event version 1` }));
    expect(() => readStoredEvent({ ...renamed }, where)).toThrow(expect.objectContaining({ kind: 'corrupt', message: `${where}: event has no valid version (v = undefined)` }));
  });

  it('v3 → v4: a stored turn/tokenUsage keeps its running total, its call\'s usage becomes `last`, with no route (its cost is unknown)', () => {
    const breakdown = (n: number) => ({ totalTokens: n, inputTokens: n, cachedInputTokens: 0, cacheWriteInputTokens: 0, outputTokens: 0, reasoningOutputTokens: 0 });
    const v3 = { v: 3, type: 'turn/tokenUsage', threadId: 't1', at: 5, turnId: 'u1', usage: { total: breakdown(30), last: breakdown(10), modelContextWindow: 1000 } };
    expect(readStoredEvent(v3, where, undefined, 4)).toEqual({ v: 4, type: 'turn/tokenUsage', threadId: 't1', at: 5, turnId: 'u1', last: breakdown(10), modelContextWindow: 1000, total: breakdown(30) });
    expect(readStoredEvent({ ...renamed, v: 3 }, where, undefined, 4)).toEqual({ ...renamed, v: 4 });
  });
});
