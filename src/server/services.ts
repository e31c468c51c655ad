// Everything past the handshake, as one lazily loaded step: the composition root (config,
// providers, the store, the engine) and the handlers over it. main.ts starts loading it as soon as
// `initialize` is answered; every request but the handshake and diagnostics awaits it.
import os from 'node:os';
import { ExternalAgentSetup } from '../config/external-agents/external-agent-setup.js';
import { collectWhenIdle } from '../kernel/idle-gc.js';
import { openKeel, type Keel, type KeelOptions } from './open-keel.js';
import { probeBubblewrap } from '../tools/sandbox/index.js';
import { methodTable, type ClientRequestMethod } from '../protocol/method-table.js';
import type { Handler, Route } from './dispatch.js';
import { accountHandlers } from './handlers/account.js';
import { accountUsageHandlers } from './handlers/account-usage.js';
import { collaborationModeList } from './handlers/collaboration.js';
import { commandExecHandlers } from './handlers/command-exec.js';
import { configHandlers } from './handlers/config.js';
import { extensionHandlers } from './handlers/extensions.js';
import { featureFlagHandlers } from './handlers/feature-flags.js';
import { feedbackHandlers } from './handlers/feedback.js';
import { mcpHandlers } from './handlers/mcp.js';
import { fsHandlers } from './handlers/fs.js';
import { fuzzyFileSearchHandlers } from './handlers/fuzzy-file-search.js';
import { modelProviderHandlers } from './handlers/model-providers.js';
import { modelList } from './handlers/models.js';
import { setupReadHandlers } from './handlers/setup-reads.js';
import { threadInjectItems } from './handlers/threads/inject-items.js';
import { threadArchive, threadDelete, threadRevert, threadSetName, threadUnarchive, threadUnsubscribe } from './handlers/threads/changes.js';
import { threadFork, threadResume, threadStart } from './handlers/threads/lifecycle.js';
import { goalHandlers } from './handlers/threads/goals.js';
import { forgettingDeleted, sectionHandlers } from './handlers/threads/sections.js';
import { attachmentHandlers } from './handlers/threads/attachments.js';
import { threadItemsList, threadList, threadLoadedList, threadRead, threadTurnsList } from './handlers/threads/reads.js';
import { threadSearchHandlers } from './handlers/threads/search.js';
import { reviewStart, threadCompactStart, threadShellCommand, turnInterrupt, turnStart, turnSteer } from './handlers/turns.js';

/** The requests served here: all but the handshake and process diagnostics. */
export type ServiceMethod = Exclude<ClientRequestMethod, 'initialize' | 'server/diagnostics'>;

export type ServiceHandlers = { [M in ServiceMethod]: Handler<M> };

export interface Services {
  keel: Keel;
  /** Each method's params schema (from the method table) and handler. */
  routes: { [M in ServiceMethod]: Route };
  /** What each connection is told after its handshake (configWarning): e.g. that commands cannot be sandboxed here. */
  startupWarnings: Promise<Array<{ summary: string; details: string | null }>>;
}

export async function startServices(options: KeelOptions): Promise<Services> {
  const keel = await openKeel(options);
  // Start-up allocates much that is garbage once serving: collected once things are quiet.
  collectWhenIdle(() => keel.turns.idle(), 500);
  const handlers = serviceHandlers(keel);
  const routes = Object.fromEntries(
    (Object.keys(handlers) as ServiceMethod[]).map((method) => [method, { params: methodTable[method].params, handler: handlers[method] }]),
  ) as unknown as Services['routes'];
  return { keel, routes, startupWarnings: sandboxWarnings(keel.env) };
}

async function sandboxWarnings(env: NodeJS.ProcessEnv): Promise<Array<{ summary: string; details: string | null }>> {
  const probe = await probeBubblewrap(env);
  if (probe.ok) return [];
  const summary = `Keel cannot sandbox commands: ${probe.cause}. Commands of threads with a read-only or workspace-write sandbox are asked to run without it (under approval policy never they fail, saying why); nothing runs unsandboxed unless approved or the thread has danger-full-access. To fix: ${probe.fix}.`;
  return [{ summary, details: null }];
}

/** Each handler gets the few services it uses, named here, never the whole Keel. */
export function serviceHandlers(keel: Keel): ServiceHandlers {
  const { threads, registry, defaults, providers } = keel;
  const lifecycle = { threads, registry };
  const threadReads = { queries: keel.queries, registry };
  return {
    ...configHandlers(keel.config),
    'model/list': modelList({
      providers,
      defaults,
      env: keel.providerEnv,
      configured: () => Object.keys(keel.config.resolved().modelProviders),
    }),
    'thread/start': threadStart({ ...lifecycle, mcp: keel.mcpAccess }),
    'thread/resume': threadResume(lifecycle),
    'thread/fork': threadFork(lifecycle),
    'thread/list': threadList(threadReads),
    'thread/loaded/list': threadLoadedList(threadReads),
    'thread/read': threadRead(threadReads),
    'thread/turns/list': threadTurnsList(threadReads),
    'thread/items/list': threadItemsList(threadReads),
    ...threadSearchHandlers({ queries: keel.queries }),
    'thread/archive': threadArchive({ threads }),
    'thread/unarchive': threadUnarchive({ threads, registry }),
    'thread/delete': forgettingDeleted(threadDelete({ threads }), keel.organizer),
    'thread/unsubscribe': threadUnsubscribe({ threads }),
    'thread/name/set': threadSetName({ threads }),
    'thread/inject_items': threadInjectItems({ threads }),
    'thread/revert': threadRevert({ threads, registry }),
    'turn/start': turnStart({ threads }),
    'collaborationMode/list': collaborationModeList(),
    'turn/steer': turnSteer({ threads }),
    'turn/interrupt': turnInterrupt({ threads }),
    'thread/shellCommand': threadShellCommand({ threads }),
    'thread/compact/start': threadCompactStart({ threads }),
    'review/start': reviewStart({ threads }),
    ...modelProviderHandlers({ config: keel.config, providers, defaults }),
    ...accountHandlers({ auth: keel.auth, providerEnv: keel.providerEnv, defaults, providers, broadcast: keel.broadcast }),
    ...accountUsageHandlers({ rateLimits: keel.rateLimits, usage: keel.usage }),
    ...extensionHandlers({ registry, defaults, skills: keel.skills }),
    ...mcpHandlers({ mcp: keel.mcpAccess }),
    ...setupReadHandlers({
      externalAgents: new ExternalAgentSetup({ userHome: keel.env.HOME || os.homedir(), keelHome: keel.home, config: keel.config }),
      broadcast: keel.broadcast,
    }),
    ...featureFlagHandlers(keel.config),
    ...feedbackHandlers(keel.feedback),
    ...fsHandlers({ watches: keel.watches }),
    ...fuzzyFileSearchHandlers(),
    ...commandExecHandlers({ commands: keel.commands }),
    ...goalHandlers({ threads, queries: keel.queries, registry }),
    ...sectionHandlers({ organizer: keel.organizer, queries: keel.queries, broadcast: keel.broadcast }),
    ...attachmentHandlers({ organizer: keel.organizer, queries: keel.queries, broadcast: keel.broadcast }),
  };
}
