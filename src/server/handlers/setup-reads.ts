// Reads a client makes while it sets itself up — permission profiles, managed requirements, the
// Windows sandbox, other agents' configs, thread sections. Keel has none of these
// things; each answer says so in Codex's shape.
import type { Handler } from '../dispatch.js';
import { refuseCursor } from './extensions.js';

type SetupMethod =
  | 'permissionProfile/list'
  | 'configRequirements/read'
  | 'windowsSandbox/readiness'
  | 'externalAgentConfig/detect'
  | 'externalAgentConfig/import/readHistories'
  | 'threadSection/list';

export function setupReadHandlers(): { [M in SetupMethod]: Handler<M> } {
  return {
    'permissionProfile/list': (params) => {
      refuseCursor(params.cursor);
      return { data: [], nextCursor: null };
    },
    'configRequirements/read': () => ({ requirements: null, supportsIndependentSpeedModes: null }),
    'windowsSandbox/readiness': () => ({ status: 'notConfigured' as const }),
    'externalAgentConfig/detect': () => ({ items: [], connectors: [] }),
    'externalAgentConfig/import/readHistories': () => ({ data: [], connectors: [] }),
    'threadSection/list': (params) => {
      refuseCursor(params.cursor);
      return { data: [], nextCursor: null };
    },
  };
}
