import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError, type Command, type Topic } from '../../src/cli/command-line.js';
import { usageErrorText } from '../../src/cli/usage.js';

const home = '/home/me/.keel';
const env = { KEEL_HOME: home };
const serve = (options: Partial<Extract<Command, { kind: 'serve' }>['options']> = {}): Command => ({
  kind: 'serve',
  options: { home, dbPath: path.join(home, 'keel.db'), configOverrides: [], strictConfig: false, ...options },
});

describe('parseCommandLine', () => {
  const table: Array<[args: string[], command: Command]> = [
    [[], serve()],
    [['app-server'], serve()],
    [['app-server', '--listen', 'stdio://'], serve()],
    [['--listen=stdio://'], serve()],
    [['app-server', '--listen', 'stdio'], serve()],
    [['app-server', '--stdio'], serve()],
    [
      ['app-server', '-c', 'model="gpt-5"', '--config=keel.max_retries=1', '-cmodel_provider=openai', '--config', 'sandbox_mode=read-only'],
      serve({
        configOverrides: [
          { key: 'model', value: '"gpt-5"' },
          { key: 'keel.max_retries', value: '1' },
          { key: 'model_provider', value: 'openai' },
          { key: 'sandbox_mode', value: 'read-only' },
        ],
      }),
    ],
    [
      ['--enable', 'foo', '-c', 'model=m', '--disable=bar'],
      serve({ configOverrides: [{ key: 'features.foo', value: 'true' }, { key: 'model', value: 'm' }, { key: 'features.bar', value: 'false' }] }),
    ],
    [['-c', 'model=m', 'app-server', '--strict-config'], serve({ configOverrides: [{ key: 'model', value: 'm' }], strictConfig: true })],
    [['app-server', '--analytics-default-enabled', '--session-source', 'vscode'], serve()],
    [['--db', 'threads.db'], serve({ dbPath: path.resolve('threads.db') })],
    [['app-server', '--db=:memory:'], serve({ dbPath: ':memory:' })],
    [['--help'], { kind: 'help', topic: 'server' }],
    [['app-server', '--stdio', '-h'], { kind: 'help', topic: 'server' }],
    [['--version'], { kind: 'version' }],
    [['app-server', '-V'], { kind: 'version' }],
    [['app-server', 'generate-json-schema', '--out', 'out'], { kind: 'generate', target: 'json-schema', outDir: path.resolve('out'), experimental: false }],
    [['app-server', 'generate-json-schema', '-o=x'], { kind: 'generate', target: 'json-schema', outDir: path.resolve('x'), experimental: false }],
    [['app-server', 'generate-ts', '--experimental', '-o', '/tmp/ts', '--prettier', 'prettier'], { kind: 'generate', target: 'ts', outDir: '/tmp/ts', experimental: true }],
    [['app-server', 'generate-ts', '--help'], { kind: 'help', topic: 'generate-ts' }],
  ];

  it.each(table)('%j', (args, command) => {
    expect(parseCommandLine(args, env)).toEqual(command);
  });

  it('takes the database from KEEL_DB, and the home from KEEL_HOME', () => {
    expect(parseCommandLine([], { KEEL_HOME: '/h', KEEL_DB: '/data/k.db' })).toEqual({ kind: 'serve', options: { home: '/h', dbPath: '/data/k.db', configOverrides: [], strictConfig: false } });
  });

  const refused: Array<[args: string[], message: string, topic: Topic]> = [
    [['--bogus'], 'unknown option --bogus', 'server'],
    [['app-server', '--bogus=1'], 'unknown option --bogus', 'server'],
    [['-x'], 'unknown option -x', 'server'],
    [['serve'], 'unexpected argument serve', 'server'],
    [['app-server', 'app-server'], 'unexpected argument app-server', 'server'],
    [['app-server', '--stdio', 'generate-ts'], 'unexpected argument generate-ts', 'server'],
    [['--listen'], '--listen needs a value (URL)', 'server'],
    [['--listen', 'ws://127.0.0.1:0'], '--listen ws://127.0.0.1:0: not supported yet (Keel serves stdio:// only)', 'server'],
    [['--listen=unix:///tmp/keel.sock'], '--listen unix:///tmp/keel.sock: not supported yet (Keel serves stdio:// only)', 'server'],
    [['--listen', 'off'], '--listen off: not supported yet (Keel serves stdio:// only)', 'server'],
    [['--listen', 'http://localhost'], '--listen http://localhost: not a transport Keel knows (Keel serves stdio:// only)', 'server'],
    [['-c', 'model'], "-c model: missing '=' (expected key=value)", 'server'],
    [['--config', '=1'], '--config =1: empty key (expected key=value)', 'server'],
    [['-c', 'a..b=1'], '-c a..b=1: a..b is not a dotted key path', 'server'],
    [['-c'], '-c needs a value (key=value)', 'server'],
    [['--enable', 'a.b'], '--enable a.b: not a feature name', 'server'],
    [['--disable', ''], '--disable : not a feature name', 'server'],
    [['--stdio=yes'], '--stdio takes no value', 'server'],
    [['--db'], '--db needs a value (PATH)', 'server'],
    [['app-server', 'generate-ts'], 'generate-ts needs --out DIR', 'generate-ts'],
    [['app-server', 'generate-json-schema', '--out'], '--out needs a value (DIR)', 'generate-json-schema'],
    [['app-server', 'generate-json-schema', '--out', 'd', 'extra'], 'unexpected argument extra', 'generate-json-schema'],
    [['app-server', 'generate-json-schema', '--prettier', 'p', '--out', 'd'], 'unknown option --prettier', 'generate-json-schema'],
    [['app-server', 'generate-ts', '-c', 'a=b', '--out', 'd'], 'unknown option -c', 'generate-ts'],
  ];

  it.each(refused)('refuses %j', (args, message, topic) => {
    expect(() => parseCommandLine(args, env)).toThrow(new UsageError(message, topic));
    try {
      parseCommandLine(args, env);
    } catch (error) {
      expect((error as UsageError).topic).toBe(topic);
    }
  });

  it('prints a usage error with the usage of its command', () => {
    expect(usageErrorText(new UsageError('generate-ts needs --out DIR', 'generate-ts'))).toBe(
      [
        'keel: generate-ts needs --out DIR',
        'usage: keel app-server generate-ts --out DIR [--experimental]',
        'run `keel app-server generate-ts --help` for more',
        '',
      ].join('\n'),
    );
  });
});
