// `keel inspect`'s command line: where the page's app-server is, and the page's port.
import { describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError } from '../../src/cli/command-line.js';

const env = { KEEL_HOME: '/home/u/.keel' };
const parse = (...args: string[]) => parseCommandLine(['inspect', ...args], env);
const problem = (...args: string[]) => {
  try {
    parse(...args);
  } catch (error) {
    return { topic: (error as UsageError).topic, message: (error as Error).message };
  }
  throw new Error('parsed');
};

describe('keel inspect', () => {
  it('starts a Keel of its own on a free port by default, passing -c to it', () => {
    expect(parse()).toEqual({ kind: 'inspect', options: { target: { kind: 'own', config: [] }, port: 0 } });
    expect(parse('-c', 'model="gpt-5"', '--config', 'x=1', '--port', '8123')).toEqual({ kind: 'inspect', options: { target: { kind: 'own', config: ['model="gpt-5"', 'x=1'] }, port: 8123 } });
  });

  it('connects to a WebSocket app-server (Codex\'s too), with its token file', () => {
    expect(parse('--connect', 'ws://127.0.0.1:4500')).toEqual({ kind: 'inspect', options: { target: { kind: 'ws', url: 'ws://127.0.0.1:4500', tokenFile: null }, port: 0 } });
    expect(parse('--connect', 'ws://[::1]:4500/', '--token-file', '/run/token')).toEqual({ kind: 'inspect', options: { target: { kind: 'ws', url: 'ws://[::1]:4500/', tokenFile: '/run/token' }, port: 0 } });
  });

  it('connects to a unix socket: the daemon\'s by default, or the one named', () => {
    expect(parse('--connect', 'unix://')).toEqual({ kind: 'inspect', options: { target: { kind: 'unix', path: '/home/u/.keel/app-server-control/app-server-control.sock' }, port: 0 } });
    expect(parse('--connect', 'unix:///tmp/a/../k.sock')).toEqual({ kind: 'inspect', options: { target: { kind: 'unix', path: '/tmp/k.sock' } , port: 0 } });
  });

  it('says what is wrong, under its own usage line', () => {
    expect(problem('--connect', 'http://x')).toEqual({ topic: 'inspect', message: '--connect http://x: expected ws://HOST:PORT or unix://[PATH]' });
    expect(problem('--connect', 'unix://rel.sock')).toEqual({ topic: 'inspect', message: '--connect unix://rel.sock: the socket path must be absolute (unix:///path/to.sock), or none for the default' });
    expect(problem('--token-file', '/t')).toEqual({ topic: 'inspect', message: '--token-file goes with --connect ws://…' });
    expect(problem('--connect', 'unix://', '--token-file', '/t')).toEqual({ topic: 'inspect', message: '--token-file goes with ws:// (a unix socket is guarded by its file mode)' });
    expect(problem('--connect', 'ws://h:1', '-c', 'a=1')).toEqual({ topic: 'inspect', message: '-c configures the Keel the inspector starts; with --connect, configure that server instead' });
    expect(problem('--port', '70000')).toEqual({ topic: 'inspect', message: '--port 70000: expected a port number (0 for a free one)' });
    expect(problem('extra')).toEqual({ topic: 'inspect', message: 'unexpected argument extra' });
    expect(parse('--help')).toEqual({ kind: 'help', topic: 'inspect' });
  });
});
