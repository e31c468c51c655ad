import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtInDefaults, defaultKeys, defaultsOrigin, originsOf, sha, userOrigin } from '../helpers/config-layers.js';
import { errorOf, initialized, makeTempHome, spawnKeel } from '../helpers/keel-process.js';

const emptyVersion = sha('');

async function started(home?: string) {
  const keel = spawnKeel(home === undefined ? {} : { home });
  await initialized(keel);
  const file = path.join(keel.home, 'config.toml');
  const origin = (version: string) => userOrigin(file, version);
  return { keel, file, origin };
}

describe('config/*', () => {
  it("reads an empty home as Keel's defaults, with the defaults and the user layer on request", async () => {
    const { keel, file } = await started();
    const defaults = defaultsOrigin();
    expect(await keel.request('config/read', {})).toEqual({ config: builtInDefaults, origins: originsOf(defaultKeys(), defaults), layers: null });
    expect(await keel.request('config/read', { includeLayers: true, cwd: '/somewhere' })).toEqual({
      config: builtInDefaults,
      origins: originsOf(defaultKeys(), defaults),
      layers: [
        { name: { type: 'user', file }, version: emptyVersion, config: {}, disabledReason: null },
        { ...defaults, config: builtInDefaults, disabledReason: null },
      ],
    });
    expect(fs.existsSync(file)).toBe(false);
  });

  it('writes a value and a batch, and reads them back with their origins', async () => {
    const { keel, file, origin } = await started();
    const first = await keel.request('config/value/write', {
      keyPath: 'model_providers.local',
      value: { name: 'LM Studio', base_url: 'http://localhost:1234/v1', wire_api: 'chat' },
      mergeStrategy: 'replace',
      expectedVersion: emptyVersion,
    });
    const firstText = '[model_providers.local]\nname = "LM Studio"\nbase_url = "http://localhost:1234/v1"\nwire_api = "chat"\n';
    expect(fs.readFileSync(file, 'utf8')).toBe(firstText);
    expect(first).toEqual({ filePath: file, status: 'ok', version: sha(firstText), overriddenMetadata: null });

    const second = await keel.request('config/batchWrite', {
      edits: [
        { keyPath: 'model', value: 'qwen3-coder', mergeStrategy: 'replace' },
        { keyPath: 'model_providers.local', value: { name: null, http_headers: { 'X-Team': 'keel' } }, mergeStrategy: 'upsert' },
        { keyPath: 'keel', value: { max_retries: 2, fallback: [{ model_provider: 'openai', model: 'gpt-5-mini' }] }, mergeStrategy: 'upsert' },
      ],
      expectedVersion: first.version,
      reloadUserConfig: true,
    });
    const secondText = [
      'model = "qwen3-coder"',
      '',
      '[model_providers.local]',
      'base_url = "http://localhost:1234/v1"',
      'wire_api = "chat"',
      '',
      '[model_providers.local.http_headers]',
      'X-Team = "keel"',
      '',
      '[keel]',
      'max_retries = 2',
      '',
      '[[keel.fallback]]',
      'model_provider = "openai"',
      'model = "gpt-5-mini"',
      '',
    ].join('\n');
    expect(fs.readFileSync(file, 'utf8')).toBe(secondText);
    expect(second).toEqual({ filePath: file, status: 'ok', version: sha(secondText), overriddenMetadata: null });

    const written = {
      model: 'qwen3-coder',
      model_providers: { local: { base_url: 'http://localhost:1234/v1', wire_api: 'chat', http_headers: { 'X-Team': 'keel' } } },
      keel: { max_retries: 2, fallback: [{ model_provider: 'openai', model: 'gpt-5-mini' }] },
    };
    const at = origin(second.version);
    expect(await keel.request('config/read', { includeLayers: true })).toEqual({
      config: { ...builtInDefaults, ...written, keel: { ...builtInDefaults.keel, ...written.keel } },
      origins: {
        ...originsOf(defaultKeys('model', 'keel.max_retries'), defaultsOrigin()),
        model: at,
        'model_providers.local.base_url': at,
        'model_providers.local.wire_api': at,
        'model_providers.local.http_headers.X-Team': at,
        'keel.max_retries': at,
        'keel.fallback': at,
      },
      layers: [
        { ...at, config: written, disabledReason: null },
        { ...defaultsOrigin(), config: builtInDefaults, disabledReason: null },
      ],
    });

    const removed = await keel.request('config/value/write', { keyPath: 'keel', value: null, mergeStrategy: 'replace' });
    expect(fs.readFileSync(file, 'utf8')).toBe(secondText.slice(0, secondText.indexOf('\n[keel]')));
    expect(removed.version).toBe(sha(fs.readFileSync(file, 'utf8')));
  });

  it('refuses a write whose expectedVersion is stale, and leaves the file alone', async () => {
    const { keel, file } = await started();
    const { version } = await keel.request('config/value/write', { keyPath: 'model', value: 'a', mergeStrategy: 'replace' });
    fs.writeFileSync(file, 'model = "edited by hand"\n');
    const stale = keel.request('config/value/write', { keyPath: 'model', value: 'b', mergeStrategy: 'replace', expectedVersion: version });
    expect(await errorOf(stale)).toEqual({
      code: -32600,
      message: `config version conflict: expected ${version}, found ${sha('model = "edited by hand"\n')}`,
    });
    const batch = keel.request('config/batchWrite', { edits: [{ keyPath: 'model', value: 'c', mergeStrategy: 'replace' }], expectedVersion: emptyVersion });
    expect(await errorOf(batch)).toEqual({
      code: -32600,
      message: `config version conflict: expected ${emptyVersion}, found ${sha('model = "edited by hand"\n')}`,
    });
    expect(fs.readFileSync(file, 'utf8')).toBe('model = "edited by hand"\n');
  });

  it('writes only the user config file', async () => {
    const { keel, file } = await started();
    const outside = path.join(os.tmpdir(), `keel-not-config-${process.pid}.toml`);
    const refused = keel.request('config/value/write', { keyPath: 'model', value: 'a', mergeStrategy: 'replace', filePath: outside });
    expect(await errorOf(refused)).toEqual({
      code: -32600,
      message: `config file not writable: ${outside} (only the user config ${file} can be written)`,
    });
    expect(fs.existsSync(outside)).toBe(false);
    expect(fs.existsSync(file)).toBe(false);
    const explicit = await keel.request('config/batchWrite', { edits: [{ keyPath: 'model', value: 'a', mergeStrategy: 'replace' }], filePath: file });
    expect(explicit).toEqual({ filePath: file, status: 'ok', version: sha('model = "a"\n'), overriddenMetadata: null });
  });

  it('refuses invalid edits and params without writing', async () => {
    const { keel, file } = await started();
    expect(await errorOf(keel.request('config/value/write', { keyPath: 'sandbox_mode', value: 'yolo', mergeStrategy: 'replace' }))).toEqual({
      code: -32600,
      message: 'invalid config value: sandbox_mode: Invalid option: expected one of "read-only"|"workspace-write"|"danger-full-access"',
    });
    expect(await errorOf(keel.request('config/value/write', { keyPath: 'keel..x', value: 1, mergeStrategy: 'replace' }))).toEqual({
      code: -32600,
      message: 'invalid keyPath: "keel..x"',
    });
    const badStrategy = await keel.requestRaw({ id: 'm', method: 'config/value/write', params: { keyPath: 'model', value: 'a', mergeStrategy: 'merge' } });
    expect(badStrategy).toEqual({
      id: 'm',
      error: {
        code: -32602,
        message: 'Invalid params: mergeStrategy: Invalid option: expected one of "replace"|"upsert"',
        data: { issues: [{ path: 'mergeStrategy', message: 'Invalid option: expected one of "replace"|"upsert"' }] },
      },
    });
    expect(fs.existsSync(file)).toBe(false);
  });

  it('refuses a value with a lone surrogate (the \\ud800 escape) rather than writing U+FFFD in its place', async () => {
    const { keel, file } = await started();
    const line = '{"id":"s","method":"config/value/write","params":{"keyPath":"model","value":"gpt-\\ud800","mergeStrategy":"replace"}}';
    keel.sendLine(line);
    const message = 'not well-formed Unicode: a lone surrogate at character 4';
    expect(await keel.response('s')).toEqual({ id: 's', error: { code: -32602, message: `Invalid params: value: ${message}`, data: { issues: [{ path: 'value', message }] } } });
    expect(fs.existsSync(file)).toBe(false);
  });

  it('leaves invalid values of a hand-written file out of the effective config', async () => {
    const home = makeTempHome();
    const text = 'model = "gpt-5"\napproval_policy = "sometimes"\nnotes = "mine"\n\n[tools]\nweb_search = true\n\n[keel]\nmax_turn_iterations = 0\n';
    fs.writeFileSync(path.join(home, 'config.toml'), text);
    try {
      const { keel, origin } = await started(home);
      const at = origin(sha(text));
      expect(await keel.request('config/read', { includeLayers: true })).toEqual({
        config: { ...builtInDefaults, model: 'gpt-5', notes: 'mine' },
        origins: { ...originsOf(defaultKeys('model'), defaultsOrigin()), model: at, notes: at },
        layers: [
          { ...at, config: { model: 'gpt-5', approval_policy: 'sometimes', notes: 'mine', tools: { web_search: true }, keel: { max_turn_iterations: 0 } }, disabledReason: null },
          { ...defaultsOrigin(), config: builtInDefaults, disabledReason: null },
        ],
      });
      await keel.close();
      expect(keel.stderr).toContain('config.toml: invalid values are ignored');
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it('keeps the config across a restart', async () => {
    const home = makeTempHome();
    try {
      const first = await started(home);
      const written = await first.keel.request('config/batchWrite', {
        edits: [
          { keyPath: 'model', value: 'gpt-5', mergeStrategy: 'replace' },
          { keyPath: 'approval_policy', value: 'never', mergeStrategy: 'replace' },
        ],
      });
      expect(await first.keel.close()).toBe(0);

      const second = await started(home);
      const at = second.origin(written.version);
      expect(await second.keel.request('config/read', {})).toEqual({
        config: { ...builtInDefaults, model: 'gpt-5', approval_policy: 'never' },
        origins: { ...originsOf(defaultKeys('model', 'approval_policy'), defaultsOrigin()), model: at, approval_policy: at },
        layers: null,
      });
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
