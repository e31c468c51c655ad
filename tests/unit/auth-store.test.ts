// $KEEL_HOME/auth.json: written whole with mode 0600 (the home 0700 when Keel creates it), read in
// Codex's shape, problems reported without the file's contents, and the stored key only filling an
// OPENAI_API_KEY the environment leaves unset.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthStore, withStoredKeys } from '../../src/config/auth-store.js';

const made: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-auth-'));
  made.push(dir);
  return dir;
};
afterEach(() => made.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

const mode = (file: string) => fs.statSync(file).mode & 0o777;

describe('AuthStore', () => {
  it('stores the key in Codex shape with mode 0600, creating the home with mode 0700', () => {
    const home = path.join(tempDir(), 'new-home');
    const store = new AuthStore(home);
    expect(store.keys()).toEqual({});
    store.saveOpenAiKey('sk-one');
    expect(mode(home)).toBe(0o700);
    expect(mode(store.filePath)).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(store.filePath, 'utf8'))).toEqual({ OPENAI_API_KEY: 'sk-one' });
    expect(store.keys()).toEqual({ OPENAI_API_KEY: 'sk-one' });
    expect(fs.readdirSync(home)).toEqual(['auth.json']);
  });

  it('replaces the whole file, even a wider-open one, and leaves an existing home as it is', () => {
    const home = tempDir();
    fs.chmodSync(home, 0o755);
    const store = new AuthStore(home);
    fs.writeFileSync(store.filePath, JSON.stringify({ OPENAI_API_KEY: 'sk-old', tokens: { id_token: 'x' } }), { mode: 0o644 });
    store.saveOpenAiKey('sk-new');
    expect(JSON.parse(fs.readFileSync(store.filePath, 'utf8'))).toEqual({ OPENAI_API_KEY: 'sk-new' });
    expect(mode(store.filePath)).toBe(0o600);
    expect(mode(home)).toBe(0o755);
  });

  it("keeps every provider's key under its variable: a save adds or replaces one, keeping the others", () => {
    const store = new AuthStore(tempDir());
    store.saveOpenAiKey('sk-openai');
    store.saveKey('ANTHROPIC_API_KEY', 'sk-ant-one');
    store.saveKey('ANTHROPIC_API_KEY', 'sk-ant-two');
    expect(JSON.parse(fs.readFileSync(store.filePath, 'utf8'))).toEqual({ OPENAI_API_KEY: 'sk-openai', ANTHROPIC_API_KEY: 'sk-ant-two' });
    expect(store.keys()).toEqual({ OPENAI_API_KEY: 'sk-openai', ANTHROPIC_API_KEY: 'sk-ant-two' });
    expect(mode(store.filePath)).toBe(0o600);
    expect(() => store.saveKey('not a variable', 'sk-x')).toThrow('not an environment variable name: not a variable');
  });

  it('reads a Codex auth.json, and removes the file (false when there is none)', () => {
    const store = new AuthStore(tempDir());
    fs.writeFileSync(store.filePath, JSON.stringify({ OPENAI_API_KEY: 'sk-codex', tokens: null, last_refresh: null }));
    expect(store.keys()).toEqual({ OPENAI_API_KEY: 'sk-codex' });
    expect(store.remove()).toBe(true);
    expect(fs.existsSync(store.filePath)).toBe(false);
    expect(store.remove()).toBe(false);
  });

  it.each([
    ['not JSON', 'sk-secret-not-json'],
    ['JSON without a key', '{"OPENAI_API_KEY": null, "x": "sk-secret"}'],
    ['an empty key', '{"OPENAI_API_KEY": ""}'],
  ])('a file holding %s counts as no key, and a problem is reported without its contents', (_case, text) => {
    const problems: string[] = [];
    const store = new AuthStore(tempDir(), { onProblem: (message) => problems.push(message) });
    fs.writeFileSync(store.filePath, text);
    expect(store.keys()).toEqual({});
    expect(problems.join('\n')).not.toContain('sk-secret');
    if (text.startsWith('sk-')) expect(problems).toEqual([`${store.filePath} is not valid JSON; ignoring it`]);
  });
});

describe('withStoredKeys', () => {
  it.each([
    ['fills an unset variable', {}, { OPENAI_API_KEY: 'sk-stored' }],
    ['fills an empty variable', { OPENAI_API_KEY: '' }, { OPENAI_API_KEY: 'sk-stored' }],
    ['never overrides the environment', { OPENAI_API_KEY: 'sk-env' }, { OPENAI_API_KEY: 'sk-env' }],
  ])('%s', (_case, env: Record<string, string>, expected) => {
    expect(withStoredKeys({ HOME: '/h', ...env }, { OPENAI_API_KEY: 'sk-stored' })).toEqual({ HOME: '/h', ...expected });
  });

  it('returns the environment itself when nothing is stored', () => {
    const env = { OPENAI_API_KEY: undefined };
    expect(withStoredKeys(env, {})).toBe(env);
  });
});
