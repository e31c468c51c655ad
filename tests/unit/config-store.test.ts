import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyEdits, checkConfig, leafPaths, type ConfigEdit, type TomlDocument } from '../../src/config/config-document.js';
import { ConfigStore, keelDefaults, versionOf } from '../../src/config/config-store.js';
import { DomainError } from '../../src/kernel/errors.js';

const set = (keyPath: string, value: ConfigEdit['value']): ConfigEdit => ({ keyPath, value, mergeStrategy: 'replace' });
const upsert = (keyPath: string, value: ConfigEdit['value']): ConfigEdit => ({ keyPath, value, mergeStrategy: 'upsert' });

const local = { model_providers: { local: { name: 'Local', base_url: 'http://a', http_headers: { A: '1' } } } };

describe('applyEdits', () => {
  const table: Array<[name: string, before: TomlDocument, edits: ConfigEdit[], after: TomlDocument]> = [
    ['sets a top-level key', {}, [set('model', 'gpt-5')], { model: 'gpt-5' }],
    ['replaces a value', { model: 'a' }, [set('model', 'b')], { model: 'b' }],
    ['creates the tables on a dotted path', {}, [set('model_providers.local.base_url', 'http://x')], { model_providers: { local: { base_url: 'http://x' } } }],
    ['replace swaps a whole table', local, [set('model_providers.local', { base_url: 'http://b' })], { model_providers: { local: { base_url: 'http://b' } } }],
    [
      'upsert deep-merges into a table',
      local,
      [upsert('model_providers.local', { base_url: 'http://b', http_headers: { B: '2' } })],
      { model_providers: { local: { name: 'Local', base_url: 'http://b', http_headers: { A: '1', B: '2' } } } },
    ],
    ['upsert with a null member removes it', local, [upsert('model_providers.local', { name: null, http_headers: null })], { model_providers: { local: { base_url: 'http://a' } } }],
    ['upsert over a non-table replaces', { keel: 1 }, [upsert('keel', { max_retries: 2 })], { keel: { max_retries: 2 } }],
    ['upsert of a scalar replaces', { model: 'a' }, [upsert('model', 'b')], { model: 'b' }],
    ['replace drops null members of an object', {}, [set('keel', { max_retries: 1, turn_timeout_ms: null })], { keel: { max_retries: 1 } }],
    ['null removes a key', { model: 'a', sandbox_mode: 'read-only' }, [set('model', null)], { sandbox_mode: 'read-only' }],
    ['null removes a nested key and the tables it empties', local, [set('model_providers.local', null)], {}],
    ['null keeps tables that still hold keys', local, [set('model_providers.local.http_headers.A', null)], { model_providers: { local: { name: 'Local', base_url: 'http://a' } } }],
    ['null on a missing key changes nothing', { model: 'a' }, [set('keel.fallback', null), set('model.x', null)], { model: 'a' }],
    [
      'arrays are replaced whole',
      { keel: { fallback: [{ model_provider: 'a', model: 'm' }] } },
      [upsert('keel.fallback', [{ model_provider: 'b', model: 'n' }])],
      { keel: { fallback: [{ model_provider: 'b', model: 'n' }] } },
    ],
    ['edits apply in order', {}, [set('model', 'a'), set('model', null), set('model_provider', 'p')], { model_provider: 'p' }],
  ];

  it.each(table)('%s', (_name, before, edits, after) => {
    const snapshot = structuredClone(before);
    expect(applyEdits(before, edits)).toEqual(after);
    expect(before).toEqual(snapshot); // the input is not modified
  });

  const refused: Array<[edit: ConfigEdit, message: string]> = [
    [set('', 1), 'invalid keyPath: ""'],
    [set('keel..max_retries', 1), 'invalid keyPath: "keel..max_retries"'],
    [set('__proto__.x', 1), 'invalid keyPath: __proto__.x (key __proto__ is not allowed)'],
    [set('model.name', 'x'), 'cannot write model.name: model is not a table'],
    [set('keel.fallback', [null]), 'invalid value for keel.fallback: arrays cannot contain null'],
  ];

  it.each(refused)('refuses %j', (edit, message) => {
    expect(() => applyEdits({ model: 'a' }, [edit])).toThrow(new DomainError('invalid', message));
  });
});

