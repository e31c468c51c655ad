import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError, type Command, type Topic } from '../../src/cli/command-line.js';
import type { ListenOptions } from '../../src/cli/listen-options.js';
import { usageErrorText } from '../../src/cli/usage.js';

const home = '/home/me/.keel';
const env = { KEEL_HOME: home };
const serve = (options: Partial<Extract<Command, { kind: 'serve' }>['options']> = {}): Command => ({
  kind: 'serve',
  options: { home, dbPath: path.join(home, 'keel.db'), configOverrides: [], strictConfig: false, listen: stdioOnly, ...options },
});
const stdioOnly: ListenOptions = { addresses: [{ transport: 'stdio' }], wsAuth: null };
const listening = (addresses: ListenOptions['addresses'], wsAuth: ListenOptions['wsAuth'] = null): Command => serve({ listen: { addresses, wsAuth } });
const defaultSocket = path.join(home, 'app-server-control', 'app-server-control.sock');
const digest = 'ab'.repeat(32);

describe('parseCommandLine', () => {
  const table: Array<[args: string[], command: Command]> = [
    [[], serve()],
    [['app-server'], serve()],
    [['app-server', '--listen', 'stdio://'], serve()],
    [['--listen=stdio://'], serve()],
    [['app-server', '--listen', 'stdio'], serve()],
    [['app-server', '--stdio'], serve()],
    [['--listen', 'unix://'], listening([{ transport: 'unix', path: defaultSocket }])],
    [['--listen', 'unix:///run/keel/k.sock', '--stdio'], listening([{ transport: 'unix', path: '/run/keel/k.sock' }, { transport: 'stdio' }])],
    [['--listen', 'off', '--listen=unix://'], listening([{ transport: 'unix', path: defaultSocket }])],
    [['--listen', 'ws://127.0.0.1:0', '--listen', 'ws://127.0.0.1:0'], listening([{ transport: 'ws', host: '127.0.0.1', port: 0 }, { transport: 'ws', host: '127.0.0.1', port: 0 }])],
    [['--listen', 'ws://localhost:4222', '--listen', 'ws://localhost:4222/', '--stdio', '--listen', 'stdio'], listening([{ transport: 'ws', host: 'localhost', port: 4222 }, { transport: 'stdio' }])],
    [['--listen', 'ws://[::1]:4222', '--listen', 'ws://127.9.9.9:1'], listening([{ transport: 'ws', host: '::1', port: 4222 }, { transport: 'ws', host: '127.9.9.9', port: 1 }])],
    [['--listen', 'ws://0.0.0.0:4222', '--ws-allow-non-loopback'], listening([{ transport: 'ws', host: '0.0.0.0', port: 4222 }])],
    [
      ['--listen', 'ws://127.0.0.1:0', '--ws-auth', 'capability-token', '--ws-token-file', '/etc/keel/token'],
      listening([{ transport: 'ws', host: '127.0.0.1', port: 0 }], { tokenFile: '/etc/keel/token' }),
    ],
    [
      ['--listen', 'ws://127.0.0.1:0', '--ws-token-sha256', digest.toUpperCase(), '--ws-auth=capability-token'],
      listening([{ transport: 'ws', host: '127.0.0.1', port: 0 }], { tokenSha256: digest }),
    ],
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
    expect(parseCommandLine([], { KEEL_HOME: '/h', KEEL_DB: '/data/k.db' })).toEqual({
      kind: 'serve',
      options: { home: '/h', dbPath: '/data/k.db', configOverrides: [], strictConfig: false, listen: stdioOnly },
    });
  });

  const refused: Array<[args: string[], message: string, topic: Topic]> = [
    [['--bogus'], 'unknown option --bogus', 'server'],
    [['app-server', '--bogus=1'], 'unknown option --bogus', 'server'],
    [['-x'], 'unknown option -x', 'server'],
    [['serve'], 'unexpected argument serve', 'server'],
    [['app-server', 'app-server'], 'unexpected argument app-server', 'server'],
    [['app-server', '--stdio', 'generate-ts'], 'unexpected argument generate-ts', 'server'],
    [['--listen'], '--listen needs a value (URL)', 'server'],
    [['--listen', 'http://localhost'], '--listen http://localhost: not a transport Keel knows (stdio://, unix://, unix:///PATH, ws://HOST:PORT, off)', 'server'],
    [['--listen', 'wss://127.0.0.1:1'], '--listen wss://127.0.0.1:1: Keel serves ws:// only (put a TLS-terminating proxy in front for wss://)', 'server'],
    [['--listen', 'ws://127.0.0.1'], '--listen ws://127.0.0.1: expected ws://HOST:PORT (PORT 0 for a free port)', 'server'],
    [['--listen', 'ws://127.0.0.1:70000'], '--listen ws://127.0.0.1:70000: expected ws://HOST:PORT (PORT 0 for a free port)', 'server'],
    [['--listen', 'ws://127.0.0.1:1/path'], '--listen ws://127.0.0.1:1/path: expected ws://HOST:PORT (PORT 0 for a free port)', 'server'],
    [['--listen', 'unix://keel.sock'], `--listen unix://keel.sock: the socket path must be absolute (unix:///path/to.sock), or none for ${defaultSocket}`, 'server'],
    [['--listen', 'off'], '--listen off leaves nothing to serve: add --listen unix:// or --listen ws://HOST:PORT', 'server'],
    [['--listen', 'off', '--stdio'], '--listen off and --listen stdio:// contradict each other', 'server'],
    [
      ['--listen', 'ws://0.0.0.0:4222'],
      '--listen ws://0.0.0.0:4222: 0.0.0.0 is not a loopback address; Keel listens where other machines can reach it only with --ws-allow-non-loopback (and --ws-auth capability-token)',
      'server',
    ],
    [
      ['--listen', 'ws://[::]:1'],
      '--listen ws://[::]:1: :: is not a loopback address; Keel listens where other machines can reach it only with --ws-allow-non-loopback (and --ws-auth capability-token)',
      'server',
    ],
    [
      ['--listen', 'ws://example.com:1'],
      '--listen ws://example.com:1: example.com is not a loopback address; Keel listens where other machines can reach it only with --ws-allow-non-loopback (and --ws-auth capability-token)',
      'server',
    ],
    [['--ws-token-file', '/t'], '--ws-token-file needs --ws-auth capability-token', 'server'],
    [['--ws-token-sha256', digest], '--ws-token-sha256 needs --ws-auth capability-token', 'server'],
    [['--ws-auth', 'capability-token'], '--ws-auth capability-token needs --ws-token-file ABSOLUTE_PATH or --ws-token-sha256 HEX', 'server'],
    [['--ws-auth', 'capability-token', '--ws-token-file', '/t', '--ws-token-sha256', digest], '--ws-token-file and --ws-token-sha256 exclude each other: give one', 'server'],
    [['--ws-auth', 'capability-token', '--ws-token-file', 'token.txt'], '--ws-token-file token.txt: not an absolute path', 'server'],
    [['--ws-auth', 'capability-token', '--ws-token-sha256', 'abc'], '--ws-token-sha256 abc: not a SHA-256 digest (64 hex digits)', 'server'],
    [['--ws-auth', 'password'], '--ws-auth password: not an auth mode Keel knows (capability-token)', 'server'],
    [
      ['--ws-auth', 'signed-bearer-token', '--ws-shared-secret-file', '/s'],
      '--ws-shared-secret-file: Keel does not support signed bearer tokens (use --ws-auth capability-token with --ws-token-file or --ws-token-sha256)',
      'server',
    ],
    [
      ['--ws-auth', 'signed-bearer-token'],
      '--ws-auth signed-bearer-token: Keel does not support signed bearer tokens (use --ws-auth capability-token with --ws-token-file or --ws-token-sha256)',
      'server',
    ],
    [
      ['--ws-issuer', 'me'],
      '--ws-issuer: Keel does not support signed bearer tokens (use --ws-auth capability-token with --ws-token-file or --ws-token-sha256)',
      'server',
    ],
    [['--ws-allow-non-loopback=1'], '--ws-allow-non-loopback takes no value', 'server'],
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
