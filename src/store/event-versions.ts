// Events are stored with the version of their shape (`v`). A Keel reads the events older versions
// wrote by upgrading them one version at a time, and refuses events from a newer Keel rather than
// misreading them.
import { EVENT_VERSION, type KeelEvent } from '../core/events.js';
import { DomainErrors } from '../kernel/errors.js';

type StoredEvent = Record<string, unknown> & { v?: unknown };

/** Upgrades from version n to n + 1, keyed by n. Add one whenever EVENT_VERSION is bumped. */
export type EventUpgrades = Readonly<Record<number, (event: StoredEvent) => StoredEvent>>;

export const EVENT_UPGRADES: EventUpgrades = {
  // v2: a stored delta may join a run of deltas (`parts`) and covers one seq per part. A v1 log
  // reads unchanged; a Keel that knows only v1 refuses a v2 log instead of misreading its seqs.
  1: (event) => event,
  // v3: file writes are recorded before they begin (`item/writeIntent`, `thread/reverted.restore`,
  // `thread/filesRestored`), and a fileChange's undo comes from its intent. A v2 log reads
  // unchanged; a Keel that knows only v2 refuses a v3 log instead of losing the undo and the
  // recovery of an interrupted write.
  2: (event) => event,
  // v4: `turn/tokenUsage` carries one call's usage (`last`, `modelContextWindow`, stored-only
  // `route`) and the reducer sums the totals. A v3 event kept the engine's running total: it stays
  // the thread's total (`total`), and its calls have no route, so their cost is unknown.
  3: (event) => {
    if (event.type !== 'turn/tokenUsage') return event;
    const { usage, ...rest } = event as StoredEvent & { usage: { total: unknown; last: unknown; modelContextWindow: unknown } };
    return { ...rest, last: usage.last, modelContextWindow: usage.modelContextWindow, total: usage.total };
  },
  // v5 (issue 25): a thread's Git metadata and goal are events (`thread/gitInfoUpdated`,
  // `thread/goalUpdated`, `thread/goalCleared`), and so are messages injected into the model's
  // history (`thread/itemsInjected`); the settings carry `serviceTier`. A v4 log reads unchanged; a
  // Keel that knows only v4 refuses a v5 log instead of dropping a thread at an event type it does
  // not know, or the injected messages from the history its model sees.
  4: (event) => event,
};

/** The event as this Keel reads it; `where` names it in errors (thread and seq). */
export function readStoredEvent(raw: StoredEvent, where: string, upgrades: EventUpgrades = EVENT_UPGRADES, current: number = EVENT_VERSION): KeelEvent {
  let event = raw;
  let version = event.v;
  if (version === current) return event as unknown as KeelEvent;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw DomainErrors.corrupt(`${where}: event has no valid version (v = ${JSON.stringify(version)})`);
  }
  if (version > current) {
    throw DomainErrors.corrupt(`${where}: event version ${version} was written by a newer Keel (this one reads up to ${current}); upgrade Keel`);
  }
  while (version < current) {
    const upgrade = upgrades[version];
    if (upgrade === undefined) throw DomainErrors.corrupt(`${where}: no upgrade from event version ${version}`);
    event = { ...upgrade(event), v: version + 1 };
    version += 1;
  }
  return event as unknown as KeelEvent;
}
