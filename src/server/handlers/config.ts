// config/read, config/value/write and config/batchWrite. A read answers the layers merged (Keel's
// defaults, config.toml, the `-c` flags) with the origin of each value; a write edits config.toml
// only, and says when a `-c` flag hides what it wrote (`okOverridden`, as Codex).
import { mergeLayers, overriddenAt } from '../../config/config-layers.js';
import type { ConfigStore, WriteResult } from '../../config/config-store.js';
import type { ResultOf } from '../../protocol/wire-types.js';
import type { Handler } from '../dispatch.js';

export type ConfigMethod = 'config/read' | 'config/value/write' | 'config/batchWrite';

type ReadResult = ResultOf<'config/read'>;

function readResult(store: ConfigStore, includeLayers: boolean): ReadResult {
  const layers = store.layers();
  const { config, origins } = mergeLayers(layers);
  return {
    config: config as ReadResult['config'],
    origins,
    // Highest precedence first, as Codex lists them.
    layers: includeLayers ? layers.toReversed().map(({ name, version, raw }) => ({ name, version, config: raw, disabledReason: null })) : null,
  };
}

/** The answer to a write of `keyPaths`: overridden when a higher layer hides the first of them it hides. */
function written(store: ConfigStore, result: WriteResult, keyPaths: readonly string[]): ResultOf<'config/value/write'> {
  const layers = store.layers();
  const overridden = keyPaths.map((keyPath) => overriddenAt(layers, keyPath)).find((found) => found !== null) ?? null;
  return { filePath: result.filePath, status: overridden ? 'okOverridden' : 'ok', version: result.version, overriddenMetadata: overridden };
}

/** `cwd` is accepted and ignored (Keel has no project layers); so is `reloadUserConfig` (the
 * config is read afresh wherever it is used). */
export function configHandlers(store: ConfigStore): { [M in ConfigMethod]: Handler<M> } {
  return {
    'config/read': (params) => readResult(store, params.includeLayers === true),
    'config/value/write': ({ keyPath, value, mergeStrategy, filePath, expectedVersion }) =>
      written(store, store.write([{ keyPath, value, mergeStrategy }], { filePath, expectedVersion }), [keyPath]),
    'config/batchWrite': ({ edits, filePath, expectedVersion }) =>
      written(store, store.write(edits, { filePath, expectedVersion }), edits.map((edit) => edit.keyPath)),
  };
}
