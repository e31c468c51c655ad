// Each model provider Keel would use: the default one (config.toml's model_provider, else the
// first key set), the fallbacks, config.toml's own, and every built-in whose key is set. For
// each: its key present, its endpoint reachable (a TCP connection to its host and port, so a
// refused or unresolvable address is named as such), then its model listing (a short timeout),
// which shows that the endpoint is the provider's and that it takes the key.
import net from 'node:net';
import type { ResolvedConfig } from '../../config/config-store.js';
import { createProviderSource } from '../../engine/provider-source.js';
import { defaultProvider } from '../../engine/run-defaults.js';
import type { Env } from '../../providers/manifest.js';
import { ProviderError, type ProviderConfig } from '../../providers/types.js';
import { fail, ok, warn, within, type Check } from './check.js';

const PROVIDER_TIMEOUT_MS = 5_000;

/** The ids to check, the default first. */
function providerIds(config: ResolvedConfig, env: Env, all: ProviderConfig[]): string[] {
  const ids = [defaultProvider(config, env as NodeJS.ProcessEnv), ...config.keel.fallback.map((entry) => entry.modelProvider)];
  for (const each of all) if (each.apiKeyEnv !== null && env[each.apiKeyEnv]) ids.push(each.id);
  ids.push(...Object.keys(config.modelProviders));
  return [...new Set(ids)];
}

/** Null when a TCP connection to the URL's host and port opens within the timeout; else why not. */
function unreachable(baseUrl: string, timeoutMs: number): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return Promise.resolve(`${baseUrl} is not a URL`);
  }
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  return new Promise((resolve) => {
    const socket = net.connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port });
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      resolve(`no connection to ${url.host} within ${timeoutMs} ms`);
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve(null);
    });
    socket.once('error', (error) => resolve(error.message));
  });
}

/** Where the base URL of provider `id` is set. */
function baseUrlSetting(id: string, custom: boolean): string {
  if (custom) return `base_url in [model_providers.${id}] of config.toml`;
  if (id === 'openai') return 'OPENAI_BASE_URL';
  if (id === 'anthropic') return 'ANTHROPIC_BASE_URL';
  return `built in; override it with [model_providers.${id}] base_url in config.toml`;
}

function keyFix(variable: string): string {
  return variable === 'OPENAI_API_KEY' ? 'export OPENAI_API_KEY=… (or sign in with account/login/start, kept in $KEEL_HOME/auth.json)' : `export ${variable}=…`;
}

export async function providerChecks(config: ResolvedConfig, env: Env, timeoutMs = PROVIDER_TIMEOUT_MS): Promise<Check[]> {
  const source = createProviderSource({ scriptPath: null, env: () => env, custom: () => config.modelProviders });
  const all = source.configs();
  const checks: Check[] = [];
  for (const id of providerIds(config, env, all)) {
    const name = `provider ${id}`;
    const found = all.find((each) => each.id === id);
    if (id === 'scripted') {
      checks.push(warn(name, 'no model provider is configured: turns are answered by the offline scripted provider', 'export OPENAI_API_KEY=… or ANTHROPIC_API_KEY=…, or set model_provider in $KEEL_HOME/config.toml'));
    } else if (found === undefined) {
      checks.push(fail(name, `unknown model provider ${id}`, `configure it under [model_providers.${id}] in $KEEL_HOME/config.toml, or name a known one`));
    } else {
      checks.push(await providerCheck(name, found, id in config.modelProviders, env, () => source.provider(id), timeoutMs));
    }
  }
  return checks;
}

async function providerCheck(name: string, config: ProviderConfig, custom: boolean, env: Env, provider: () => Promise<{ listModels?(signal: AbortSignal): Promise<Array<{ id: string }>> }>, timeoutMs: number): Promise<Check> {
  const where = config.baseUrl ?? '(no base URL)';
  if (config.apiKeyEnv !== null && !env[config.apiKeyEnv] && config.apiKeyOptional !== true) {
    return fail(name, `no API key: ${config.apiKeyEnv} is not set`, keyFix(config.apiKeyEnv));
  }
  const reachFix = `check that ${where} is reachable from here (is the server running? network, proxy) and is the provider's API base URL (${baseUrlSetting(config.id, custom)})`;
  if (config.baseUrl !== null) {
    const why = await unreachable(config.baseUrl, timeoutMs);
    if (why !== null) return fail(name, `${where} is unreachable: ${why}`, reachFix);
  }
  const instance = await provider();
  if (instance.listModels === undefined) return ok(name, `${where}: cannot list its models`);
  const controller = new AbortController();
  try {
    const models = await within(timeoutMs, `${where}`, instance.listModels(controller.signal));
    const shown = models.slice(0, 3).map((model) => model.id);
    return ok(name, `${where}: key accepted, ${models.length} model${models.length === 1 ? '' : 's'} listed${shown.length > 0 ? ` (${shown.join(', ')}${models.length > shown.length ? ', …' : ''})` : ''}`);
  } catch (error) {
    controller.abort();
    const message = (error as Error).message;
    const kind = error instanceof ProviderError ? error.kind : null;
    if (kind === 'unauthorized') return fail(name, `${where} refused the key: ${message}`, config.apiKeyEnv === null ? 'check the provider\'s credentials' : `check ${config.apiKeyEnv}: ${keyFix(config.apiKeyEnv)}`);
    return fail(name, `${where} answers, but did not list its models: ${message}`, reachFix);
  }
}
