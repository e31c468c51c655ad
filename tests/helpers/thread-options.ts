// Options for starting the thread subsystem in-process (property and engine tests).
import pino from 'pino';
import { createProviderSource } from '../../src/engine/provider-source.js';
import { noTools } from '../../src/engine/turns/tools.js';
import type { ThreadOptions } from '../../src/server/handlers/threads/index.js';

export function threadOptions(dbPath: string, extra: Partial<ThreadOptions> = {}): ThreadOptions {
  return {
    dbPath,
    version: '0.0.0-test',
    logger: pino({ level: 'silent' }),
    defaults: () => ({ model: 'm', modelProvider: 'p', approvalPolicy: 'never', sandbox: 'read-only', cwd: '/w' }),
    providers: createProviderSource({ scriptPath: null, env: {}, custom: () => ({}) }),
    tools: noTools,
    limits: () => ({ maxIterations: 10, turnTimeoutMs: 60_000, idleTimeoutMs: 10_000, reasoningSummary: null, retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 }, fallback: [] }),
    broadcast: () => {},
    ...extra,
  };
}