describe('checkConfig', () => {
  const table: Array<[name: string, document: TomlDocument, effective: TomlDocument, warnings: Array<{ path: string; message: string }>]> = [
    [
      'keeps valid values and unknown keys',
      { model: 'gpt-5', approval_policy: 'never', mcp_servers: { x: { command: 'y' } }, keel: { max_retries: 2, extra: true } },
      { model: 'gpt-5', approval_policy: 'never', mcp_servers: { x: { command: 'y' } }, keel: { max_retries: 2, extra: true } },
      [],
    ],
    [
      'leaves out invalid values with a warning each',
      { model: 5, approval_policy: 'sometimes', sandbox_mode: 'read-only' },
      { sandbox_mode: 'read-only' },
      [
        { path: 'model', message: 'Invalid input: expected string, received number' },
        { path: 'approval_policy', message: 'Invalid option: expected one of "untrusted"|"on-failure"|"on-request"|"never"' },
      ],
    ],
    [
      'drops only the invalid provider',
      { model_providers: { good: { base_url: 'http://a', wire_api: 'chat' }, bad: { wire_api: 'grpc' } } },
      { model_providers: { good: { base_url: 'http://a', wire_api: 'chat' } } },
      [{ path: 'model_providers.bad.wire_api', message: 'Invalid option: expected one of "responses"|"chat"|"anthropic"' }],
    ],
    [
      'checks [keel] field by field and fallback entry by entry',
      { keel: { max_turn_iterations: 0, turn_timeout_ms: 10, fallback: [{ model_provider: 'a', model: 'm' }, { model: 'n' }] } },
      { keel: { turn_timeout_ms: 10, fallback: [{ model_provider: 'a', model: 'm' }] } },
      [
        { path: 'keel.max_turn_iterations', message: 'Too small: expected number to be >0' },
        { path: 'keel.fallback[1].model_provider', message: 'Invalid input: expected string, received undefined' },
      ],
    ],
    ['warns when a table is not a table', { keel: 'fast', model_providers: [] }, {}, [
      { path: 'keel', message: 'expected a table' },
      { path: 'model_providers', message: 'expected a table' },
    ]],
    ['leaves out the Codex settings Keel does not model, silently', { tools: { web_search: true }, model: 'm' }, { model: 'm' }, []],
  ];

  it.each(table)('%s', (_name, document, effective, warnings) => {
    expect(checkConfig(document)).toEqual({ effective, warnings });
  });

  it('lists the dotted path of every leaf', () => {
    expect(leafPaths({ model: 'm', keel: { max_retries: 1, fallback: [] }, model_providers: { a: { http_headers: {} } } })).toEqual([
      'model',
      'keel.max_retries',
      'keel.fallback',
    ]);
  });
});

