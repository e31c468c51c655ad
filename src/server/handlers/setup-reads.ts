// Reads a client makes while it sets itself up — permission profiles, managed requirements, the
// Windows sandbox: Keel has none of these things, and each answer says so in Codex's shape — and
// other agents' setups: detected, imported and the imports' history (src/config/external-agents).
import type { ExternalAgentSetup } from '../../config/external-agents/external-agent-setup.js';
import type { Handler } from '../dispatch.js';
import { refuseCursor } from './extensions.js';

type SetupMethod =
  | 'permissionProfile/list'
  | 'configRequirements/read'
  | 'windowsSandbox/readiness'
  | 'externalAgentConfig/detect'
  | 'externalAgentConfig/import'
  | 'externalAgentConfig/import/recordHistory'
  | 'externalAgentConfig/import/readHistories';

export interface SetupServices {
  externalAgents: Pick<ExternalAgentSetup, 'detect' | 'import' | 'record' | 'read'>;
  /** Sends a notification to every connection. */
  broadcast(method: string, params: unknown): void;
}

export function setupReadHandlers(services: SetupServices): { [M in SetupMethod]: Handler<M> } {
  return {
    'permissionProfile/list': (params) => {
      refuseCursor(params.cursor);
      return { data: [], nextCursor: null };
    },
    'configRequirements/read': () => ({ requirements: null, supportsIndependentSpeedModes: null }),
    'windowsSandbox/readiness': () => ({ status: 'notConfigured' as const }),
    'externalAgentConfig/detect': async (params) => ({ items: await services.externalAgents.detect(params.includeHome === true, params.cwds ?? []), connectors: [] }),
    'externalAgentConfig/import': async (params, { afterResponse }) => {
      const { importId, itemTypeResults } = await services.externalAgents.import(params.migrationItems, params.providerId ?? null);
      afterResponse(() => services.broadcast('externalAgentConfig/import/completed', { importId, itemTypeResults }));
      return { importId };
    },
    'externalAgentConfig/import/recordHistory': (params) => {
      const results = params.itemTypeResults.map(({ itemType, successes, failures }) => ({
        itemType,
        successes: successes.map((s) => ({ itemType: s.itemType, source: s.source ?? null, target: s.target ?? null, cwd: s.cwd ?? null, title: s.title ?? null })),
        failures: failures.map((f) => ({ ...f, source: f.source ?? null, cwd: f.cwd ?? null, errorType: f.errorType ?? null, subErrorType: f.subErrorType ?? null })),
      }));
      return { importId: services.externalAgents.record(params.providerId, results) };
    },
    'externalAgentConfig/import/readHistories': () => ({ data: services.externalAgents.read(), connectors: [] }),
  };
}
