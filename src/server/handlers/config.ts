// config/read, config/value/write and config/batchWrite over the user's config.toml. Keel has one
// layer, so every origin is that file and a write is never overridden by another layer.
import type { ConfigSnapshot, ConfigStore } from '../../config/config-store.js';
import { leafPaths } from '../../config/config-document.js';
import type { ResultOf } from '../../protocol/wire-types.js';
import type { Handler } from '../dispatch.js';

export type ConfigMethod = 'config/read' | 'config/value/write' | 'config/batchWrite';

type ReadResult = ResultOf<'config/read'>;

function userLayer(snapshot: ConfigSnapshot) {
  return { name: { type: 'user' as const, file: snapshot.filePath }, version: snapshot.version };
}

function readResult(snapshot: ConfigSnapshot, includeLayers: boolean): ReadResult {
  const metadata = userLayer(snapshot);
  return {
    config: snapshot.effective as ReadResult['config'],
    origins: Object.fromEntries(leafPaths(snapshot.effective).map((key) => [key, metadata])),
    layers: includeLayers ? [{ ...metadata, config: snapshot.layer, disabledReason: null }] : null,
  };
}

function written(result: { filePath: string; version: string }): ResultOf<'config/value/write'> {
  return { filePath: result.filePath, status: 'ok', version: result.version, overriddenMetadata: null };
}

/** `cwd` is accepted and ignored (Keel has no project layers); so is `reloadUserConfig` (the
 * config is read afresh wherever it is used). */
export function configHandlers(store: ConfigStore): { [M in ConfigMethod]: Handler<M> } {
  return {
    'config/read': (params) => readResult(store.snapshot(), params.includeLayers === true),
    'config/value/write': ({ keyPath, value, mergeStrategy, filePath, expectedVersion }) =>
      written(store.write([{ keyPath, value, mergeStrategy }], { filePath, expectedVersion })),
    'config/batchWrite': ({ edits, filePath, expectedVersion }) => written(store.write(edits, { filePath, expectedVersion })),
  };
}
