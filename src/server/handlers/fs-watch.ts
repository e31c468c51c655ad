// The watches behind fs/watch and fs/unwatch, keyed by connection and the client's watch id, each
// sending `fs/changed` to the connection that asked (never before the fs/watch answer). A watch id
// already in use on the connection is refused; unwatching an unknown id is fine (as Codex). After
// the fs/unwatch answer nothing more comes for that watch. closeAll ends every watch (Keel closing).
import { DomainError } from '../../kernel/errors.js';
import type { ParamsOf } from '../../protocol/wire-types.js';
import { watchPath, type PathWatch } from '../../tools/files/index.js';
import type { Session } from '../session.js';

/** A watch being set up holds its id with `null`. */
type Watches = Map<string, PathWatch | null>;

export class FsWatches {
  private readonly bySession = new Map<Session, Watches>();
  private closed = false;

  private of(session: Session): Watches {
    let watches = this.bySession.get(session);
    if (watches === undefined) {
      watches = new Map();
      this.bySession.set(session, watches);
    }
    return watches;
  }

  /** Starts watching `target` for `session`; changes reach it through `send` once `answered` resolves. */
  async watch(session: Session, watchId: string, target: string, answered: Promise<void>): Promise<void> {
    const watches = this.of(session);
    if (this.closed) throw new DomainError('unavailable', 'Keel is shutting down');
    if (watches.has(watchId)) throw new DomainError('conflict', `watchId already exists: ${watchId}`);
    watches.set(watchId, null);
    const send = (changedPaths: string[]) => {
      const params: ParamsOf<'fs/changed'> = { watchId, changedPaths };
      void answered.then(() => {
        if (watches.get(watchId) === watch) session.notify('fs/changed', params);
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

  unwatch(session: Session, watchId: string): void {
    const watches = this.bySession.get(session);
    const watch = watches?.get(watchId);
    watches?.delete(watchId);
    watch?.close();
  }

  closeAll(): void {
    this.closed = true;
    for (const watches of this.bySession.values()) {
      for (const watch of watches.values()) watch?.close();
      watches.clear();
    }
    this.bySession.clear();
  }
}
