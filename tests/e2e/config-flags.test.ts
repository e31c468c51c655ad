// `-c`, `--enable`, `--disable` on the command line: the session-flags layer of config/read, above
// config.toml and Keel's defaults, used by the engine, and reported when it hides a write.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { builtInDefaults, defaultKeys, defaultsOrigin, flagsOrigin, originsOf, sha, userOrigin } from '../helpers/config-layers.js';
import { initialized, makeTempHome, removeAfterKeel, spawnKeel } from '../helpers/keel-process.js';

const homes: string[] = [];
afterEach(() => removeAfterKeel(homes));

function homeWith(configToml: string | null): { home: string; file: string } {
  const home = makeTempHome();
  homes.push(home);
  const file = path.join(home, 'config.toml');
  if (configToml !== null) fs.writeFileSync(file, configToml);
  return { home, file };
}

describe('config flags', () => {
  it('shows -c and --enable as the session-flags layer over the defaults, with their origins', async () => {
    const { home, file } = homeWith(null);
    const keel = spawnKeel({
      home,
      args: ['app-server', '--listen', 'stdio://', '-c', 'model="gpt-test"', '-c', 'keel.max_retries=1', '--enable', 'foo', '--analytics-default-enabled'],
    });
    await initialized(keel);
    const flags = { model: 'gpt-test', keel: { max_retries: 1 }, features: { foo: true } };
    const fromFlags = flagsOrigin(flags);
    const fromDefaults = defaultsOrigin();
    expect(await keel.request('config/read', { includeLayers: true })).toEqual({
      config: {
        model_provider: 'scripted',
        model: 'gpt-test',
        approval_policy: 'on-request',
        sandbox_mode: 'read-only',
        keel: { max_turn_iterations: 50, stream_idle_timeout_ms: 300_000, turn_timeout_ms: 3_600_000, max_retries: 1, client_stall_timeout_ms: 60_000, client_output_limit_bytes: 67_108_864, approval_timeout_ms: 600_000, thread_idle_unload_ms: 60_000, turns_without_clients: 'continue' },
        features: { foo: true },
      },
      origins: {
        model_provider: fromDefaults,
        model: fromFlags,
        approval_policy: fromDefaults,
        sandbox_mode: fromDefaults,
        'keel.max_turn_iterations': fromDefaults,
        'keel.stream_idle_timeout_ms': fromDefaults,
        'keel.turn_timeout_ms': fromDefaults,
        'keel.max_retries': fromFlags,
        'keel.client_stall_timeout_ms': fromDefaults,
        'keel.client_output_limit_bytes': fromDefaults,
        'keel.approval_timeout_ms': fromDefaults,
        'keel.thread_idle_unload_ms': fromDefaults,
        'keel.turns_without_clients': fromDefaults,
        'features.foo': fromFlags,
      },
      layers: [
        { name: { type: 'sessionFlags' }, version: fromFlags.version, config: flags, disabledReason: null },
        { name: { type: 'user', file }, version: sha(''), config: {}, disabledReason: null },
        { ...fromDefaults, config: builtInDefaults, disabledReason: null },
      ],
    });
    expect(await keel.close()).toBe(0);
  });

  it('puts the flags over config.toml, runs threads with them, and reports a write they hide', async () => {
    // The file's model is one the (scripted) provider serves: a thread cannot start on a model its provider lacks.
    const text = 'approval_policy = "untrusted"\nmodel = "scripted"\n\n[keel]\nmax_retries = 3\n';
    const { home, file } = homeWith(text);
    const keel = spawnKeel({ home, args: ['-c', 'approval_policy=never', '-c', 'sandbox_mode="read-only"', '--disable', 'bar'] });
    await initialized(keel);
    const flags = { approval_policy: 'never', sandbox_mode: 'read-only', features: { bar: false } };
    const fromFlags = flagsOrigin(flags);
    const user = userOrigin(file, sha(text));
    expect(await keel.request('config/read', {})).toEqual({
      config: { ...builtInDefaults, model: 'scripted', approval_policy: 'never', sandbox_mode: 'read-only', keel: { ...builtInDefaults.keel, max_retries: 3 }, features: { bar: false } },
      origins: {
        ...originsOf(defaultKeys('model', 'approval_policy', 'sandbox_mode', 'keel.max_retries'), defaultsOrigin()),
        model: user,
        'keel.max_retries': user,
        approval_policy: fromFlags,
        sandbox_mode: fromFlags,
        'features.bar': fromFlags,
      },
      layers: null,
    });

    const started = await keel.request('thread/start', { cwd: home });
    expect([started.model, started.approvalPolicy, started.sandbox]).toEqual(['scripted', 'never', { type: 'readOnly', networkAccess: false }]);

    const hidden = await keel.request('config/value/write', { keyPath: 'approval_policy', value: 'on-request', mergeStrategy: 'replace' });
    const afterFirst = fs.readFileSync(file, 'utf8');
    expect(hidden).toEqual({
      filePath: file,
      status: 'okOverridden',
      version: sha(afterFirst),
      overriddenMetadata: { message: 'Overridden by session flags', overridingLayer: fromFlags, effectiveValue: 'never' },
    });
    const seen = await keel.request('config/batchWrite', {
      edits: [
        { keyPath: 'model', value: 'gpt-5', mergeStrategy: 'replace' },
        { keyPath: 'keel.max_retries', value: 2, mergeStrategy: 'replace' },
      ],
    });
    expect(seen).toEqual({ filePath: file, status: 'ok', version: sha(fs.readFileSync(file, 'utf8')), overriddenMetadata: null });
    expect(await keel.close()).toBe(0);
  });
});
