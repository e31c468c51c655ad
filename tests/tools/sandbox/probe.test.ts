// Finding and trying bubblewrap: on PATH only, and cached per PATH value.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { clearBubblewrapProbeCache, probeBubblewrap } from '../../../src/tools/sandbox/probe.js';

const emptyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-probe-'));

beforeEach(() => clearBubblewrapProbeCache());
afterAll(() => fs.rmSync(emptyDir, { recursive: true, force: true }));

describe('probeBubblewrap', () => {
  it('reports bwrap missing when PATH has none, without looking in fixed places', async () => {
    expect(await probeBubblewrap({ PATH: emptyDir })).toEqual({
      ok: false,
      cause: 'bubblewrap (bwrap) was not found on PATH',
      fix: 'install it (Debian/Ubuntu: apt-get install bubblewrap), or run the thread with sandbox "danger-full-access"',
    });
  });

  it('finds bwrap on the usual PATH and sees that it can make a sandbox here', async () => {
    expect(await probeBubblewrap({ PATH: `${emptyDir}:/usr/bin:/bin` })).toEqual({ ok: true, path: '/usr/bin/bwrap' });
  });

  it('reports a bwrap that cannot make a sandbox, naming what it said', async () => {
    // A stand-in that fails as a host refusing user namespaces makes bwrap fail.
    const fake = path.join(emptyDir, 'refusing');
    fs.mkdirSync(fake);
    fs.writeFileSync(path.join(fake, 'bwrap'), '#!/bin/sh\necho "bwrap: No permissions to creating new namespace" >&2\nexit 1\n', { mode: 0o755 });
    const probe = await probeBubblewrap({ PATH: fake });
    expect(probe).toEqual({
      ok: false,
      cause: `bubblewrap (${fake}/bwrap) could not create a sandbox on this host: bwrap: No permissions to creating new namespace`,
      fix: 'allow unprivileged user namespaces (e.g. sysctl kernel.unprivileged_userns_clone=1, or kernel.apparmor_restrict_unprivileged_userns=0; in a container, run it with --security-opt seccomp=unconfined or privileges to create namespaces), or run the thread with sandbox "danger-full-access"',
    });
  });

  it('answers again from its cache for the same PATH', async () => {
    const first = probeBubblewrap({ PATH: emptyDir });
    expect(probeBubblewrap({ PATH: emptyDir })).toBe(first);
  });
});
