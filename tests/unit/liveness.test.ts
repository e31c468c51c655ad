// kernel/liveness: why a recorded lock holder is no longer alive — gone, a zombie, its pid reused
// (another start time), or the machine restarted (another boot) — and what is not compared when it
// was not recorded (an older Keel's lock) or cannot be read here (no /proc).
import { describe, expect, it } from 'vitest';
import { whyNotAlive, type ProcessIdentity, type ProcessProbe } from '../../src/kernel/liveness.js';

const os = (alive: boolean, stat: { state: string; startTime: string } | null, bootId: string | null): ProcessProbe => ({
  isAlive: () => alive,
  commandLine: () => null,
  stat: () => stat,
  bootId: () => bootId,
});
const holder: ProcessIdentity = { pid: 4242, startTime: '5000', bootId: 'boot-a' };

describe('whyNotAlive', () => {
  const table: Array<[name: string, holder: ProcessIdentity, probe: ProcessProbe, expected: string | null]> = [
    ['alive, same start time and boot', holder, os(true, { state: 'S', startTime: '5000' }, 'boot-a'), null],
    ['gone', holder, os(false, null, 'boot-a'), 'its process is gone'],
    ['a zombie', holder, os(true, { state: 'Z', startTime: '5000' }, 'boot-a'), 'its process has exited'],
    ['pid reused (another start time)', holder, os(true, { state: 'S', startTime: '9000' }, 'boot-a'), 'its pid now belongs to another process'],
    ['another boot, even with the same start time', holder, os(true, { state: 'S', startTime: '5000' }, 'boot-b'), 'the machine has restarted since'],
    ['an older record (pid alone), its pid alive', { pid: 4242, startTime: null, bootId: null }, os(true, { state: 'S', startTime: '9000' }, 'boot-b'), null],
    ['an older record (pid alone), its pid gone', { pid: 4242, startTime: null, bootId: null }, os(false, null, 'boot-b'), 'its process is gone'],
    ['no /proc here: the pid alone', holder, os(true, null, null), null],
  ];
  it.each(table)('%s', (_name, recorded, probe, expected) => {
    expect(whyNotAlive(recorded, probe)).toBe(expected);
  });
});
