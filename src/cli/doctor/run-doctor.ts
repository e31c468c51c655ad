// `keel doctor`: checks what Keel needs here — Node, bubblewrap, ripgrep, the home and its modes,
// config.toml, the thread store, the model providers, the MCP servers — in that order, prints
// each (report.ts) and exits 0 when none failed, 1 otherwise. Its own bundle (with the MCP
// library), loaded only for this command.
import { AuthStore, withStoredKeys } from '../../config/auth-store.js';
import { ConfigStore } from '../../config/config-store.js';
import type { DoctorOptions } from '../doctor-command-line.js';
import { fail, ok, warn, type Check } from './check.js';
import { homeCheck } from './home-checks.js';
import { bubblewrapCheck, nodeCheck, ripgrepCheck } from './host-checks.js';
import { mcpChecks } from './mcp-checks.js';
import { providerChecks } from './provider-checks.js';
import { report, reportJson, reportText } from './report.js';
import { storeCheck } from './store-check.js';
import { pgStoreCheck } from './pg-store-check.js';

function configCheck(config: ConfigStore): Check {
  const snapshot = config.snapshot();
  if (snapshot.loadError !== null) return fail('config', snapshot.loadError, `fix ${snapshot.filePath} by hand (Keel will not write it until it parses)`);
  if (!snapshot.exists) return ok('config', `no ${snapshot.filePath}: Keel's defaults`);
  const warnings = config.resolved().warnings;
  if (warnings.length > 0) {
    return warn('config', `${snapshot.filePath}: ignored ${warnings.map((w) => `${w.path} (${w.message})`).join('; ')}`, `correct or remove those keys in ${snapshot.filePath}`);
  }
  return ok('config', snapshot.filePath);
}

export async function runDoctor(options: DoctorOptions, env: NodeJS.ProcessEnv = process.env, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const config = new ConfigStore(options.home, { overrides: options.configOverrides });
  const providerEnv = withStoredKeys(env, new AuthStore(options.home).keys());
  const storeUrl = env.KEEL_STORE_URL || config.resolved().store.url;
  const store = storeUrl ? await pgStoreCheck({ url: storeUrl, connectTimeoutMs: config.resolved().store.connectTimeoutMs ?? undefined }) : storeCheck(options.dbPath);
  const checks: Check[] = [nodeCheck(), await bubblewrapCheck(env), await ripgrepCheck(env), homeCheck(options.home), configCheck(config), store];
  const resolved = config.resolved();
  checks.push(...(await providerChecks(resolved, providerEnv)), ...(await mcpChecks(resolved.mcpServers)));
  const doctor = report(checks);
  out.write(options.json ? reportJson(doctor) : reportText(doctor));
  return doctor.ok ? 0 : 1;
}
