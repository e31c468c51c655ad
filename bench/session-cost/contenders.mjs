// The session bench's contenders, each an app-server spawned on a home of its own whose config.toml
// points a custom provider at the contender's fake endpoint: Keel on Responses (gpt-5.1-codex),
// Keel on Anthropic (claude-sonnet-4-5), Codex 0.169.0 on Responses. Spawned and driven with
// bench/vs-codex (same environment scrubbing, same client), so the three run alike.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startAppServer } from '../vs-codex/app-server.mjs';
import { CODEX_TABLES, CODEX_TOP_LEVEL } from '../vs-codex/codex-config.mjs';
import { codexContender, keelContender } from '../vs-codex/contenders.mjs';
import { startAnthropicServer } from './anthropic-server.mjs';
import { startResponsesServer } from './responses-server.mjs';
import { THINK_MS, TURNS, turnText } from './script.mjs';

function configToml({ model, wire, url, topLevel = [], tables = [] }) {
  return [
    `model = "${model}"`,
    'model_provider = "bench"',
    'approval_policy = "never"',
    'sandbox_mode = "danger-full-access"',
    ...topLevel,
    '',
    ...tables,
    '[model_providers.bench]',
    'name = "bench"',
    `base_url = "${url}"`,
    `wire_api = "${wire}"`,
    'request_max_retries = 0',
    'stream_max_retries = 0',
    '',
  ].join('\n');
}

/** `codex`: the installed binary (install-codex.mjs), or null. */
export function contenders(codex) {
  const keel = keelContender();
  return [
    { id: 'keel', wire: 'responses', model: 'gpt-5.1-codex', start: startResponsesServer, spec: keel.spec, toml: {} },
    { id: 'keel', wire: 'anthropic', model: 'claude-sonnet-4-5', start: startAnthropicServer, spec: keel.spec, toml: {} },
    { id: 'codex', wire: 'responses', model: 'gpt-5.1-codex', start: startResponsesServer, spec: codex ? codexContender(codex.binary).spec : null, toml: { topLevel: CODEX_TOP_LEVEL, tables: CODEX_TABLES } },
  ];
}

/**
 * Runs the session (script.mjs) for one contender against a fresh fake endpoint; resolves with the
 * endpoint's ledger and the client's own last `thread/tokenUsage/updated` total.
 */
export async function runSession(contender, workspace) {
  const fake = await contender.start();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), `bench-session-${contender.id}-`));
  fs.writeFileSync(path.join(home, 'config.toml'), configToml({ model: contender.model, wire: contender.wire, url: fake.url, ...contender.toml }));
  const server = startAppServer(contender.spec(home));
  let reported = null;
  const stop = server.listen((message) => {
    if (message.method === 'thread/tokenUsage/updated') reported = message.params.tokenUsage?.total ?? null;
  });
  try {
    await server.initialize();
    const threadId = (await server.request('thread/start', { cwd: workspace, approvalPolicy: 'never', sandbox: 'danger-full-access' })).thread.id;
    for (let turn = 1; turn <= TURNS; turn++) {
      if (turn > 1) fake.advance(THINK_MS);
      const { status } = await server.turn(threadId, turnText(turn));
      if (status !== 'completed') throw new Error(`turn ${turn} ended ${status}: ${server.stderr().slice(-400)}`);
    }
    return { calls: fake.calls, reported };
  } finally {
    stop();
    await server.close();
    await fake.close();
    fs.rmSync(home, { recursive: true, force: true });
  }
}
