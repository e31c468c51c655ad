// fs/*: the host file system at absolute paths, with Codex's defaults (create parents, remove
// recursively and forgive a missing path, copy a directory only when asked). The work is the files
// library's (src/tools/files/host-fs.ts); here params become calls and results become Codex's
// shapes. A connection's fs/* requests run one at a time, in the order they arrived, so that a
// client that sends a write and then a read without waiting reads what it wrote. Keel acts with its
// own permissions: no sandbox policy applies yet. fs/watch and fs/unwatch go to the engine's
// FsWatches (the watch table, keyed by connection), whose changes are sent here as `fs/changed`.
import path from 'node:path';
import type { FsWatches } from '../../engine/services/fs-watches.js';
import type { ParamsOf } from '../../protocol/wire-types.js';
import { hostFs } from '../../tools/files/index.js';
import type { Handler, RequestContext } from '../dispatch.js';
import type { Session } from '../session.js';

export interface FsServices {
  watches: FsWatches;
}

type FsMethod =
  | 'fs/readFile'
  | 'fs/writeFile'
  | 'fs/createDirectory'
  | 'fs/getMetadata'
  | 'fs/readDirectory'
  | 'fs/remove'
  | 'fs/copy'
  | 'fs/watch'
  | 'fs/unwatch';

/** Codex's AbsolutePathBuf is normalised: `.` and `..` resolved, a trailing `/` dropped. */
const normal = (file: string) => path.resolve(file);

/** Each connection's fs requests, one after another in arrival order. */
class ArrivalOrder {
  private readonly tails = new WeakMap<Session, Promise<unknown>>();

  run<T>(session: Session, task: () => Promise<T>): Promise<T> {
    const result = (this.tails.get(session) ?? Promise.resolve()).then(task);
    this.tails.set(
      session,
      result.then(
        () => undefined,
        () => undefined,
      ),
    );
    return result;
  }
}

export function fsHandlers({ watches }: FsServices): { [M in FsMethod]: Handler<M> } {
  const order = new ArrivalOrder();
  const inOrder =
    <M extends FsMethod>(handler: Handler<M>): Handler<M> =>
    (params, ctx: RequestContext) =>
      order.run(ctx.session, async () => handler(params, ctx));

  return {
    'fs/readFile': inOrder<'fs/readFile'>(async (params, { signal }) => ({
      dataBase64: (await hostFs.readWholeFile(normal(params.path), signal)).toString('base64'),
    })),
    'fs/writeFile': inOrder<'fs/writeFile'>(async (params) => {
      await hostFs.writeWholeFile(normal(params.path), Buffer.from(params.dataBase64, 'base64'));
      return {};
    }),
    'fs/createDirectory': inOrder<'fs/createDirectory'>(async (params) => {
      await hostFs.createDirectory(normal(params.path), params.recursive ?? true);
      return {};
    }),
    'fs/getMetadata': inOrder<'fs/getMetadata'>((params) => hostFs.getMetadata(normal(params.path))),
    'fs/readDirectory': inOrder<'fs/readDirectory'>(async (params, { signal }) => ({ entries: await hostFs.readDirectoryEntries(normal(params.path), signal) })),
    'fs/remove': inOrder<'fs/remove'>(async (params) => {
      await hostFs.removePath(normal(params.path), { recursive: params.recursive ?? true, force: params.force ?? true });
      return {};
    }),
    'fs/copy': inOrder<'fs/copy'>(async (params, { signal }) => {
      await hostFs.copyPath(normal(params.sourcePath), normal(params.destinationPath), { recursive: params.recursive ?? false, signal });
      return {};
    }),
    'fs/watch': inOrder<'fs/watch'>(async (params, { session, afterResponse }) => {
      const target = normal(params.path);
      const { watchId } = params;
      // Never before the fs/watch answer.
      const ready = new Promise<void>((resolve) => afterResponse(resolve));
      const onChange = (changedPaths: string[]) => session.notify('fs/changed', { watchId, changedPaths } satisfies ParamsOf<'fs/changed'>);
      await watches.watch(session, watchId, target, { ready, onChange });
      return { path: target };
    }),
    'fs/unwatch': inOrder<'fs/unwatch'>(async (params, { session }) => {
      watches.unwatch(session, params.watchId);
      return {};
    }),
  };
}
