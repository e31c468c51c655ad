// The two servers, set up alike: a home holding the same config.toml (a custom Responses provider
// at the fake model server, no approvals, no sandbox: what is measured is the server, not bwrap),
// spawned with the same stdio. Keel from this checkout's build; Codex's native binary.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const keelEntry = fileURLToPath(new URL('../../dist/keel.cjs', import.meta.url));

/** Environment variables of the host that would point either server somewhere else. */
const HOST_VARIABLES = ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL', 'KEEL_SCRIPT', 'KEEL_DB', 'CODEX_HOME', 'KEEL_HOME'];

function baseEnv(extra) {
  const env = { ...process.env, ...extra };
  for (const name of HOST_VARIABLES) if (!(name in extra)) delete env[name];
  return env;
}

/** `extra`: a contender's own keys, top-level and tables. */
export function configToml(modelUrl, extra = { topLevel: [], tables: [] }) {
  return [
    'model = "mock-model"',
    'model_provider = "mock"',
    'approval_policy = "never"',
    'sandbox_mode = "danger-full-access"',
    ...extra.topLevel,
    '',
    ...extra.tables,
    '[model_providers.mock]',
    'name = "mock"',
    `base_url = "${modelUrl}"`,
    'wire_api = "responses"',
    'request_max_retries = 0',
    'stream_max_retries = 0',
    '',
  ].join('\n');
}

export function newHome(kind, modelUrl, extra) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${kind}-`));
  fs.writeFileSync(path.join(home, 'config.toml'), configToml(modelUrl, extra));
  return home;
}

/** The HOME both servers run with: empty, so a login shell running a tool sources no profile. */
const userHome = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-user-'));

/** `keel`: spawn spec for a home; `withoutCaCerts` drops NODE_EXTRA_CA_CERTS (it alone costs Node ~100 ms here). */
export function keelContender() {
  return {
    name: 'keel',
    extraToml: { topLevel: [], tables: [] },
    spec: (home, { withoutCaCerts = false } = {}) => {
      const env = baseEnv({ KEEL_HOME: home, HOME: userHome });
      if (withoutCaCerts) delete env.NODE_EXTRA_CA_CERTS;
      return { command: process.execPath, args: [keelEntry, 'app-server'], env, cwd: home };
    },
  };
}

export function codexContender(binary, extraToml) {
  return {
    name: 'codex',
    extraToml,
    spec: (home) => ({ command: binary, args: ['app-server'], env: baseEnv({ CODEX_HOME: home, HOME: userHome }), cwd: home }),
  };
}
