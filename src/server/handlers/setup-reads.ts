// Reads a client makes while it sets itself up — permission profiles, managed requirements, the
// Windows sandbox, feature flags, other agents' configs. Keel has none of these
// things; each answer says so in Codex's shape.
import type { Handler } from '../dispatch.js';
import { refuseCursor } from './extensions.js';

type SetupMethod =
  | 'permissionProfile/list'
  | 'configRequirements/read'
  | 'windowsSandbox/readiness'
  | 'experimentalFeature/list'
  | 'externalAgentConfig/detect'
  | 'externalAgentConfig/import/readHistories';

export function setupReadHandlers(): { [M in SetupMethod]: Handler<M> } {
  return {
    'permissionProfile/list': (params) => {
      refuseCursor(params.cursor);
      return { data: [], nextCursor: null };
    },
    'configRequirements/read': () => ({ requirements: null, supportsIndependentSpeedModes: null }),
    'windowsSandbox/readiness': () => ({ status: 'notConfigured' as const }),
    'experimentalFeature/list': (params) => {
      refuseCursor(params.cursor);
      return { data: [], nextCursor: null };
    },
    'externalAgentConfig/detect': () => ({ items: [], connectors: [] }),
    'externalAgentConfig/import/readHistories': () => ({ data: [], connectors: [] }),
  };
}
