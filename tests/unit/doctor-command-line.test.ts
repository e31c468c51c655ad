// `keel doctor`'s command line: its options, the database it checks (as serving picks it), and
// what it refuses.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError } from '../../src/cli/command-line.js';

const env = { KEEL_HOME: '/h' };

describe('keel doctor command line', () => {
  it('defaults: text, the home\'s database, no overrides', () => {
    expect(parseCommandLine(['doctor'], env)).toEqual({ kind: 'doctor', options: { home: '/h', dbPath: '/h/keel.db', configOverrides: [], json: false } });
  });

  it('--json, -c and --db; KEEL_DB when no --db', () => {
    expect(parseCommandLine(['doctor', '--json', '-c', 'model=gpt-5', '--db', 'x.db'], env)).toEqual({
      kind: 'doctor',
      options: { home: '/h', dbPath: path.resolve('x.db'), configOverrides: [{ key: 'model', value: 'gpt-5' }], json: true },
    });
    expect(parseCommandLine(['doctor'], { ...env, KEEL_DB: '/d/k.db' })).toMatchObject({ options: { dbPath: '/d/k.db' } });
  });

  it('--help; refuses arguments and unknown options', () => {
    expect(parseCommandLine(['doctor', '--help'], env)).toEqual({ kind: 'help', topic: 'doctor' });
    expect(() => parseCommandLine(['doctor', 'now'], env)).toThrow(new UsageError('unexpected argument now', 'doctor'));
    expect(() => parseCommandLine(['doctor', '--fix'], env)).toThrow(new UsageError('unknown option --fix', 'doctor'));
    expect(() => parseCommandLine(['doctor', '-c', 'nokey'], env)).toThrow(new UsageError("-c nokey: missing '=' (expected key=value)", 'doctor'));
  });
});