describe('ConfigStore', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  function freshHome(): { home: string; file: string; store: ConfigStore } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-config-'));
    dirs.push(dir);
    const home = path.join(dir, 'home'); // not created yet: the first write creates it
    return { home, file: path.join(home, 'config.toml'), store: new ConfigStore(home) };
  }

  const sha = (text: string) => `sha256:${crypto.createHash('sha256').update(text).digest('hex')}`;
  const emptyVersion = sha('');

  it('reads an absent file as empty, with the defaults', () => {
    const { store, file } = freshHome();
    expect(store.snapshot()).toEqual({ filePath: file, exists: false, version: emptyVersion, document: {}, layer: {}, effective: {}, warnings: [], loadError: null });
    expect(store.resolved()).toEqual({
      version: emptyVersion,
      model: null,
      modelProvider: null,
      modelReasoningEffort: null,
      modelReasoningSummary: null,
      approvalPolicy: null,
      sandboxMode: null,
      modelAutoCompactTokenLimit: null,
      developerInstructions: null,
      instructions: null,
      modelProviders: {},
      mcpServers: [],
      shellEnvironmentPolicy: { inherit: 'all', ignoreDefaultExcludes: false, exclude: [], set: {}, includeOnly: [] },
      keel: { ...keelDefaults, fallback: [] },
      store: { url: null, poolSize: null, statementTimeoutMs: null, connectTimeoutMs: null, writeRetryMs: null, leaseMs: null },
      warnings: [],
    });
  });

  it('writes atomically, creating the home, and the version follows the bytes', () => {
    const { store, file, home } = freshHome();
    const first = store.write([set('model', 'gpt-5'), set('model_providers.local', { base_url: 'http://localhost:1234/v1', wire_api: 'chat' })]);
    const text = 'model = "gpt-5"\n\n[model_providers.local]\nbase_url = "http://localhost:1234/v1"\nwire_api = "chat"\n';
    expect(fs.readFileSync(file, 'utf8')).toBe(text);
    expect(first).toEqual({ filePath: file, version: sha(text) });
    expect(store.snapshot().version).toBe(first.version);
    expect(fs.readdirSync(home)).toEqual(['config.toml']); // no temp file left behind
    // Private, as auth.json and the database are: the home Keel creates is its owner's alone.
    expect(fs.statSync(home).mode & 0o777).toBe(0o700);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const second = store.write([set('model', 'gpt-5-mini')], { expectedVersion: first.version });
    expect(second.version).not.toBe(first.version);
    expect(versionOf(fs.readFileSync(file))).toBe(second.version);
  });

  it('refuses a write on a version conflict and leaves the file alone', () => {
    const { store, file } = freshHome();
    const { version } = store.write([set('model', 'a')]);
    fs.writeFileSync(file, 'model = "by hand"\n');
    expect(() => store.write([set('model', 'b')], { expectedVersion: version })).toThrow(
      new DomainError('conflict', `config version conflict: expected ${version}, found ${sha('model = "by hand"\n')}`),
    );
    expect(fs.readFileSync(file, 'utf8')).toBe('model = "by hand"\n');
  });

  it('writes only the user config file', () => {
    const { store, file, home } = freshHome();
    const other = path.join(home, '..', 'elsewhere.toml');
    expect(() => store.write([set('model', 'a')], { filePath: other })).toThrow(
      new DomainError('invalid', `config file not writable: ${other} (only the user config ${file} can be written)`),
    );
    expect(fs.existsSync(file)).toBe(false);
    expect(store.write([set('model', 'a')], { filePath: path.join(home, '.', 'config.toml') }).filePath).toBe(file);
  });

  it('sees edits made by hand at once', () => {
    const { store, file, home } = freshHome();
    store.write([set('model', 'a')]);
    expect(store.resolved().model).toBe('a');
    fs.writeFileSync(file, 'model = "b"\n');
    expect(store.resolved().model).toBe('b');
    fs.rmSync(home, { recursive: true });
    expect(store.snapshot()).toMatchObject({ exists: false, version: emptyVersion, effective: {} });
  });

  it('resolves providers and the [keel] table with defaults for what is left out or invalid', () => {
    const { store, file } = freshHome();
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(
      file,
      [
        'model = "gpt-5"',
        'approval_policy = "bogus"',
        '[model_providers.local]',
        'base_url = "http://localhost:1234/v1"',
        'http_headers = { X-Team = "keel" }',
        '[model_providers.anthropic]',
        'prompt_cache = "1h"',
        '[keel]',
        'max_retries = -1',
        'turn_timeout_ms = 60000',
        'fallback = [{ model_provider = "local", model = "qwen" }]',
      ].join('\n'),
    );
    const reports: unknown[] = [];
    const resolved = new ConfigStore(path.dirname(file), { onProblems: (s) => reports.push(s.warnings) }).resolved();
    expect(resolved).toMatchObject({
      model: 'gpt-5',
      approvalPolicy: null,
      modelProviders: {
        local: { id: 'local', name: 'local', baseUrl: 'http://localhost:1234/v1', envKey: null, wireApi: 'responses', httpHeaders: { 'X-Team': 'keel' }, promptCache: null, settingsOnly: false },
        anthropic: { id: 'anthropic', name: 'anthropic', baseUrl: null, envKey: null, wireApi: 'responses', httpHeaders: {}, promptCache: '1h', settingsOnly: true },
      },
      keel: { maxTurnIterations: 50, streamIdleTimeoutMs: 300_000, turnTimeoutMs: 60_000, maxRetries: 4, fallback: [{ modelProvider: 'local', model: 'qwen' }] },
      warnings: [
        { path: 'approval_policy', message: 'Invalid option: expected one of "untrusted"|"on-failure"|"on-request"|"never"' },
        { path: 'keel.max_retries', message: 'Too small: expected number to be >=0' },
      ],
    });
    expect(reports).toEqual([resolved.warnings]);
    expect(store.resolved()).toBe(store.resolved()); // unchanged bytes: the same view
  });

  it('refuses a write that leaves an invalid value at the key it wrote, not for others', () => {
    const { store, file } = freshHome();
    expect(() => store.write([set('keel.max_turn_iterations', 'many')])).toThrow(
      new DomainError('invalid', 'invalid config value: keel.max_turn_iterations: Invalid input: expected number, received string'),
    );
    expect(fs.existsSync(file)).toBe(false);
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, 'sandbox_mode = "nope"\n');
    store.write([set('model', 'm')]);
    expect(fs.readFileSync(file, 'utf8')).toBe('sandbox_mode = "nope"\nmodel = "m"\n');
  });

  it('reports a file that is not TOML and refuses to overwrite it', () => {
    const { store, file } = freshHome();
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, 'model = \n');
    const snapshot = store.snapshot();
    expect(snapshot).toMatchObject({ exists: true, version: sha('model = \n'), effective: {} });
    expect(snapshot.loadError).toBe(`${file} is not valid TOML: Invalid TOML document: invalid value (line 1, column 9)`);
    expect(store.resolved().keel.maxTurnIterations).toBe(50);
    expect(() => store.write([set('model', 'a')])).toThrow(`cannot write the config: ${snapshot.loadError}; fix the file by hand first`);
    expect(fs.readFileSync(file, 'utf8')).toBe('model = \n');
  });

  it('keeps TOML dates as dates through a write', () => {
    const { store, file } = freshHome();
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, 'since = 2024-05-01\n');
    expect(store.snapshot().layer).toEqual({ since: '2024-05-01' });
    store.write([set('model', 'm')]);
    expect(fs.readFileSync(file, 'utf8')).toBe('since = 2024-05-01\nmodel = "m"\n');
  });
});
