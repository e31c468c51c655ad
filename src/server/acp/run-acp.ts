// `keel acp`: Keel as an ACP agent on stdio, for editors that host agents (Zed, JetBrains, Neovim
// plugins). The same engine, store and tools as `keel app-server`; its services start with the
// first request that needs them. Keel exits when stdin ends (the editor went) or on SIGTERM/SIGINT.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { ConfigOverride } from '../../config/config-overrides.js';
import { clientLimits } from '../../kernel/client-limits.js';
import { Lazy } from '../../kernel/lazy.js';
import type { Log } from '../../log.js';
import { stdioChannel } from '../connections.js';
import type { Services } from '../services.js';
import { providerSetup, type ProviderSetup } from '../provider-setup.js';
import { serveAcp } from './acp-server.js';

const SHUTDOWN_FLUSH_MS = 5_000;

/** What `keel acp`'s command line gives (cli/acp-command-line.ts, read by main). */
export interface AcpServeOptions {
  home: string;
  dbPath: string;
  configOverrides: readonly ConfigOverride[];
}

export async function runAcp(options: AcpServeOptions, version: string, logger: Log): Promise<number> {
  // Config, keys and providers first (initialize's auth methods), then the services built on them.
  let built: ProviderSetup | undefined;
  const setup = () =>
    (built ??= providerSetup({ home: options.home, env: process.env, cwd: process.cwd(), logger, configOverrides: options.configOverrides, programPath: path.resolve(process.argv[1] ?? '') }));
  const services = new Lazy<Services>(async () =>
    (await import('../services.js')).startServices({
      home: options.home,
      dbPath: options.dbPath,
      version,
      logger,
      env: process.env,
      cwd: process.cwd(),
      setup: setup(),
      // Account notifications and engine signals are the app-server's: ACP has no form for them.
      broadcast: () => {},
      signal: () => {},
      configOverrides: options.configOverrides,
      programPath: path.resolve(process.argv[1] ?? ''),
      ownerId: randomUUID(),
      ownerAddress: null,
    }),
  );
  const keel = async () => (await services.get()).keel;
  const limits = clientLimits(() => services.peek()?.keel.config.resolved().keel);
  const connection = serveAcp(stdioChannel(), keel, setup, version, logger, { stallTimeoutMs: limits.stallTimeoutMs, outputLimitBytes: limits.outputLimitBytes });
  const signalled = new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  const reason = await Promise.race([connection.closed, signalled]);
  logger.debug({ reason }, 'ACP connection ended');
  try {
    const loaded = await services.started()?.catch(() => undefined);
    await loaded?.keel.close();
    await Promise.race([connection.flush(), new Promise((resolve) => setTimeout(resolve, SHUTDOWN_FLUSH_MS).unref())]);
  } finally {
    connection.dispose();
  }
  return 0;
}
