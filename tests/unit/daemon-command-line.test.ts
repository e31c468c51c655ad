// `keel app-server proxy` and `keel app-server daemon …` as the command line reads them.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError, type Command, type Topic } from '../../src/cli/command-line.js';

const home = '/home/me/.keel';
const env = { KEEL_HOME: home };
const defaultSock = path.join(home, 'app-server-control', 'app-server-control.sock');

describe('parseCommandLine: proxy and daemon', () => {
  const table: Array<[args: string[], command: Command]> = [
    [['app-server', 'proxy'], { kind: 'daemon', run: { command: 'proxy', home, socketPath: defaultSock, noStart: false } }],
    [['app-server', 'proxy', '--sock', 'd.sock', '--no-start'], { kind: 'daemon', run: { command: 'proxy', home, socketPath: path.resolve('d.sock'), noStart: true } }],
    [['app-server', 'proxy', '--sock=/run/k.sock'], { kind: 'daemon', run: { command: 'proxy', home, socketPath: '/run/k.sock', noStart: false } }],
    [['app-server', 'proxy', '-h'], { kind: 'help', topic: 'proxy' }],
    [['app-server', 'daemon', 'start'], { kind: 'daemon', run: { command: 'daemon', action: 'start', home, socketPath: defaultSock, config: [] } }],
    [
      ['app-server', 'daemon', '-c', 'model=m', 'start', '--config=keel.max_retries=1', '--sock', '/s.sock'],
      { kind: 'daemon', run: { command: 'daemon', action: 'start', home, socketPath: '/s.sock', config: ['model=m', 'keel.max_retries=1'] } },
    ],
    [['app-server', 'daemon', 'stop'], { kind: 'daemon', run: { command: 'daemon', action: 'stop', home, socketPath: defaultSock, config: [] } }],
    [['app-server', 'daemon', 'status', '--sock', '/s.sock'], { kind: 'daemon', run: { command: 'daemon', action: 'status', home, socketPath: '/s.sock', config: [] } }],
    [['app-server', 'daemon', '--help'], { kind: 'help', topic: 'daemon' }],
    [['app-server', 'daemon', 'start', '--help'], { kind: 'help', topic: 'daemon' }],
  ];

  it.each(table)('%j', (args, command) => {
    expect(parseCommandLine(args, env)).toEqual(command);
  });

  const refused: Array<[args: string[], message: string, topic: Topic]> = [
    [['app-server', 'proxy', 'extra'], 'unexpected argument extra', 'proxy'],
    [['app-server', 'proxy', '-c', 'a=b'], 'unknown option -c', 'proxy'],
    [['app-server', 'proxy', '--sock'], '--sock needs a value (PATH)', 'proxy'],
    [['app-server', 'proxy', '--sock='], '--sock needs a path', 'proxy'],
    [['app-server', 'daemon'], 'daemon needs an action: start, stop or status', 'daemon'],
    [['app-server', 'daemon', 'restart'], 'unknown daemon action restart (expected start, stop or status)', 'daemon'],
    [['app-server', 'daemon', 'start', 'now'], 'unexpected argument now', 'daemon'],
    [['app-server', 'daemon', 'stop', '-c', 'a=b'], '-c is for daemon start only', 'daemon'],
    [['app-server', 'daemon', 'start', '-c', 'model'], "-c model: missing '=' (expected key=value)", 'daemon'],
    [['app-server', 'daemon', 'start', '--no-start'], 'unknown option --no-start', 'daemon'],
  ];

  it.each(refused)('refuses %j', (args, message, topic) => {
    let thrown: unknown;
    try {
      parseCommandLine(args, env);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect({ message: (thrown as UsageError).message, topic: (thrown as UsageError).topic }).toEqual({ message, topic });
  });
});
