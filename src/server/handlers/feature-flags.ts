// experimentalFeature/list and experimentalFeature/enablement/set over config.toml's `[features]`
// table, as Codex keeps its flags: a set is a config write (atomic, kept across restarts), a list
// reads the merged layers, so a `--enable`/`--disable` flag of this process shows as it applies.
import { mergeLayers } from '../../config/config-layers.js';
import type { ConfigStore } from '../../config/config-store.js';
import { DomainErrors } from '../../kernel/errors.js';
import type { Handler } from '../dispatch.js';
import { refuseCursor } from './extensions.js';

/** A flag's name is a bare TOML key, as Codex's canonical names are (`unified_exec`). */
const FLAG_NAME = /^[a-z][a-z0-9_]*$/;

export function featureFlagHandlers(config: Pick<ConfigStore, 'layers' | 'write'>): {
  'experimentalFeature/list': Handler<'experimentalFeature/list'>;
  'experimentalFeature/enablement/set': Handler<'experimentalFeature/enablement/set'>;
} {
  return {
    'experimentalFeature/list': (params) => {
      refuseCursor(params.cursor);
      const features = mergeLayers(config.layers()).config.features;
      const flags = typeof features === 'object' && features !== null && !Array.isArray(features) ? Object.entries(features) : [];
      const data = flags
        .filter((entry): entry is [string, boolean] => typeof entry[1] === 'boolean')
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, enabled]) => ({ name, stage: 'underDevelopment' as const, displayName: null, description: null, announcement: null, enabled, defaultEnabled: false as const }));
      return { data, nextCursor: null };
    },
    'experimentalFeature/enablement/set': ({ enablement }) => {
      const bad = Object.keys(enablement).filter((name) => !FLAG_NAME.test(name));
      if (bad.length > 0) throw DomainErrors.invalid(`not a feature name: ${bad.join(', ')} (lower-case letters, digits and _)`, 'enablement');
      config.write(Object.entries(enablement).map(([name, enabled]) => ({ keyPath: `features.${name}`, value: enabled, mergeStrategy: 'replace' as const })));
      return { enablement };
    },
  };
}
