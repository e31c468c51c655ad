// The file-system watches clients hold, keyed by owner (an opaque key: a connection, for the Codex
// server) and the owner's watch id. A watch id already in use by the owner is refused; unwatching
// an unknown id is fine. Changes reach the owner's callback only once `ready` resolves (the
// protocol's answer to the watch is out) and never after its unwatch. closeAll ends every watch.
import { DomainError } from '../../kernel/errors.js';
import { watchPath, type PathWatch } from '../../tools/files/index.js';

/** Whoever holds a watch: only it sees and ends the watch by its id. Compared by identity. */
export type WatchOwner = object;

/** A watch being set up holds its id with `null`. */
type Watches = Map<string, PathWatch | null>;

export interface WatchDelivery {
  /** Changes are held until this resolves. */
  ready: Promise<void>;
  onChange(changedPaths: string[]): void;
}

export class FsWatches {
  private readonly byOwner = new Map<WatchOwner, Watches>();
  private closed = false;

  private of(owner: WatchOwner): Watches {
    let watches = this.byOwner.get(owner);
    if (watches === undefined) {
      watches = new Map();
      this.byOwner.set(owner, watches);
    }
    return watches;
  }

  /** Starts watching `target` (an absolute path) for the owner. */
  async watch(owner: WatchOwner, watchId: string, target: string, { ready, onChange }: WatchDelivery): Promise<void> {
    const watches = this.of(owner);
    if (this.closed) throw new DomainError('unavailable', 'Keel is shutting down');
    if (watches.has(watchId)) throw new DomainError('conflict', `watchId already exists: ${watchId}`);
    watches.set(watchId, null);
    const send = (changedPaths: string[]) => {
      void ready.then(() => {
        if (watches.get(watchId) === watch) onChange(changedPaths);
      });
    };
    let watch: PathWatch;
    try {
      watch = await watchPath(target, send);
    } catch (error) {
      watches.delete(watchId);
      throw error;
    }
    // Unwatched or closed while the watch was being set up.
    if (this.closed || watches.get(watchId) !== null) return watch.close();
    watches.set(watchId, watch);
  }

  unwatch(owner: WatchOwner, watchId: string): void {
    const watches = this.byOwner.get(owner);
    const watch = watches?.get(watchId);
    watches?.delete(watchId);
    watch?.close();
  }

  closeAll(): void {
    this.closed = true;
    for (const watches of this.byOwner.values()) {
      for (const watch of watches.values()) watch?.close();
      watches.clear();
    }
    this.byOwner.clear();
  }
}
